// Union modes and whiteouts against real ostree: a first commit is checked out, a second one
// is layered on top with --union / --union-add / --union-identical (-H) / --whiteouts, by
// ostree into one directory and by checkout() into another; the resulting trees, or the
// error messages, must be the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, type Repo } from '@ostree-ts/repo';
import type { RepoMode } from '@ostree-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout } from '../src/index.js';
import { optionsFromFlags } from './helpers/flags.js';
import { hasOstree, ostree, ostreeResult } from './helpers/ostree.js';
import { objectInodes, snapshot } from './helpers/snapshot.js';
import { writeSpecTree, type TreeSpec } from './helpers/spec-tree.js';

const BASE: TreeSpec = {
  'same.txt': 'same\n',
  'differs.txt': 'old\n',
  'only-old.txt': 'old only\n',
  'dir/keep.txt': 'kept\n',
  'dir/differs.txt': 'old in dir\n',
  'link': { symlink: 'old-target' },
  'same-link': { symlink: 'same-target' },
  'empty': '',
  'empty-exec': { content: '', mode: 0o755 },
  'gone/deep/file': 'whited out\n',
  'opaque/old-file': 'hidden by opaque\n',
  'replace-me': 'regular\n',
};

const LAYER: TreeSpec = {
  'same.txt': 'same\n',
  'differs.txt': 'new\n',
  'only-new.txt': 'new only\n',
  'dir/differs.txt': 'new in dir\n',
  'dir/added/x': 'x\n',
  'link': { symlink: 'new-target' },
  'same-link': { symlink: 'same-target' },
  'empty': { content: '', mode: 0o600 },
  'empty-exec': { content: '', mode: 0o755 },
};

const WHITEOUT_LAYER: TreeSpec = {
  '.wh.gone': '',
  '.wh.only-old.txt': '',
  'opaque/.wh..wh..opq': '',
  'opaque/new-file': 'new\n',
  'differs.txt': 'new\n',
  'replace-me': { symlink: 'now-a-link' },
};

/** A conflict each (checked one at a time: ostree stops at the first). */
const CONFLICTS: Record<string, [TreeSpec, TreeSpec]> = {
  'file over file': [{ f: 'a\n' }, { f: 'b\n' }],
  'same content, other mode': [{ f: 'a\n' }, { f: { content: 'a\n', mode: 0o600 } }],
  'symlink over symlink': [{ l: { symlink: 'a' } }, { l: { symlink: 'b' } }],
  'file over symlink': [{ x: { symlink: 'a' } }, { x: 'file\n' }],
  'symlink over file': [{ x: 'file\n' }, { x: { symlink: 'a' } }],
  'dir over file': [{ x: 'file\n' }, { 'x/y': 'in dir\n' }],
  'file over dir': [{ 'x/y': 'in dir\n' }, { x: 'file\n' }],
  'symlink over dir': [{ 'x/y': 'in dir\n' }, { x: { symlink: 'a' } }],
  'empty file over file': [{ e: 'not empty\n' }, { e: '' }],
  'empty file over empty file': [{ e: { content: '', mode: 0o755 } }, { e: '' }],
};

