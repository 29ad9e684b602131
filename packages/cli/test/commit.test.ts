/**
 * `ostree-ts commit` against real `ostree commit`: same tree, same arguments, same checksum, in
 * every repository mode; then real ostree must accept and read our repository.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ours, sh, theirs } from './helpers/run.js';
import { makeTree } from './helpers/tree.js';

const MODES = ['archive', 'bare-user-only', 'bare-user', 'bare'] as const;

const COMMIT_ARGS = [
  '-b',
  'test/main',
  '--timestamp=2021-01-01 00:00:00 +0000',
  '-s',
  'A crafted tree',
  '-m',
  'Body line one\n\nBody line three: ünïcödé',
  '--add-metadata-string=version=42.1',
  '--add-metadata-string=test.generator=ostree-ts',
  '--add-metadata-string=test.empty=',
  '--add-metadata=test.u64=uint64 5',
  '--add-metadata=test.i32=-7',
  '--add-metadata=test.flag=true',
  "--add-metadata=test.list=['a', 'b', 'c']",
  '--add-metadata=test.dict={"k": <1>}',
  '--add-metadata=test.bytes=b"raw"',
  '--bind-ref=test/other',
  '--add-detached-metadata-string=test.detached=yes',
];

let tmp: string;
let tree: string;
let bootTree: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-cli-commit-'));
  [tree, bootTree] = await Promise.all([makeTree(), makeTree({ bootable: true })]);
});

afterAll(async () => {
  await Promise.all([rm(tmp, { recursive: true, force: true }), rm(tree, { recursive: true, force: true }), rm(bootTree, { recursive: true, force: true })]);
});

async function listing(dir: string): Promise<string> {
  const out = await sh('find', ['.', '-printf', '%p %y %m %U %G %s %l\\n'], dir);
  return out.split('\n').sort().join('\n');
}

describe.each(MODES)('%s repo', (mode) => {
  let mine: string;
  let real: string;
  beforeAll(async () => {
    mine = join(tmp, `ours-${mode}`);
    real = join(tmp, `theirs-${mode}`);
    const a = await ours(['init', `--repo=${mine}`, `--mode=${mode}`]);
    expect(a.stderr).toBe('');
    const b = await theirs(['init', `--repo=${real}`, `--mode=${mode}`]);
    expect(b.code).toBe(0);
  });

  it('init creates what ostree init creates', async () => {
    expect(await listing(mine)).toBe(await listing(real));
    expect(await readFile(join(mine, 'config'), 'utf8')).toBe(await readFile(join(real, 'config'), 'utf8'));
  });

  it('commit gives the same checksum as ostree, and ostree reads our repo', async () => {
    const a = await ours([`--repo=${mine}`, 'commit', ...COMMIT_ARGS, tree]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const b = await theirs([`--repo=${real}`, 'commit', ...COMMIT_ARGS, tree]);
    expect(b.stderr).toBe('');
    expect(a.stdout).toBe(b.stdout);
    const checksum = a.stdout.trim();

    // Real ostree accepts our repository and reads our commit as its own.
    const fsck = await theirs([`--repo=${mine}`, 'fsck']);
    expect(fsck.stderr).toBe('');
    expect(fsck.code).toBe(0);
    expect(fsck.stdout).toContain('no errors found');
    for (const args of [['ls', '-R', '-C', '-X'], ['log'], ['show']]) {
      const theirsOnOurs = await theirs([`--repo=${mine}`, ...args, checksum]);
      const oursOnOurs = await ours([`--repo=${mine}`, ...args, checksum]);
      expect(oursOnOurs.stdout).toBe(theirsOnOurs.stdout);
      expect(theirsOnOurs.code).toBe(0);
    }
    for (const path of ['/README', '/big/blob', '/links/relative', '/names/größe-日本語.txt']) {
      const t = await theirs([`--repo=${mine}`, 'cat', checksum, path]);
      const o = await ours([`--repo=${mine}`, 'cat', checksum, path]);
      expect(Buffer.from(o.stdoutBytes).equals(Buffer.from(t.stdoutBytes))).toBe(true);
      expect(o.code).toBe(t.code);
    }
    const detached = await theirs([`--repo=${mine}`, 'show', '--print-detached-metadata-key=test.detached', checksum]);
    expect(detached.stdout).toBe("'yes'\n");

    // Checkouts of our commit and of ostree's are identical.
    const user = mode === 'bare' ? [] : ['-U'];
    const outMine = join(tmp, `co-ours-${mode}`);
    const outReal = join(tmp, `co-theirs-${mode}`);
    expect((await theirs([`--repo=${mine}`, 'checkout', ...user, checksum, outMine])).code).toBe(0);
    expect((await theirs([`--repo=${real}`, 'checkout', ...user, checksum, outReal])).code).toBe(0);
    expect(await listing(outMine)).toBe(await listing(outReal));
    expect(await sh('sha256sum', ['big/blob', 'README', 'hard/b'], outMine)).toBe(await sh('sha256sum', ['big/blob', 'README', 'hard/b'], outReal));
  });

  it('--bootable commit gives the same checksum as ostree', async () => {
    const args = ['commit', '-b', 'test/boot', '--bootable', '--timestamp=@1600000000', '--add-metadata-string=version=1', '--add-metadata=x=uint32 7', bootTree];
    const a = await ours([`--repo=${mine}`, ...args]);
    const b = await theirs([`--repo=${real}`, ...args]);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(b.stdout);
    const keys = await ours([`--repo=${mine}`, 'show', '--print-metadata-key=ostree.linux', 'test/boot']);
    expect(keys.stdout).toBe("'6.1.0-test'\n");
  });

  it('a second commit records its parent and both refs match ostree', async () => {
    const args = ['commit', '-b', 'test/main', '--timestamp=2021-01-02T00:00:00Z', '-s', 'second', '--owner-uid=0', '--owner-gid=0', '--no-xattrs', tree];
    const a = await ours([`--repo=${mine}`, ...args]);
    const b = await theirs([`--repo=${real}`, ...args]);
    expect(a.stdout).toBe(b.stdout);
    expect((await ours([`--repo=${mine}`, 'log', 'test/main'])).stdout).toBe((await theirs([`--repo=${real}`, 'log', 'test/main'])).stdout);
    expect((await ours([`--repo=${mine}`, 'refs'])).stdout.split('\n').sort()).toEqual((await theirs([`--repo=${real}`, 'refs'])).stdout.split('\n').sort());
  });
});

describe('commit options match ostree', () => {
  let small: string;
  beforeAll(async () => {
    small = join(tmp, 'small');
    await sh('sh', ['-c', `mkdir -p ${small}/d && echo one > ${small}/d/f && chmod 0700 ${small}/d && printf 'body from a file\\n' > ${tmp}/body.txt`]);
  });

  type Case = readonly [name: string, commits: readonly (readonly string[])[], initArgs?: readonly string[]];
  const cases: readonly Case[] = [
    ['--orphan (an empty ref binding)', [['--orphan']]],
    ['--orphan --no-bindings', [['--orphan', '--no-bindings']]],
    ['-b with --bind-ref, sorted', [['-b', 'zz', '--bind-ref=aa', '--bind-ref=mm']]],
    ['a collection binding', [['-b', 'main']], ['--collection-id=org.example.Os']],
    ['a collection binding given explicitly', [['-b', 'main', '--add-metadata-string=ostree.collection-binding=mine']], ['--collection-id=org.example.Os']],
    ['a parent from the branch', [['-b', 'main', '-s', 'one'], ['-b', 'main', '-s', 'two']]],
    ['--parent=none', [['-b', 'main'], ['-b', 'main', '--parent=none']]],
    ['--skip-if-unchanged', [['-b', 'main'], ['-b', 'main', '--skip-if-unchanged', '-s', 'ignored']]],
    ['--keep-metadata', [['-b', 'main', '--add-metadata-string=version=7', '--add-metadata=n=uint64 1'], ['-b', 'main', '--keep-metadata=version', '--keep-metadata=n']]],
    ['--keep-metadata of a missing key', [['-b', 'main'], ['-b', 'main', '--keep-metadata=nope']]],
    ['--canonical-permissions', [['-b', 'main', '--canonical-permissions']]],
    ['--owner-uid and --owner-gid', [['-b', 'main', '--owner-uid=42', '--owner-gid=43']]],
    ['--tree=dir=', [['-b', 'main', `--tree=dir=SMALL`]]],
    ['--body-file and a multi-line subject', [['-b', 'main', '-s', 'line one\nline two', `--body-file=BODY`]]],
    ['--table-output', [['-b', 'main', '--table-output']]],
    ['a remote ref as branch', [['-b', 'origin:main']]],
    ['--add-metadata with every common form', [['-b', 'main', '--add-metadata=a=@as []', '--add-metadata=b=<int64 -1>', '--add-metadata=c=(1, "x")', '--add-metadata=d=just 5', '--add-metadata=e=3.25', '--add-metadata=f=byte 0xff', '--add-metadata=g=[<1>, <"x">]']]],
    ['duplicate metadata keys', [['-b', 'main', '--add-metadata-string=k=1', '--add-metadata=k=2']]],
    ['duplicate metadata keys with --bootable', [['-b', 'main', '--add-metadata-string=k=1', '--add-metadata=k=2', '--bootable']]],
    ['--bootable without a kernel', [['-b', 'main', '--bootable']]],
    ['--fsync=false and --link-checkout-speedup', [['-b', 'main', '--fsync=false', '--link-checkout-speedup']]],
  ];

  it.each(cases.map((c) => [c[0], c] as const))('%s', async (name, [, commits, initArgs = []]) => {
    const a = join(tmp, `opt-ours-${commits.length}-${Math.random().toString(36).slice(2)}`);
    const b = join(tmp, `opt-theirs-${commits.length}-${Math.random().toString(36).slice(2)}`);
    await ours(['init', `--repo=${a}`, '--mode=archive', ...initArgs]);
    await theirs(['init', `--repo=${b}`, '--mode=archive', ...initArgs]);
    const kernelTree = name.includes('--bootable without') ? small : name.includes('--bootable') ? bootTree : small;
    for (const args of commits) {
      const resolved = args.map((x) => x.replace('SMALL', small).replace('BODY', join(tmp, 'body.txt')));
      const usesTree = resolved.some((x) => x.startsWith('--tree='));
      const full = ['commit', '--timestamp=@1700000000', ...resolved, ...(usesTree ? [] : [kernelTree])];
      const x = await ours([`--repo=${a}`, ...full]);
      const y = await theirs([`--repo=${b}`, ...full]);
      expect({ code: x.code, stdout: x.stdout, stderr: x.stderr }).toEqual({ code: y.code, stdout: y.stdout, stderr: y.stderr });
    }
    const refsA = (await ours([`--repo=${a}`, 'refs'])).stdout;
    expect(refsA.split('\n').sort()).toEqual((await theirs([`--repo=${b}`, 'refs'])).stdout.split('\n').sort());
    for (const ref of refsA.split('\n').filter((r) => r !== '')) {
      expect((await ours([`--repo=${a}`, 'log', ref])).stdout).toBe((await theirs([`--repo=${b}`, 'log', ref])).stdout);
    }
  });

  it('refuses a symlink to the tree and a tree holding a fifo, as ostree does', async () => {
    const a = join(tmp, 'link-ours');
    const b = join(tmp, 'link-theirs');
    await ours(['init', `--repo=${a}`, '--mode=archive']);
    await theirs(['init', `--repo=${b}`, '--mode=archive']);
    await sh('sh', ['-c', `ln -sfn ${small} ${tmp}/small-link && mkdir -p ${tmp}/withfifo && mkfifo ${tmp}/withfifo/pipe`]);
    for (const dir of [join(tmp, 'small-link'), join(tmp, 'withfifo')]) {
      const args = ['commit', '-b', 'main', '--timestamp=@0', dir];
      const x = await ours([`--repo=${a}`, ...args]);
      const y = await theirs([`--repo=${b}`, ...args]);
      expect({ code: x.code, stdout: x.stdout, stderr: x.stderr }).toEqual({ code: y.code, stdout: y.stdout, stderr: y.stderr });
    }
  });

  it('SOURCE_DATE_EPOCH sets the time when --timestamp is absent', async () => {
    const a = join(tmp, 'sde-ours');
    const b = join(tmp, 'sde-theirs');
    await ours(['init', `--repo=${a}`, '--mode=archive']);
    await theirs(['init', `--repo=${b}`, '--mode=archive']);
    for (const value of ['1234567890', '  42xyz', 'abc', '99999999999999999999']) {
      const env = { SOURCE_DATE_EPOCH: value };
      const x = await ours([`--repo=${a}`, 'commit', '-b', 'main', small], { env });
      const y = await theirs([`--repo=${b}`, 'commit', '-b', 'main', small], { env });
      expect({ code: x.code, stdout: x.stdout, stderr: x.stderr }).toEqual({ code: y.code, stdout: y.stdout, stderr: y.stderr });
    }
  });

  it('--timestamp accepts what ostree accepts', async () => {
    const a = join(tmp, 'ts-ours');
    const b = join(tmp, 'ts-theirs');
    await ours(['init', `--repo=${a}`, '--mode=archive']);
    await theirs(['init', `--repo=${b}`, '--mode=archive']);
    for (const TZ of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      for (const ts of ['@0', '@-5', '@1.5', '2021-01-01', '2021-1-2 3:04', '2021-07-01 12:00', '2021-01-01T00:00:00Z', '2021-01-01 00:00:00 +0100', '2021-01-01 00:00:00 UTC', '2021-01-01T10:00:00-07:30', 'garbage', '2021-13-01', '1609459200']) {
        const args = ['commit', '--orphan', '--no-bindings', `--timestamp=${ts}`, small];
        const x = await ours([`--repo=${a}`, ...args], { env: { TZ } });
        const y = await theirs([`--repo=${b}`, ...args], { env: { TZ } });
        expect({ TZ, ts, code: x.code, stdout: x.stdout, stderr: x.stderr }).toEqual({ TZ, ts, code: y.code, stdout: y.stdout, stderr: y.stderr });
      }
    }
  });
});
