/**
 * ostree-ts against real ostree on the same repositories: output, exit code and error message
 * for reading commands and their error cases, and the resulting repository state for writing
 * commands (refs, config, remotes).
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackRepo, type UnpackedRepo } from '../../../test-vectors/repos/unpack.js';
import { ours, sh, theirs, type RunResult } from './helpers/run.js';

let golden: UnpackedRepo;
let tmp: string;
let counter = 0;

beforeAll(async () => {
  golden = await unpackRepo('archive');
  tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-cli-behaviour-'));
});

afterAll(async () => {
  await golden.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';

/** Same exit code, same stdout, same final stderr line (help text names the program). */
function expectSame(a: RunResult, b: RunResult): void {
  expect({ code: a.code, stdout: a.stdout, error: lastLine(a.stderr) }).toEqual({ code: b.code, stdout: b.stdout, error: lastLine(b.stderr) });
}

async function twins(): Promise<[string, string]> {
  const n = counter++;
  const a = join(tmp, `ours-${n}`);
  const b = join(tmp, `theirs-${n}`);
  await cp(golden.path, a, { recursive: true, verbatimSymlinks: true });
  await cp(golden.path, b, { recursive: true, verbatimSymlinks: true });
  return [a, b];
}

async function tree(dir: string): Promise<string> {
  const out = await sh('find', ['.', '-path', './objects', '-prune', '-o', '-path', './tmp', '-prune', '-o', '-printf', '%p %y %l\\n'], dir);
  return out.split('\n').sort().join('\n');
}

