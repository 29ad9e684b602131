// summary -u and prune compared with real ostree on the same repositories.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { decodeSummary } from '@ostree-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo, pruneRepo, updateSummary, type PruneOptions } from '../src/index.js';
import { hasOstree, ostree } from './helpers/ostree.js';

const hasFaketime = (() => {
  try {
    execFileSync('faketime', ['2022-01-04 00:00:00', 'true']);
    return true;
  } catch {
    return false;
  }
})();

function objectList(repo: string): string[] {
  return execFileSync('find', ['objects', 'state', '-type', 'f'], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe.skipIf(!hasOstree)('summary and prune against real ostree', () => {
  let work: string;
  let base: string;
  const commits: string[] = [];

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-sp-'));
    base = join(work, 'base');
    ostree('init', `--repo=${base}`, '--mode=archive');
    const tree = join(work, 'tree');
    mkdirSync(tree);
    // Three commits on os/stable (each changes a file), one on os/dev, one orphan.
    for (let i = 1; i <= 3; i++) {
      writeFileSync(join(tree, 'version'), `v${i}\n`);
      writeFileSync(join(tree, `added-${i}`), `file ${i}\n`);
      commits.push(
        ostree('commit', `--repo=${base}`, '-b', 'os/stable', `--timestamp=2022-01-0${i} 00:00:00 +0000`, `--add-metadata-string=version=${i}.0`, `--tree=dir=${tree}`).trim(),
      );
    }
    writeFileSync(join(tree, 'dev'), 'dev\n');
    ostree('commit', `--repo=${base}`, '-b', 'os/dev', '--timestamp=2022-01-05 00:00:00 +0000', `--tree=dir=${tree}`);
    writeFileSync(join(tree, 'orphan'), 'orphan\n');
    ostree('commit', `--repo=${base}`, '--orphan', '--timestamp=2022-01-06 00:00:00 +0000', `--tree=dir=${tree}`);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const copy = (name: string) => {
    const d = join(work, name);
    cpSync(base, d, { recursive: true });
    return d;
  };

  it.skipIf(!hasFaketime)('summary -u writes the same bytes as ostree at the same time', async () => {
    const theirs = copy('sum-theirs');
    const ours = copy('sum-ours');
    execFileSync('faketime', ['2022-01-10 00:00:00', 'ostree', 'summary', `--repo=${theirs}`, '-u'], { env: { ...process.env, TZ: 'UTC' } });
    const bytes = await updateSummary(await openRepo(nodeFs(), ours), { now: () => Date.UTC(2022, 0, 10) });
    expect(Buffer.from(bytes).toString('hex')).toBe(readFileSync(join(theirs, 'summary')).toString('hex'));
    expect(readFileSync(join(ours, 'summary'))).toEqual(readFileSync(join(theirs, 'summary')));
    expect(readFileSync(join(ours, 'config'), 'utf8')).toBe(readFileSync(join(theirs, 'config'), 'utf8'));
    expect(ostree('summary', `--repo=${ours}`, '--view')).toBe(ostree('summary', `--repo=${theirs}`, '--view'));
  });

  it('summary lists refs sorted with commit sizes, timestamps and versions', async () => {
    const ours = copy('sum-view');
    const summary = decodeSummary(await updateSummary(await openRepo(nodeFs(), ours)));
    expect(summary.refs.map((r) => r.name)).toEqual(['os/dev', 'os/stable']);
    const stable = summary.refs[1]!;
    expect(stable.checksum).toBe(commits[2]);
    expect(Number(stable.commitSize)).toBe(readFileSync(join(ours, 'objects', commits[2]!.slice(0, 2), `${commits[2]!.slice(2)}.commit`)).length);
    expect(stable.metadata.map(([k]) => k).sort()).toEqual(['ostree.commit.timestamp', 'ostree.commit.version']);
    expect(ostree('summary', `--repo=${ours}`, '--view')).toContain('* os/stable');
    expect(existsSync(join(ours, 'summary.sig'))).toBe(false);
  });

  const pruneCases: [string, string[], PruneOptions, string][] = [
    ['plain (every commit is a root)', [], {}, 'Total objects'],
    ['--refs-only', ['--refs-only'], { refsOnly: true }, ''],
    ['--refs-only --depth=0', ['--refs-only', '--depth=0'], { refsOnly: true, depth: 0 }, ''],
    ['--refs-only --depth=1', ['--refs-only', '--depth=1'], { refsOnly: true, depth: 1 }, ''],
    ['--keep-younger-than', ['--keep-younger-than=2022-01-02 00:00:00 +0000'], { keepYoungerThan: Date.UTC(2022, 0, 2) / 1000 }, ''],
    ['--no-prune --refs-only', ['--no-prune', '--refs-only'], { noPrune: true, refsOnly: true }, ''],
  ];
  it.each(pruneCases)('prune %s leaves what ostree leaves', async (_name, args, options) => {
    const theirs = copy(`prune-theirs-${args.join('')}`);
    const ours = copy(`prune-ours-${args.join('')}`);
    const out = ostree('prune', `--repo=${theirs}`, ...args);
    const result = await pruneRepo(await openRepo(nodeFs(), ours), options);
    expect(objectList(ours)).toEqual(objectList(theirs));
    expect(out).toContain(`Total objects: ${result.objectsTotal}\n`);
    if (result.objectsPruned === 0) expect(out).toContain('No unreachable objects');
    else expect(out).toMatch(new RegExp(`(Deleted|Would delete:) ${result.objectsPruned} objects`));
    expect(execFileSync('ostree', ['fsck', `--repo=${ours}`]).toString()).toContain('no errors found');
  });

  it('prune --refs-only keeps what only a remote ref reaches, like ostree', async () => {
    const theirs = copy('remote-theirs');
    const ours = copy('remote-ours');
    for (const r of [theirs, ours]) {
      mkdirSync(join(r, 'refs/remotes/origin'), { recursive: true });
      writeFileSync(join(r, 'refs/remotes/origin/keep'), `${commits[0]}\n`);
    }
    ostree('prune', `--repo=${theirs}`, '--refs-only', '--depth=0');
    await pruneRepo(await openRepo(nodeFs(), ours), { refsOnly: true, depth: 0 });
    expect(objectList(ours)).toEqual(objectList(theirs));
    expect(objectList(ours).some((p) => p.includes(commits[0]!.slice(2)))).toBe(true);
  });

  it('prune --delete-commit leaves a tombstone and enables tombstones, like ostree', async () => {
    const theirs = copy('del-theirs');
    const ours = copy('del-ours');
    ostree('prune', `--repo=${theirs}`, `--delete-commit=${commits[0]}`);
    await pruneRepo(await openRepo(nodeFs(), ours), { deleteCommit: commits[0] });
    expect(objectList(ours)).toEqual(objectList(theirs));
    expect(readFileSync(join(ours, 'config'), 'utf8')).toBe(readFileSync(join(theirs, 'config'), 'utf8'));
    const tomb = (r: string) => readFileSync(join(r, 'objects', commits[0]!.slice(0, 2), `${commits[0]!.slice(2)}.tombstone-commit`));
    expect(tomb(ours)).toEqual(tomb(theirs));
  });

  it('prune --delete-commit refuses a commit a ref points at', async () => {
    const ours = copy('del-refused');
    await expect(pruneRepo(await openRepo(nodeFs(), ours), { deleteCommit: commits[2] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `Commit '${commits[2]}' is referenced by 'os/stable'`,
    });
  });
});
