// Which old file a new file is diffed against: ostree's basename and ±30% size rules, the
// exclusions (empty files, *.xz, *.bz2), and ostree-ts's same-path rule.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, type Repo } from '@ostree-ts/repo';
import { hasOstree, ostree } from '../../../test-vectors/trees/ostree.js';
import { computeNewObjects } from '../src/generate/new-objects.js';
import { findSimilarFiles } from '../src/generate/similar.js';

const fill = (n: number, c: string) => c.repeat(n);

describe.skipIf(!hasOstree)('similar files', () => {
  let dir: string;
  let repo: Repo;
  let v1: string;
  let v2: string;
  let old: Map<string, string>;
  let now: Map<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'delta-similar-'));
    const tree = (v: 1 | 2, files: Record<string, string>) => {
      const root = join(dir, `t${v}`);
      for (const [p, content] of Object.entries(files)) {
        mkdirSync(join(root, p, '..'), { recursive: true });
        writeFileSync(join(root, p), content);
        chmodSync(join(root, p), 0o644);
      }
      return root;
    };
    const r = join(dir, 'repo');
    ostree('init', `--repo=${r}`, '--mode=archive');
    const t1 = tree(1, {
      'lib/libfoo.so.1': fill(1000, 'a'),
      'bin/tool': fill(1000, 'b'),
      'share/data.xz': fill(1000, 'c'),
      'share/grown': fill(1000, 'd'),
      'share/far/name.txt': fill(1000, 'e'),
      'share/empty': '',
      'share/huge': fill(1000, 'f'),
    });
    const t2 = tree(2, {
      'lib/libfoo.so.2': fill(1100, 'a'), // fuzzy basename (libfoo), +10%
      'bin/tool': fill(1250, 'B'), // same name, +25%
      'share/data.xz': fill(1000, 'C'), // *.xz: never
      'share/grown': fill(1800, 'D'), // +80%: only the same-path rule takes it
      'share/other/name.txt': fill(950, 'E'), // same basename elsewhere
      'share/empty': 'now something',
      'share/huge': fill(2500, 'F'), // 2.5x: no rule
    });
    v1 = ostree(`--repo=${r}`, 'commit', '-b', 'm', `--tree=dir=${t1}`, '--no-xattrs').trim();
    v2 = ostree(`--repo=${r}`, 'commit', '-b', 'm', `--tree=dir=${t2}`, '--no-xattrs').trim();
    repo = await openRepo(nodeFs(), r);
    const listing = (commit: string) =>
      new Map(
        ostree(`--repo=${r}`, 'ls', '-R', '-C', commit)
          .split('\n')
          .filter((l) => l.startsWith('-'))
          .map((l) => {
            const f = l.trim().split(/\s+/);
            return [f[5]!, f[4]!] as [string, string];
          }),
      );
    old = listing(v1);
    now = listing(v2);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pairs new files with old ones by ostree rules and by path', async () => {
    const news = await computeNewObjects(repo, v1, v2);
    const sizes = new Map(news.regularFiles.map((f) => [f.checksum, f.size]));
    const pairs = await findSimilarFiles(repo, v1, v2, sizes);
    expect(pairs.get(now.get('/lib/libfoo.so.2')!)).toBe(old.get('/lib/libfoo.so.1'));
    expect(pairs.get(now.get('/bin/tool')!)).toBe(old.get('/bin/tool'));
    expect(pairs.get(now.get('/share/other/name.txt')!)).toBe(old.get('/share/far/name.txt'));
    expect(pairs.get(now.get('/share/grown')!)).toBe(old.get('/share/grown'));
    for (const p of ['/share/data.xz', '/share/empty', '/share/huge']) expect(pairs.has(now.get(p)!)).toBe(false);
    expect(pairs.size).toBe(4);
    const noSame = await findSimilarFiles(repo, v1, v2, sizes, { samePath: false });
    expect(noSame.size).toBe(3); // 'grown' needs the same-path rule
  });
});
