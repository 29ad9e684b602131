// --subpath (including OstreeRepoFile's odd resolution rules and single files), --allow-noent,
// and --skip-list, each compared with real ostree: same trees, same messages.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, type Repo } from '@ostree-ts/repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout, subpathComponents } from '../src/index.js';
import { optionsFromFlags } from './helpers/flags.js';
import { hasOstree, ostree, ostreeResult } from './helpers/ostree.js';
import { objectInodes, snapshot } from './helpers/snapshot.js';
import { writeSpecTree } from './helpers/spec-tree.js';

describe('subpathComponents follows OstreeRepoFile resolution', () => {
  it.each([
    ['/', []],
    ['', ['']],
    ['d', ['d']],
    ['/d/e', ['d', 'e']],
    ['d/', ['d', '']],
    ['//d', ['', 'd']],
    ['d//e', ['e']],
    ['/d/e//f/g', ['f', 'g']],
    ['./d', ['.', 'd']],
    ['/d/e/../e', ['d', 'e', '..', 'e']],
  ] as [string, string[]][])('%j → %j', (subpath, chain) => {
    expect(subpathComponents(subpath)).toEqual(chain);
  });
});

describe.skipIf(!hasOstree)('subpaths, allow-noent and skip lists match ostree', () => {
  let work: string;
  let repoPath: string;
  let repo: Repo;
  let objects: Map<bigint, string>;
  let n = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-subpath-'));
    repoPath = join(work, 'repo');
    const tree = join(work, 'tree');
    writeSpecTree(tree, {
      'd/e/f': 'f\n',
      'd/e/g/h': 'h\n',
      'd/l': { symlink: 'e/f' },
      'd/empty': '',
      'top': 'top\n',
      'x/y/z': 'z\n',
    });
    ostree('init', `--repo=${repoPath}`, '--mode=bare');
    ostree('commit', `--repo=${repoPath}`, '-b', 'main', `--tree=dir=${tree}`);
    repo = await openRepo(nodeFs(), repoPath);
    objects = objectInodes(repoPath);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function compare(flags: string[], prepare?: (dest: string) => void): Promise<void> {
    const theirs = join(work, `theirs-${n}`);
    const ours = join(work, `ours-${n++}`);
    prepare?.(theirs);
    prepare?.(ours);
    const r = ostreeResult('checkout', `--repo=${repoPath}`, ...flags, 'main', theirs);
    if (r.status !== 0) {
      const message = r.stderr.replace(/^error: /, '').trimEnd().replaceAll(theirs, ours);
      await expect(checkout(repo, 'main', ours, optionsFromFlags(flags))).rejects.toThrow(message);
    } else {
      const result = await checkout(repo, 'main', ours, optionsFromFlags(flags));
      expect(result.checkedOut).toBe(existsSync(theirs));
    }
    expect(existsSync(ours)).toBe(existsSync(theirs));
    if (existsSync(theirs) && lstatSync(theirs).isDirectory()) expect(snapshot(ours, { objects })).toEqual(snapshot(theirs, { objects }));
  }

  it.each([
    '/', '', '/d', 'd', 'd/', '//d', 'd//e', './d', '/d/.', '/d/e/f', 'd/e/f/', 'd/e/f/x', '/d/e/../e', 'd/nope/x', '/d/l', '/d/empty', '/nope', '/x/y',
  ])('--subpath=%j', async (subpath) => {
    await compare([`--subpath=${subpath}`]);
    await compare(['-C', `--subpath=${subpath}`]);
  });

  it('--allow-noent only applies on ostree legacy path', async () => {
    await compare(['--subpath=/nope', '--allow-noent']);
    await compare(['--subpath=/d/nope', '--allow-noent', '--union']);
    await compare(['--subpath=/nope', '--allow-noent', '--union-add']);
    await compare(['--subpath=d/e/f/', '--allow-noent']);
    const r = await checkout(repo, 'main', join(work, 'never'), { subpath: '/nope', allowNoent: true });
    expect(r.checkedOut).toBe(false);
  });

  it('a file subpath goes into an existing directory, next to what is there', async () => {
    await compare(['--subpath=/top'], (d) => {
      mkdirSync(d);
      writeFileSync(join(d, 'other'), 'other\n');
    });
    await compare(['--subpath=/top'], (d) => {
      mkdirSync(d);
      writeFileSync(join(d, 'top'), 'exists\n');
    });
    await compare(['--subpath=/top', '--union'], (d) => {
      mkdirSync(d);
      writeFileSync(join(d, 'top'), 'exists\n');
    });
    await compare(['--subpath=/top', '--union-add'], (d) => {
      mkdirSync(d);
      writeFileSync(join(d, 'top'), 'exists\n');
    });
    await compare(['--subpath=/d/empty', '--union-add'], (d) => {
      mkdirSync(d);
      writeFileSync(join(d, 'empty'), 'not empty\n');
    });
    await compare(['--subpath=/top'], (d) => writeFileSync(d, 'a file where the directory should be\n'));
  });

  it('--skip-list skips files and (slash-terminated) directories', async () => {
    const list = join(work, 'skip-list');
    writeFileSync(list, ['/top', '/d/e/', '/x/y', '/d/l', '/nope', ''].join('\n'));
    const theirs = join(work, `theirs-${n}`);
    const ours = join(work, `ours-${n++}`);
    ostree('checkout', `--repo=${repoPath}`, `--skip-list=${list}`, 'main', theirs);
    const skipList = ['/top', '/d/e/', '/x/y', '/d/l', '/nope'];
    const result = await checkout(repo, 'main', ours, { skipList });
    expect(result.stats.filtered).toBe(3);
    expect(snapshot(ours, { objects })).toEqual(snapshot(theirs, { objects }));
  });

  it('a filter sees ostree paths and metadata', async () => {
    const seen: string[] = [];
    await checkout(repo, 'main', join(work, `ours-${n++}`), {
      filter: (path, st) => {
        seen.push(`${path} ${st.mode.toString(8)}`);
        return path === '/x/' ? 'skip' : 'allow';
      },
    });
    expect(seen.sort()).toEqual(['/ 40755', '/d/ 40755', '/d/e/ 40755', '/d/e/f 100644', '/d/e/g/ 40755', '/d/e/g/h 100644', '/d/empty 100644', '/d/l 120777', '/top 100644', '/x/ 40755']);
  });
});
