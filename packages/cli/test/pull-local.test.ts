// `ostree-ts pull-local` against `ostree pull-local`: the same refs and objects land in
// repositories of every mode, from the golden repos real ostree wrote, and real ostree fsck
// accepts the result.
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackRepo, type UnpackedRepo } from '../../../test-vectors/repos/unpack.js';
import { ours, sh, theirs } from './helpers/run.js';

const objects = (repo: string) => sh('sh', ['-c', 'find objects refs state -type f | sort'], repo);

describe('pull-local', () => {
  let src: UnpackedRepo;
  let tmp: string;
  beforeAll(async () => {
    src = await unpackRepo('archive');
    tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-pull-local-'));
  });
  afterAll(async () => {
    await src.cleanup();
    await rm(tmp, { recursive: true, force: true });
  });

  it.each([
    ['archive', []],
    ['bare-user', []],
    ['bare', []],
    ['archive', ['test/main']],
    ['bare-user', ['--remote=origin', 'test/main']],
    ['archive', ['--depth=-1', 'test/main']],
    ['archive', ['--commit-metadata-only', 'test/main']],
  ] as const)('into %s with %j gives what ostree gives', async (mode, args) => {
    const label = `${mode}-${args.join('').replace(/[^a-z]/g, '')}`;
    const a = join(tmp, `${label}-ours`);
    const b = join(tmp, `${label}-theirs`);
    await theirs([`--repo=${a}`, 'init', `--mode=${mode}`]);
    await theirs([`--repo=${b}`, 'init', `--mode=${mode}`]);
    const x = await ours([`--repo=${a}`, 'pull-local', ...args.filter((f) => f.startsWith('-')), src.path, ...args.filter((f) => !f.startsWith('-'))]);
    const y = await theirs([`--repo=${b}`, 'pull-local', ...args.filter((f) => f.startsWith('-')), src.path, ...args.filter((f) => !f.startsWith('-'))]);
    expect(x.stderr).toBe('');
    expect(x.code).toBe(y.code);
    expect(x.code).toBe(0);
    expect(await objects(a)).toBe(await objects(b));
    expect((await readdir(join(a, 'objects'))).length).toBeGreaterThan(0);
    const fsck = await theirs([`--repo=${a}`, 'fsck']);
    expect(fsck.code).toBe(0);
  });

  it('refuses a corrupted source object and moves no ref', async () => {
    const bad = join(tmp, 'bad-src');
    await sh('cp', ['-a', src.path, bad]);
    const victim = (await sh('sh', ['-c', 'ls -S objects/*/*.filez | head -1'], bad)).trim();
    await sh('sh', ['-c', `printf 'XXXXXXXX' | dd of=${victim} bs=1 seek=60 conv=notrunc 2>/dev/null`], bad);
    const dest = join(tmp, 'bad-dest');
    await theirs([`--repo=${dest}`, 'init', '--mode=archive']);
    const r = await ours([`--repo=${dest}`, 'pull-local', bad, 'test/main']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: /);
    expect((await sh('sh', ['-c', 'find refs -type f | wc -l'], dest)).trim()).toBe('0');
    expect((await theirs([`--repo=${dest}`, 'fsck'])).code).toBe(0);
  });
});
