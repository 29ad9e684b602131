// The shared crafted tree (every file type, xattrs, owners, setuid/setgid/sticky, hardlinks,
// odd names) through deltas made by real ostree, into the modes that can hold it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasOstree, ostree, ostreeResult } from '../../../test-vectors/trees/ostree.js';
import { makeCraftedTree } from '../../../test-vectors/trees/crafted-tree.js';
import { deltaDirectory, type RepoMode } from '@ostree-ts/core';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo } from '@ostree-ts/repo';
import { applyOfflineDelta } from '../src/index.js';

const isRoot = process.getuid?.() === 0;
const fs = nodeFs();

describe.skipIf(!hasOstree || !isRoot)('crafted tree through real ostree deltas', () => {
  let work: string;
  let src: string;
  let v1: string;
  let v2: string;
  let n = 0;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'delta-crafted-'));
    src = join(work, 'src');
    ostree('init', `--repo=${src}`, '--mode=archive');
    const tree = join(work, 'tree');
    makeCraftedTree(tree, { xattrs: true, owners: true, specialModes: true });
    v1 = ostree(`--repo=${src}`, 'commit', '-b', 'main', `--tree=dir=${tree}`, '--subject=v1').trim();
    appendFileSync(join(tree, 'usr/lib/big.bin'), 'tail change');
    appendFileSync(join(tree, 'etc/hostname'), 'x');
    v2 = ostree(`--repo=${src}`, 'commit', '-b', 'main', `--tree=dir=${tree}`, '--subject=v2').trim();
    ostree(`--repo=${src}`, 'static-delta', 'generate', `--from=${v1}`, `--to=${v2}`, '--min-fallback-size=0');
    ostree(`--repo=${src}`, 'static-delta', 'generate', '--empty', `--to=${v1}`, '--min-fallback-size=0');
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const modes: RepoMode[] = ['bare', 'bare-user', 'archive'];
  it.each(modes)('scratch then from→to into %s: fsck clean, same listing (modes, owners, xattrs) as the source', async (mode) => {
    const path = join(work, `t${n++}`);
    ostree('init', `--repo=${path}`, `--mode=${mode}`);
    const repo = await openRepo(fs, path);
    await applyOfflineDelta(repo, join(src, deltaDirectory(undefined, v1)));
    await applyOfflineDelta(repo, join(src, deltaDirectory(v1, v2)));
    const r = ostreeResult(`--repo=${path}`, 'fsck');
    expect(r.status, r.stderr).toBe(0);
    for (const rev of [v1, v2]) expect(ostree(`--repo=${path}`, 'ls', '-R', '-C', '-X', rev)).toBe(ostree(`--repo=${src}`, 'ls', '-R', '-C', '-X', rev));
  });
});
