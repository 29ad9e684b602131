// Acceptance on repositories real ostree made (the golden repos of test-vectors/, every
// mode, every commit) and on commits ostree-ts made itself (commitDirectory): checkout() and
// `ostree checkout` give identical trees, hardlinked to the same objects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { commitDirectory, initRepo, openRepo, type Repo } from '@ostree-ts/repo';
import type { RepoMode } from '@ostree-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_MODES, unpackRepo, type UnpackedRepo } from '../../../test-vectors/repos/unpack.js';
import { checkout } from '../src/index.js';
import { makeCraftedTree } from '../../../test-vectors/trees/crafted-tree.js';
import { optionsFromFlags } from './helpers/flags.js';
import { hasOstree, ostree, ostreeResult } from './helpers/ostree.js';
import { objectInodes, snapshot } from './helpers/snapshot.js';

const FLAGS: Record<RepoMode, string[][]> = {
  bare: [[], ['-U'], ['-C']],
  'bare-user': [['-U'], []],
  'bare-user-only': [[], ['-C']],
  archive: [[], ['-U', '--disable-cache']],
  'bare-split-xattrs': [],
};

describe.skipIf(!hasOstree)('checkout of golden repos matches ostree', () => {
  let work: string;
  const fs = nodeFs();
  let n = 0;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-golden-co-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function compare(repoPath: string, repo: Repo, rev: string, flags: string[]): Promise<void> {
    const theirs = join(work, `theirs-${n}`);
    const ours = join(work, `ours-${n++}`);
    const r = ostreeResult('checkout', `--repo=${repoPath}`, ...flags, rev, theirs);
    if (r.status !== 0) {
      await expect(checkout(repo, rev, ours, optionsFromFlags(flags))).rejects.toThrow(r.stderr.replace(/^error: /, '').trimEnd());
      return;
    }
    const result = await checkout(repo, rev, ours, optionsFromFlags(flags));
    expect(result.commit).toBe(ostree('rev-parse', `--repo=${repoPath}`, rev).trim());
    const objects = objectInodes(repoPath);
    expect(snapshot(ours, { objects })).toEqual(snapshot(theirs, { objects }));
  }

  describe.each(REPO_MODES)('golden %s repo', (mode) => {
    let golden: UnpackedRepo;
    let repo: Repo;
    beforeAll(async () => {
      golden = await unpackRepo(mode);
      repo = await openRepo(fs, golden.path);
    });
    afterAll(() => golden.cleanup());

    it('checks out every commit and ref like ostree', async () => {
      const revs = [...golden.manifest.commits.map((c) => c.checksum), ...Object.keys(golden.manifest.refs), `${Object.keys(golden.manifest.refs)[0]}^`];
      for (const rev of revs) for (const flags of FLAGS[mode]) await compare(golden.path, repo, rev, flags);
    });
  });

  describe.each(['bare', 'bare-user', 'bare-user-only', 'archive'] as RepoMode[])('ostree-ts commit in a %s repo', (mode) => {
    it('checks out like ostree', async () => {
      const tree = join(work, `tree-${n++}`);
      makeCraftedTree(tree, { xattrs: true, owners: true, specialModes: mode !== 'bare-user-only', largeFileBytes: 2 * 1024 * 1024 + 17 });
      const repoPath = join(work, `repo-${n++}`);
      const repo = await initRepo(fs, repoPath, { mode });
      const { checksum } = await commitDirectory(repo, fs, tree, { ref: 'main', subject: 'ts', timestamp: 1n });
      expect(ostree('rev-parse', `--repo=${repoPath}`, 'main').trim()).toBe(checksum);
      for (const flags of FLAGS[mode]) await compare(repoPath, repo, 'main', flags);
      await compare(repoPath, repo, checksum, ['--subpath=/usr/share']);
    });
  });
});
