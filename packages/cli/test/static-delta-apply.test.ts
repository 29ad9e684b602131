// `ostree-ts static-delta apply-offline` beside real ostree 2022.7: the same repository state
// (objects, fsck, checkouts) and the same output and errors, on deltas real ostree made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deltaDirectory } from '@ostree-ts/core';
import { hasOstree } from '../../../test-vectors/trees/ostree.js';
import { writeVersion } from './helpers/delta-versions.js';
import { ours, theirs } from './helpers/run.js';

describe.skipIf(!hasOstree)('static-delta apply-offline', { timeout: 300_000 }, () => {
  let tmp: string;
  let src: string;
  let v1: string;
  let v2: string;
  let n = 0;
  const ostree = (...args: string[]) => execFileSync('ostree', args, { encoding: 'utf8', maxBuffer: 64 << 20 });

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-apply-offline-'));
    src = join(tmp, 'src');
    ostree('init', `--repo=${src}`, '--mode=archive');
    const commit = (v: number) => {
      const tree = join(tmp, `tree${v}`);
      writeVersion(tree, v);
      return ostree(`--repo=${src}`, 'commit', '-b', 'os', `--tree=dir=${tree}`, '--no-xattrs', `--subject=v${v}`).trim();
    };
    v1 = commit(1);
    v2 = commit(2);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const target = (withV1 = true): string => {
    const path = join(tmp, `t${n++}`);
    ostree('init', `--repo=${path}`, '--mode=bare-user');
    if (withV1) ostree(`--repo=${path}`, 'pull-local', src, v1);
    return path;
  };

  it('applies a from→to delta like ostree: no output, identical objects and checkouts, fsck clean', async () => {
    ostree(`--repo=${src}`, 'static-delta', 'generate', `--from=${v1}`, `--to=${v2}`, '--min-fallback-size=0');
    const dir = join(src, deltaDirectory(v1, v2));
    const a = target();
    const b = target();
    const mine = await ours([`--repo=${a}`, 'static-delta', 'apply-offline', dir]);
    const real = await theirs([`--repo=${b}`, 'static-delta', 'apply-offline', dir]);
    expect({ code: mine.code, stdout: mine.stdout, stderr: mine.stderr }).toEqual({ code: real.code, stdout: real.stdout, stderr: real.stderr });
    expect(mine.code).toBe(0);
    expect(ostree(`--repo=${a}`, 'ls', '-R', '-C', v2)).toBe(ostree(`--repo=${b}`, 'ls', '-R', '-C', v2));
    ostree(`--repo=${a}`, 'fsck');
    ostree(`--repo=${a}`, 'checkout', '-U', v2, join(tmp, 'co-a'));
    ostree(`--repo=${b}`, 'checkout', '-U', v2, join(tmp, 'co-b'));
    expect(execFileSync('diff', ['-r', '--no-dereference', join(tmp, 'co-a'), join(tmp, 'co-b')], { encoding: 'utf8' })).toBe('');
    ostree(`--repo=${src}`, 'static-delta', 'delete', `${v1}-${v2}`);
  });

  it('takes the superblock file as PATH too (an --inline scratch delta)', async () => {
    ostree(`--repo=${src}`, 'static-delta', 'generate', '--empty', `--to=${v2}`, '--inline', '--min-fallback-size=0');
    const path = join(src, deltaDirectory(undefined, v2), 'superblock');
    const a = target(false);
    const mine = await ours([`--repo=${a}`, 'static-delta', 'apply-offline', path]);
    expect(mine).toMatchObject({ code: 0, stdout: '', stderr: '' });
    ostree(`--repo=${a}`, 'fsck');
    ostree(`--repo=${src}`, 'static-delta', 'delete', v2);
  });

  it('refuses what ostree refuses, with its messages', async () => {
    ostree(`--repo=${src}`, 'static-delta', 'generate', `--from=${v1}`, `--to=${v2}`); // with a fallback
    const dir = join(src, deltaDirectory(v1, v2));
    const same = async (args: (repo: string) => string[], withV1 = true) => {
      const mine = await ours(args(target(withV1)));
      const real = await theirs(args(target(withV1)));
      expect(mine.code).toBe(1);
      expect(mine.stderr).toBe(real.stderr);
      expect(mine.code).toBe(real.code);
    };
    await same((r) => [`--repo=${r}`, 'static-delta', 'apply-offline', dir]); // fallback entries
    await same((r) => [`--repo=${r}`, 'static-delta', 'apply-offline', dir], false); // no source commit
    await same((r) => [`--repo=${r}`, 'static-delta', 'apply-offline']); // no PATH
    ostree(`--repo=${src}`, 'static-delta', 'delete', `${v1}-${v2}`);
  });
});
