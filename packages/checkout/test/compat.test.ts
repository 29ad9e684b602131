// Acceptance: for commits made by real ostree in every repository mode (a crafted tree with
// every file type, special modes, xattrs, owners, odd names, hardlinks, a multi-MiB file),
// checkout() and `ostree checkout` produce identical trees — names, types, modes, owners,
// symlink targets, contents, xattrs, mtimes, and the same hardlinked repository objects —
// and fail with the same messages where ostree refuses.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, type Repo } from '@ostree-ts/repo';
import type { RepoMode } from '@ostree-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout } from '../src/index.js';
import { makeCraftedTree } from '../../../test-vectors/trees/crafted-tree.js';
import { optionsFromFlags } from './helpers/flags.js';
import { hasOstree, ostree, ostreeError, ostreeResult } from './helpers/ostree.js';
import { objectInodes, snapshot } from './helpers/snapshot.js';

const MODES: RepoMode[] = ['bare', 'bare-user', 'bare-user-only', 'archive'];

/** Flag sets checked per repo mode; the ones ostree refuses are compared by message. */
const CASES: Record<string, string[][]> = {
  bare: [[], ['-U'], ['-C'], ['-U', '-C'], ['-H'], ['-M'], ['-U', '-H'], ['--subpath=/usr'], ['--subpath=/etc/hostname'], ['--subpath=/usr/lib/escape-link'], ['-z']],
  'bare-user': [['-U'], [], ['-U', '-H'], ['-H'], ['-U', '-C'], ['-U', '-M'], ['--subpath=/home']],
  'bare-user-only': [[], ['-C'], ['-H'], ['-M'], ['-U', '--subpath=/usr/lib'], ['--subpath=/etc/write-only']],
  archive: [[], ['-U', '--disable-cache'], ['-C'], ['-H'], ['-U', '-H'], ['-U', '-M', '--disable-cache'], ['--subpath=/usr/share']],
};

describe.skipIf(!hasOstree)('checkout matches ostree checkout', () => {
  let work: string;
  const fs = nodeFs();
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-checkout-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe.each(MODES)('%s repo', (mode) => {
    let repoPath: string;
    let repo: Repo;
    let objects: Map<bigint, string>;
    let n = 0;

    beforeAll(async () => {
      const tree = join(work, `${mode}-tree`);
      repoPath = join(work, `${mode}-repo`);
      makeCraftedTree(tree, { xattrs: true, owners: true, specialModes: mode !== 'bare-user-only' });
      ostree('init', `--repo=${repoPath}`, `--mode=${mode}`);
      ostree('commit', `--repo=${repoPath}`, '-b', 'main', '-s', 'crafted', `--tree=dir=${tree}`);
      repo = await openRepo(fs, repoPath);
      objects = objectInodes(repoPath);
    }, 120_000);

    it.each(CASES[mode]!.map((f) => [f.join(' ') || '(no flags)', f] as const))('%s', async (_label, flags) => {
      const theirs = join(work, `${mode}-theirs-${n}`);
      const ours = join(work, `${mode}-ours-${n++}`);
      const r = ostreeResult('checkout', `--repo=${repoPath}`, ...flags, 'main', theirs);
      if (r.status !== 0) {
        const message = r.stderr.replace(/^error: /, '').trimEnd();
        await expect(checkout(repo, 'main', ours, optionsFromFlags(flags))).rejects.toThrow(message);
        return;
      }
      const result = await checkout(repo, 'main', ours, optionsFromFlags(flags));
      expect(result.checkedOut).toBe(true);
      expect(snapshot(ours, { objects })).toEqual(snapshot(theirs, { objects }));
    });
  });

  it('archive user-mode checkouts fill and use the uncompressed-objects cache like ostree', async () => {
    const tree = join(work, 'cache-tree');
    makeCraftedTree(tree, { xattrs: true, owners: true, specialModes: true });
    const theirsRepo = join(work, 'cache-theirs');
    ostree('init', `--repo=${theirsRepo}`, '--mode=archive');
    ostree('commit', `--repo=${theirsRepo}`, '-b', 'main', `--tree=dir=${tree}`);
    const oursRepo = join(work, 'cache-ours');
    execFileSync('cp', ['-a', theirsRepo, oursRepo]);
    const repo = await openRepo(fs, oursRepo);
    for (const round of [1, 2]) {
      const theirs = join(work, `cache-theirs-co${round}`);
      const ours = join(work, `cache-ours-co${round}`);
      ostree('checkout', `--repo=${theirsRepo}`, '-U', 'main', theirs);
      const result = await checkout(repo, 'main', ours, { userMode: true });
      if (round === 1) expect(result.stats.cacheWrites).toBeGreaterThan(0);
      else expect(result.stats.cacheWrites).toBe(0);
      // Same tree, each file linked to the same-named cache entry in its own repo.
      const norm = (lines: string[]) => lines.map((l) => l.replace(/ mtime0=(true|false)/, ''));
      expect(norm(snapshot(ours, { objects: objectInodes(oursRepo) }))).toEqual(norm(snapshot(theirs, { objects: objectInodes(theirsRepo) })));
    }
    const list = (r: string) =>
      execFileSync('find', ['uncompressed-objects-cache', '-printf', '%p %m %n\\n'], { cwd: r, encoding: 'utf8' }).split('\n').sort();
    expect(list(oursRepo)).toEqual(list(theirsRepo));
  });

  it('reports the same errors for refused flag combinations', async () => {
    const repo = await openRepo(fs, join(work, 'bare-repo'));
    for (const flags of [
      ['--union', '--union-add'],
      ['--union', '--union-identical'],
      ['--union-add', '--union-identical'],
      ['-H', '-C'],
      ['--union-identical'],
    ]) {
      const message = ostreeError('checkout', `--repo=${join(work, 'bare-repo')}`, ...flags, 'main', join(work, 'never'));
      await expect(checkout(repo, 'main', join(work, 'never'), optionsFromFlags(flags))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message });
    }
  });
});