describe('reading commands match ostree', () => {
  const MAIN = 'b9d5da58cfa76d8e49b1a2e0abc04ba2229442ae20eea1fc2de0513328bdb18b';
  const cases: readonly (readonly string[])[] = [
    ['rev-parse', 'test/main'],
    ['rev-parse', 'test/main^'],
    ['rev-parse', 'test/main^^'],
    ['rev-parse', 'b9d5'],
    ['rev-parse', ''],
    ['rev-parse', 'nope'],
    ['rev-parse', 'origin:nope'],
    ['rev-parse', 'bad name'],
    ['rev-parse', '--', '-x'],
    ['rev-parse', 'test/main', 'test/sizes'],
    ['rev-parse'],
    ['rev-parse', '--single'],
    ['rev-parse', '-S', 'x'],
    ['log'],
    ['log', 'nope'],
    ['log', '--raw', 'test/main'],
    ['log', '0000000000000000000000000000000000000000000000000000000000000000'],
    ['show', 'test/main'],
    ['show', '--raw', 'test/main'],
    ['show', '-B', 'test/main'],
    ['show', '--print-metadata-key=version', 'test/main'],
    ['show', '--print-metadata-key=test.number', 'test/main'],
    ['show', '-B', '--print-metadata-key=test.number', 'test/main'],
    ['show', '--print-metadata-key=test.list', 'test/main'],
    ['show', '--print-metadata-key=ostree.sizes', 'test/sizes'],
    ['show', '--print-metadata-key=nope', 'test/main'],
    ['show', '--print-detached-metadata-key=nope', 'test/main'],
    ['show', '--print-detached-metadata-key=test.detached', 'test/sizes'],
    ['show', '--print-related', 'test/main'],
    ['show', '--print-sizes', 'test/main'],
    ['show', MAIN],
    ['show', '446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488'],
    ['show', '--raw', '446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488'],
    ['show', 'c3345533509be7b939dfbdc64269deed011ebb2b84aff8eea2a5c91b6dae9611'],
    ['show', '0000000000000000000000000000000000000000000000000000000000000000'],
    ['show'],
    ['ls', 'test/main'],
    ['ls', '-d', 'test/main'],
    ['ls', 'test/main', '/data', 'bin/hello.sh', 'links'],
    ['ls', '-C', 'test/main', 'links/to-dir'],
    ['ls', '--nul-filenames-only', '-R', 'test/main'],
    ['ls', 'test/main', 'data/'],
    ['ls', 'test/main', '//data'],
    ['ls', 'test/main', './data'],
    ['ls', 'test/main', 'README.txt/x'],
    ['ls', 'test/main', ''],
    ['ls', 'nope'],
    ['ls'],
    ['cat', 'test/main', '/README.txt', 'added.txt'],
    ['cat', 'test/main', '/links/to-file'],
    ['cat', 'test/main', '/links/absolute'],
    ['cat', 'test/main', '/data'],
    ['cat', 'test/main', '/nope'],
    ['cat', 'test/main'],
    ['refs'],
    ['refs', 'test'],
    ['refs', '--list', 'test'],
    ['refs', 'test/main'],
    ['refs', 'nope'],
    ['refs', 'origin:'],
    ['refs', 'bad name'],
    ['refs', '--alias'],
    ['refs', '--delete'],
    ['refs', '--create=x'],
    ['refs', '--create=x', 'a', 'b'],
    ['config', 'get', 'core.mode'],
    ['config', 'get', '--group=core', 'repo_version'],
    ['config', 'get', 'core.nope'],
    ['config', 'get', 'nope.x'],
    ['config', 'get', 'nodot'],
    ['config', 'get'],
    ['config'],
    ['config', 'get', 'a.b', 'c'],
    ['config', 'frob', 'a.b'],
    ['remote', 'list'],
    ['remote', 'show-url', 'nope'],
    ['remote', 'show-url', 'file:///x'],
    ['remote'],
    ['remote', 'frob'],
    ['frob'],
    [],
    ['log', '--frob', 'test/main'],
    ['commit', '-bfoo'],
    ['commit', '--owner-uid=abc', '-b', 'x'],
    ['commit', '--owner-uid=99999999999', '-b', 'x'],
    ['commit', '-b'],
    ['commit'],
    ['commit', '--orphan', '--fsync=maybe', '/nonexistent'],
    ['commit', '-b', 'x', '/nonexistent'],
    ['commit', '-b', 'x', '--tree=foo'],
    ['commit', '-b', 'x', '--tree=zip=/tmp'],
    ['commit', '-b', 'x', '--parent=abc', '/tmp'],
    ['commit', '-b', 'x', '--add-metadata=k', '/tmp'],
    ['commit', '-b', 'x', '--add-metadata=k=[]', '/tmp'],
    ['commit', '-b', 'x', '--add-metadata=k=foo', '/tmp'],
    ['commit', '-b', 'x', '--canonical-permissions', '--owner-uid=5', '/tmp'],
    ['commit', '-b', 'x', '--timestamp=garbage', '--orphan', '--no-bindings', '/nonexistent'],
  ];
  it.each(cases.map((c) => [c.join(' '), c] as const))('%s', async (_, args) => {
    expectSame(await ours([`--repo=${golden.path}`, ...args]), await theirs([`--repo=${golden.path}`, ...args]));
  });

  it('--help prints help on stdout and exits 0', async () => {
    const a = await ours(['refs', '--help']);
    const b = await theirs(['refs', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout.replaceAll('ostree-ts', 'ostree')).toBe(b.stdout);
  });

  it('usage errors print the command help first, like ostree', async () => {
    const a = await ours([`--repo=${golden.path}`, 'log']);
    const b = await theirs([`--repo=${golden.path}`, 'log']);
    expect(a.stderr.replaceAll('ostree-ts', 'ostree')).toBe(b.stderr);
  });

  it('finds the repository in the working directory, then $OSTREE_REPO, else asks for --repo', async () => {
    expectSame(await ours(['refs'], { cwd: golden.path }), await theirs(['refs'], { cwd: golden.path }));
    expectSame(await ours(['refs'], { cwd: tmp, env: { OSTREE_REPO: golden.path } }), await theirs(['refs'], { cwd: tmp, env: { OSTREE_REPO: golden.path } }));
    expectSame(await ours(['refs'], { cwd: tmp }), await theirs(['refs'], { cwd: tmp }));
    expectSame(await ours(['--repo=/nonexistent', 'refs']), await theirs(['--repo=/nonexistent', 'refs']));
    expectSame(await ours([`--repo=${tmp}`, 'refs']), await theirs([`--repo=${tmp}`, 'refs']));
  });

  it('reports missing objects as ostree does', async () => {
    const [a] = await twins();
    await sh('sh', ['-c', 'rm objects/c3/345533509be7b939dfbdc64269deed011ebb2b84aff8eea2a5c91b6dae9611.filez objects/70/13aa9da80d9f7b4b91039580d2f88b9db3899d79da99563d3ae778f60d796d.dirtree'], a);
    await sh('sh', ['-c', 'rm objects/09/0f38b1226d93f4442ed31e30da8fecde648ecb679f60e3ebdacfcaca69805c.commit'], a);
    for (const args of [['log', 'test/main'], ['log', 'test/main^'], ['rev-parse', 'test/main^^'], ['ls', '-R', 'test/main'], ['cat', 'test/main', '/README.txt'], ['ls', 'test/main', '/README.txt'], ['ls', 'test/main', '/bin'], ['show', 'c3345533509be7b939dfbdc64269deed011ebb2b84aff8eea2a5c91b6dae9611']]) {
      expectSame(await ours([`--repo=${a}`, ...args]), await theirs([`--repo=${a}`, ...args]));
    }
  });

  it('lists many refs in the order ostree prints them (GHashTable order)', async () => {
    const [a] = await twins();
    const commit = 'b9d5da58cfa76d8e49b1a2e0abc04ba2229442ae20eea1fc2de0513328bdb18b';
    const script = [
      ...Array.from({ length: 90 }, (_, i) => `mkdir -p refs/heads/$(dirname x/ref${i}) && echo ${commit} > refs/heads/ref${i}`),
      ...Array.from({ length: 25 }, (_, i) => `mkdir -p refs/heads/dir refs/remotes/origin/sub && echo ${commit} > refs/heads/dir/d${i} && echo ${commit} > refs/remotes/origin/sub/r${i}`),
    ].join('\n');
    await sh('sh', ['-c', script], a);
    for (const args of [['refs'], ['refs', 'dir'], ['refs', '--list', 'dir'], ['refs', 'origin:'], ['refs', 'origin:sub']]) {
      expectSame(await ours([`--repo=${a}`, ...args]), await theirs([`--repo=${a}`, ...args]));
    }
  });

  it('global options work before or after the command', async () => {
    expectSame(await ours([`--repo=${golden.path}`, 'rev-parse', 'test/main']), await ours(['rev-parse', 'test/main', `--repo=${golden.path}`]));
    expectSame(await ours(['--repo', golden.path, 'refs']), await theirs(['--repo', golden.path, 'refs']));
  });
});

describe('writing commands leave the repository as ostree does', () => {
  const scripts: readonly (readonly (readonly string[])[])[] = [
    [['refs', '--create=new', 'test/main'], ['refs', '--create=remote:x/y', 'test/sizes'], ['refs']],
    [['refs', '--create=test/main', 'test/sizes']],
    [['refs', '--create=test/main', '--force', 'test/sizes'], ['rev-parse', 'test/main']],
    [['refs', '--create=test', 'test/main']],
    [['refs', '--create=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'test/main']],
    [['refs', '--alias', '--create=al', 'test/main'], ['refs', '--alias'], ['rev-parse', 'al'], ['refs', '--delete', 'test/main']],
    [['refs', '--alias', '--create=deep/al', 'test/main'], ['refs', '--alias']],
    [['refs', '--alias', '--create=al', 'nope']],
    [['refs', '--delete', 'test'], ['refs']],
    [['refs', '--delete', 'test/sizes'], ['refs']],
    [['config', 'set', 'core.foo', ' leading space and \\ backslash'], ['config', 'get', 'core.foo']],
    [['config', 'set', '--group=remote "x"', 'url', 'http://example.com'], ['remote', 'list', '-u']],
    [['config', 'unset', 'core.indexed-deltas'], ['config', 'unset', 'core.nope'], ['config', 'unset', 'nope.nope']],
    [['config', 'set', 'a.b']],
    [
      ['remote', 'add', '--set=xa.title=My Title', '--set=gpg-verify=true', '--no-gpg-verify', 'origin', 'https://example.com/repo', 'main', 'other'],
      ['remote', 'add', '--collection-id=org.example.Os', '--contenturl=http://c', 'second', 'metalink=http://m'],
      ['remote', 'list'],
      ['remote', 'list', '-u'],
      ['remote', 'show-url', 'origin'],
      ['remote', 'add', 'origin', 'http://x'],
      ['remote', 'add', '--if-not-exists', 'origin', 'http://x'],
      ['remote', 'add', '--force', 'origin', 'http://replaced'],
      ['remote', 'add', '--set=noequals', 'third', 'http://x'],
      ['remote', 'add', 'bad name', 'http://x'],
      ['remote', 'add', 'only-name'],
      ['remote', 'delete', 'nope'],
      ['remote', 'delete', '--if-exists', 'nope'],
      ['remote', 'delete', 'second'],
    ],
    [
      ['remote', 'add', '--no-gpg-verify', '--sign-verify=dummy=inline:abc', '--sign-verify=dummy=file:/k', '--set=x=y', 'signed', 'http://x/', 'main'],
      ['remote', 'add', '--sign-verify=dummy=foo:abc', 'bad-ref', 'http://x/'],
      ['remote', 'add', '--sign-verify=dummy', 'no-ref', 'http://x/'],
      ['remote', 'add', '--sign-verify=nope=inline:abc', 'bad-type', 'http://x/'],
      ['remote', 'add', '--no-sign-verify', '--sign-verify=dummy=inline:abc', 'both', 'http://x/'],
    ],
    [['commit', '-b', 'x:y', '--timestamp=@0', '--orphan', '/nonexistent']],
  ];
  it.each(scripts.map((s) => [s.map((c) => c.join(' ')).join(' ; '), s] as const))('%s', async (_, script) => {
    const [a, b] = await twins();
    for (const args of script) expectSame(await ours([`--repo=${a}`, ...args]), await theirs([`--repo=${b}`, ...args]));
    expect(await readFile(join(a, 'config'), 'utf8')).toBe(await readFile(join(b, 'config'), 'utf8'));
    expect(await tree(a)).toBe(await tree(b));
  });

  it('init matches ostree for every mode, an existing repo and a bad mode', async () => {
    for (const args of [['--mode=archive-z2'], ['--mode=bare-user', '--collection-id=org.example.Foo'], ['--collection-id=bad'], ['--mode=frob'], []]) {
      const a = join(tmp, `init-ours-${counter}`);
      const b = join(tmp, `init-theirs-${counter++}`);
      expectSame(await ours(['init', `--repo=${a}`, ...args]), await theirs(['init', `--repo=${b}`, ...args]));
      expectSame(await ours(['init', `--repo=${a}`, '--mode=archive']), await theirs(['init', `--repo=${b}`, '--mode=archive']));
      const existsA = await sh('sh', ['-c', `test -e ${a} && echo yes || echo no`]);
      expect(existsA).toBe(await sh('sh', ['-c', `test -e ${b} && echo yes || echo no`]));
      if (existsA.trim() === 'yes') expect(await tree(a)).toBe(await tree(b));
    }
    expectSame(await ours(['init', `--repo=${join(tmp, 'no/such/parent')}`]), await theirs(['init', `--repo=${join(tmp, 'no/such/parent')}`]));
  });
});

describe('summary, fsck and prune match ostree', () => {
  async function objects(dir: string): Promise<string> {
    return (await sh('find', ['objects', 'deltas', 'delta-indexes', '-type', 'f', '-o', '-type', 'l'], dir).catch(() => sh('find', ['objects', '-type', 'f'], dir)))
      .split('\n')
      .sort()
      .join('\n');
  }

  it('summary -u writes the summary ostree writes (apart from its timestamp)', async () => {
    const [a, b] = await twins();
    for (const extra of [[], ['-m', 'test.key=uint32 7', '--add-metadata=test.s="x"']]) {
      expectSame(await ours([`--repo=${a}`, 'summary', '-u', ...extra]), await theirs([`--repo=${b}`, 'summary', '-u', ...extra]));
      const mask = (s: string): string => s.replace(/'ostree\.summary\.last-modified': <uint64 \d+>/, "'ostree.summary.last-modified': <uint64 T>");
      const rawA = await ours([`--repo=${a}`, 'summary', '--raw']);
      const rawB = await theirs([`--repo=${b}`, 'summary', '--raw']);
      expect(mask(rawA.stdout)).toBe(mask(rawB.stdout));
      expect(rawA.stdout).not.toBe('');
    }
    expect(await readFile(join(a, 'config'), 'utf8')).toBe(await readFile(join(b, 'config'), 'utf8'));
    expectSame(await ours([`--repo=${a}`, 'summary', '-m', 'k=frob', '-u']), await theirs([`--repo=${b}`, 'summary', '-m', 'k=frob', '-u']));
    expectSame(await ours([`--repo=${a}`, 'summary']), await theirs([`--repo=${b}`, 'summary']));
  });

  it.each([
    [['--no-prune']],
    [['--refs-only', '--no-prune']],
    [['--refs-only']],
    [['--refs-only', '--depth=0']],
    [['--keep-younger-than=2022-01-02 00:00:00 +0000']],
    [['--commit-only', '--refs-only', '--depth=0']],
    [['--delete-commit=090f38b1226d93f4442ed31e30da8fecde648ecb679f60e3ebdacfcaca69805c']],
    [['--delete-commit=b9d5da58cfa76d8e49b1a2e0abc04ba2229442ae20eea1fc2de0513328bdb18b']],
    [['--delete-commit=x', '--no-prune']],
    [['--static-deltas-only']],
  ])('prune %s', async (args) => {
    const [a, b] = await twins();
    expectSame(await ours([`--repo=${a}`, 'prune', ...args]), await theirs([`--repo=${b}`, 'prune', ...args]));
    expect(await objects(a)).toBe(await objects(b));
    expect(await readFile(join(a, 'config'), 'utf8')).toBe(await readFile(join(b, 'config'), 'utf8'));
    expectSame(await ours([`--repo=${a}`, 'fsck']), await theirs([`--repo=${b}`, 'fsck']));
  });

  it('prune keeps what remote refs need, as ostree does', async () => {
    const [a, b] = await twins();
    const move = 'mkdir -p refs/remotes/origin && mv refs/heads/test/sizes refs/remotes/origin/keep';
    await sh('sh', ['-c', move], a);
    await sh('sh', ['-c', move], b);
    const sizes = '72f6591148910e6d0a8bc5ba9e0a918c42d8cd5c3bd7f9b274cf2729f293012c';
    expectSame(await ours([`--repo=${a}`, 'prune', `--delete-commit=${sizes}`]), await theirs([`--repo=${b}`, 'prune', `--delete-commit=${sizes}`]));
    expectSame(await ours([`--repo=${a}`, 'prune']), await theirs([`--repo=${b}`, 'prune']));
    expectSame(await ours([`--repo=${a}`, 'prune', '--refs-only']), await theirs([`--repo=${b}`, 'prune', '--refs-only']));
    expect(await objects(a)).toBe(await objects(b));
  });

  it.each([
    ['a missing file object', 'rm objects/c3/345533509be7b939dfbdc64269deed011ebb2b84aff8eea2a5c91b6dae9611.filez', []],
    ['a missing dirtree', 'rm objects/4d/*.dirtree 2>/dev/null; rm -f objects/70/13aa9da80d9f7b4b91039580d2f88b9db3899d79da99563d3ae778f60d796d.dirtree', ['--all']],
    ['a corrupted file object', 'cp objects/ba/ad6221065feb56e473a995d1d5c94040c768fa29298d4140099fe3fa696f27.filez objects/c3/345533509be7b939dfbdc64269deed011ebb2b84aff8eea2a5c91b6dae9611.filez', []],
    ['a corrupted file object (--all)', 'cp objects/ba/ad6221065feb56e473a995d1d5c94040c768fa29298d4140099fe3fa696f27.filez objects/c3/345533509be7b939dfbdc64269deed011ebb2b84aff8eea2a5c91b6dae9611.filez', ['--all']],
    ['a corrupted file object (--delete)', 'cp objects/ba/ad6221065feb56e473a995d1d5c94040c768fa29298d4140099fe3fa696f27.filez objects/c3/345533509be7b939dfbdc64269deed011ebb2b84aff8eea2a5c91b6dae9611.filez', ['--delete']],
    ['a missing commit behind a ref', 'rm objects/b9/d5da58cfa76d8e49b1a2e0abc04ba2229442ae20eea1fc2de0513328bdb18b.commit', []],
  ])('fsck with %s', async (_, damage, args) => {
    const [a, b] = await twins();
    await sh('sh', ['-c', damage], a);
    await sh('sh', ['-c', damage], b);
    const x = await ours([`--repo=${a}`, 'fsck', '-q', ...args]);
    const y = await theirs([`--repo=${b}`, 'fsck', '-q', ...args]);
    // Without --all/--delete the first corruption stops the check, so how many progress lines
    // came before it depends on the order objects are visited in; the rest must match.
    const stop = args.length === 0 && damage.startsWith('cp ');
    const stdout = (r: typeof x): string => (stop ? '' : r.stdout);
    expect({ code: x.code, stdout: stdout(x), stderr: x.stderr.split('\n').sort() }).toEqual({ code: y.code, stdout: stdout(y), stderr: y.stderr.split('\n').sort() });
    expect(await tree(a)).toBe(await tree(b));
    // A second run sees what the first one left (deleted objects, partial commits).
    const x2 = await ours([`--repo=${a}`, 'fsck']);
    const y2 = await theirs([`--repo=${b}`, 'fsck']);
    expect({ code: x2.code, stdout: x2.stdout, stderr: x2.stderr.split('\n').sort() }).toEqual({ code: y2.code, stdout: y2.stdout, stderr: y2.stderr.split('\n').sort() });
  });
});