describe.skipIf(!hasOstree)('union modes and whiteouts match ostree', () => {
  let work: string;
  const fs = nodeFs();
  let n = 0;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-union-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function makeRepo(mode: RepoMode, trees: Record<string, TreeSpec>): Promise<[string, Repo]> {
    const path = join(work, `repo-${n++}`);
    ostree('init', `--repo=${path}`, `--mode=${mode}`);
    for (const [ref, spec] of Object.entries(trees)) {
      const dir = join(work, `tree-${n++}`);
      writeSpecTree(dir, spec);
      ostree('commit', `--repo=${path}`, '-b', ref, `--tree=dir=${dir}`);
    }
    return [path, await openRepo(fs, path)];
  }

  /** Temporary names are random: compare their shape only. */
  const normalize = (message: string) => message.replace(/checkout-union-[A-Za-z0-9]{6}/g, 'checkout-union-XXXXXX').replace(/\btmp\.[A-Za-z0-9]{6}/g, 'tmp.XXXXXX');

  /**
   * Checks out `base` then `layer` with `flags`: ostree in the repo, checkout() in a copy of it
   * (so neither sees the other's uncompressed-objects cache). Compares the trees, or the
   * errors (and, with `partial`, the trees left behind by the error).
   */
  async function compareLayering(repoPath: string, _repo: Repo, baseFlags: string[], flags: string[], base = 'base', layer = 'layer', partial = true): Promise<'same-tree' | 'same-error'> {
    const theirs = join(work, `theirs-${n}`);
    const ours = join(work, `ours-${n}`);
    const oursRepoPath = join(work, `ours-repo-${n++}`);
    execFileSync('cp', ['-a', repoPath, oursRepoPath]);
    const repo = await openRepo(fs, oursRepoPath);
    ostree('checkout', `--repo=${repoPath}`, ...baseFlags, base, theirs);
    await checkout(repo, base, ours, optionsFromFlags(baseFlags));
    const r = ostreeResult('checkout', `--repo=${repoPath}`, ...flags, layer, theirs);
    const same = () => expect(snapshot(ours, { objects: objectInodes(oursRepoPath) })).toEqual(snapshot(theirs, { objects: objectInodes(repoPath) }));
    if (r.status !== 0) {
      const message = normalize(r.stderr.replace(/^error: /, '').trimEnd());
      const e = await checkout(repo, layer, ours, optionsFromFlags(flags)).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(e, `ostree failed with: ${message}`).toBeInstanceOf(Error);
      expect(normalize(e!.message)).toBe(message);
      if (partial) same();
      return 'same-error';
    }
    await checkout(repo, layer, ours, optionsFromFlags(flags));
    same();
    return 'same-tree';
  }

  describe.each(['bare', 'bare-user-only', 'archive'] as RepoMode[])('%s repo', (mode) => {
    let repoPath: string;
    let repo: Repo;
    beforeAll(async () => {
      [repoPath, repo] = await makeRepo(mode, { base: BASE, layer: LAYER, whiteouts: WHITEOUT_LAYER });
    });
    const user = mode === 'bare' ? [] : ['-U'];
    const h = mode === 'archive' ? [] : ['-H'];

    it('--union merges directories and replaces files', async () => {
      expect(await compareLayering(repoPath, repo, user, [...user, '--union'])).toBe('same-tree');
    });
    it('--union-add keeps existing files', async () => {
      expect(await compareLayering(repoPath, repo, user, [...user, '--union-add'])).toBe('same-tree');
    });
    it('--union-identical fails on the first differing file', async () => {
      // Several files differ: the error names the first in ostree's order; what was done
      // before it differs (checkout() works in parallel), so only the message is compared.
      expect(await compareLayering(repoPath, repo, user, [...user, ...h, '--union-identical'], 'base', 'layer', false)).toBe('same-error');
    });
    it('--union-identical accepts an identical layer', async () => {
      if (mode === 'archive') return; // hardlinks are required and archive repos have none
      expect(await compareLayering(repoPath, repo, user, [...user, '-H', '--union-identical'], 'base', 'base')).toBe('same-tree');
    });
    it('--whiteouts with --union removes, empties opaque dirs and replaces', async () => {
      expect(await compareLayering(repoPath, repo, user, [...user, '--union', '--whiteouts'], 'base', 'whiteouts')).toBe('same-tree');
    });
    it('--whiteouts with --union-add', async () => {
      expect(await compareLayering(repoPath, repo, user, [...user, '--union-add', '--whiteouts'], 'base', 'whiteouts')).toBe('same-tree');
    });
    it('without a union mode an existing destination is an error', async () => {
      expect(await compareLayering(repoPath, repo, user, user)).toBe('same-error');
    });
  });

  describe('conflicts', () => {
    const repos = new Map<RepoMode, Promise<[string, Repo]>>();
    const repoFor = (mode: RepoMode) => {
      let r = repos.get(mode);
      if (r === undefined) {
        const trees: Record<string, TreeSpec> = {};
        Object.values(CONFLICTS).forEach(([a, b], i) => {
          trees[`c${i}/a`] = a;
          trees[`c${i}/b`] = b;
        });
        r = makeRepo(mode, trees);
        repos.set(mode, r);
      }
      return r;
    };
    const cases: [string, number, RepoMode, string[], string[]][] = [];
    Object.keys(CONFLICTS).forEach((name, i) => {
      for (const [mode, baseFlags, flags] of [
        ['bare', [], ['--union']],
        ['bare', [], ['--union-add']],
        ['bare', [], ['-H', '--union-identical']],
        ['bare', [], ['--union', '--whiteouts']],
        ['bare', ['-C'], ['-C', '--union']],
        ['archive', ['-U'], ['-U', '--union']],
        ['archive', [], ['--union']],
        ['archive', [], ['--union-add']],
        ['archive', [], ['--union', '--whiteouts']],
        ['bare-user-only', [], ['--union']],
        ['bare-user-only', [], ['-H', '--union-identical']],
        ['bare-user', ['-U'], ['-U', '--union']],
      ] as [RepoMode, string[], string[]][]) {
        cases.push([name, i, mode, baseFlags, flags]);
      }
    });
    it.each(cases)('%s: %s repo, %s then %s', async (_name, i, mode, baseFlags, flags) => {
      const [repoPath, repo] = await repoFor(mode);
      await compareLayering(repoPath, repo, baseFlags, flags, `c${i}/a`, `c${i}/b`);
    });
  });
});
