// The /etc three-way merge against real ostree: two deployments, a crafted local /etc on the
// first, new defaults in the second; the `etc` our merge builds must equal the one
// `ostree admin deploy` built (types, content, link targets, modes, owners, user xattrs, file mtimes).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync,
  utimesSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryFs } from '@ostree-ts/io';
import { nodeFs } from '@ostree-ts/io-node';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { diffEtc, etcMergeSummary, mergeEtc } from '../src/etc-merge.js';

const hasAdminOstree =
  spawnSync('ostree', ['--version'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0 &&
  process.getuid?.() === 0;

const OS = 'testos';
const testStart = Date.now();
const temps: string[] = [];
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

type Spec = Record<string, string | { content: string; mode: number } | { symlink: string } | { dir: number }>;

function writeSpec(root: string, spec: Spec): void {
  for (const [path, what] of Object.entries(spec)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    if (typeof what === 'string') writeFileSync(full, what);
    else if ('symlink' in what) symlinkSync(what.symlink, full);
    else if ('dir' in what) {
      mkdirSync(full, { recursive: true });
      chmodSync(full, what.dir);
    } else {
      writeFileSync(full, what.content);
      chmodSync(full, what.mode);
    }
  }
}

function commit(sysroot: string, version: string, etc: Spec): void {
  const tree = tempDir('ostree-ts-etc-tree-');
  writeSpec(tree, {
    'usr/lib/modules/5.10.0-test/vmlinuz': 'KERNEL',
    'usr/lib/modules/5.10.0-test/initramfs.img': 'INITRAMFS',
    'usr/lib/os-release': 'ID=testos\nPRETTY_NAME="TestOS"\n',
  });
  mkdirSync(join(tree, 'usr/etc'), { recursive: true });
  writeSpec(join(tree, 'usr/etc'), etc);
  execFileSync('ostree', [`--repo=${sysroot}/ostree/repo`, 'commit', '-b', `${OS}/stable`, `--tree=dir=${tree}`, '--owner-uid=0', '--owner-gid=0', '-s', version]);
}

/** `ostree admin ARGS` without CAP_SYS_ADMIN (never freezes /boot), with mutable deployments. */
function admin(args: string[]): string {
  const r = spawnSync('setpriv', ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', ...args], {
    encoding: 'utf8',
    env: { ...process.env, OSTREE_SYSROOT_DEBUG: 'mutable-deployments' },
  });
  if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr}`);
  return r.stdout + r.stderr;
}

function deploy(sysroot: string): string {
  return admin(['deploy', `--sysroot=${sysroot}`, `--os=${OS}`, `${OS}/stable`]);
}

/** Deployment roots, newest (default) first. */
function deployments(sysroot: string): string[] {
  const out = admin(['status', `--sysroot=${sysroot}`]);
  return [...out.matchAll(/^\*?\s*testos ([0-9a-f]{64}\.[0-9]+)/gm)].map((m) => join(sysroot, 'ostree/deploy', OS, 'deploy', m[1]!));
}

interface Node {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  content?: string;
  target?: string;
  xattrs?: string;
  mtime?: number | 'recent';
}

/** Everything about a tree that the merge is supposed to reproduce. */
function snapshot(root: string): Record<string, Node> {
  const out: Record<string, Node> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const full = join(root, path);
      const st = lstatSync(full);
      const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
      const node: Node = { type, mode: st.mode, uid: st.uid, gid: st.gid };
      if (st.isFile()) {
        node.content = readFileSync(full, 'utf8');
        // Fresh copies (of defaults, or edited during the test) get the current time in both
        // implementations; older times must be carried over to the second.
        node.mtime = st.mtimeMs > testStart - 60_000 ? 'recent' : Math.floor(st.mtimeMs / 1000);
      }
      if (st.isSymbolicLink()) node.target = readlinkSync(full);
      else if (type !== 'other') node.xattrs = spawnSync('getfattr', ['-d', '-m', '^user\\.', '--absolute-names', full], { encoding: 'utf8' }).stdout.replace(/^# file: .*\n/, '');
      out[path] = node;
      if (st.isDirectory()) walk(path);
    }
  };
  walk('');
  return out;
}

const V1: Spec = {
  'app.conf': 'app default 1\n',
  hostname: 'device\n',
  passwd: 'root:x:0:0::/root:/bin/sh\n',
  'keep.conf': 'keep 1\n',
  'owned.conf': 'owned\n',
  'xattr-only.conf': 'same content\n',
  'xattr-and-content.conf': 'v1\n',
  link: { symlink: 'app.conf' },
  'conf.d': { dir: 0o755 },
  'conf.d/a/b/deep.conf': 'deep 1\n',
  'conf.d/a/b/untouched.conf': 'untouched 1\n',
  'conf.d/mode-only.conf': 'mode only\n',
  typechange: 'was a file\n',
  'dir-to-file/inner': 'inner\n',
  'olddir/x': 'x\n',
  'shadow': { content: 'root:*:1::::::\n', mode: 0o600 },
  'newly-dir': 'file now\n',
  'plain.d': { dir: 0o755 },
  'plain.d/sub/file': 'plain\n',
};

const V2: Spec = {
  'app.conf': 'app default 2\n',
  hostname: 'device-2\n',
  'keep.conf': 'keep 2\n',
  'owned.conf': 'owned 2\n',
  'xattr-only.conf': 'same content 2\n',
  'xattr-and-content.conf': 'v2\n',
  link: { symlink: 'app.conf' },
  'conf.d': { dir: 0o755 },
  'conf.d/a/b/deep.conf': 'deep 2\n',
  'conf.d/a/b/untouched.conf': 'untouched 2\n',
  'conf.d/mode-only.conf': 'mode only\n',
  'conf.d/new-default.conf': 'arrives\n',
  typechange: 'was a file\n',
  'olddir/x': 'x\n',
  'olddir/y': 'y arrives in a locally deleted dir\n',
  'newdefault.conf': 'new default\n',
  'newdir2/z': 'z\n',
  shadow: { content: 'root:*:2::::::\n', mode: 0o600 },
  'newly-dir': 'file now\n',
  'plain.d': { dir: 0o755 },
  'plain.d/sub/file': 'plain\n',
};

/** The local edits an administrator made to the first deployment's /etc. */
function editLocalEtc(etc: string): void {
  writeFileSync(join(etc, 'app.conf'), 'app LOCAL\n');
  utimesSync(join(etc, 'app.conf'), 1_500_000_000, 1_500_000_000);
  rmSync(join(etc, 'hostname'));
  chmodSync(join(etc, 'passwd'), 0o600);
  chownSync(join(etc, 'owned.conf'), 1000, 1001);
  execFileSync('setfattr', ['-n', 'user.label', '-v', 'relabel-only', join(etc, 'xattr-only.conf')]);
  writeFileSync(join(etc, 'xattr-and-content.conf'), 'local\n');
  execFileSync('setfattr', ['-n', 'user.label', '-v', 'local', join(etc, 'xattr-and-content.conf')]);
  rmSync(join(etc, 'link'));
  symlinkSync('/etc/somewhere-else', join(etc, 'link'));
  chmodSync(join(etc, 'conf.d'), 0o750);
  chmodSync(join(etc, 'plain.d'), 0o700);
  writeFileSync(join(etc, 'conf.d/a/b/deep.conf'), 'deep LOCAL\n');
  chmodSync(join(etc, 'conf.d/a/b'), 0o700);
  chownSync(join(etc, 'conf.d/a/b'), 0, 1001);
  chmodSync(join(etc, 'conf.d/mode-only.conf'), 0o640);
  rmSync(join(etc, 'typechange'));
  mkdirSync(join(etc, 'typechange'));
  writeFileSync(join(etc, 'typechange/now-a-dir'), 'inside\n');
  rmSync(join(etc, 'dir-to-file'), { recursive: true });
  writeFileSync(join(etc, 'dir-to-file'), 'now a file\n');
  rmSync(join(etc, 'olddir'), { recursive: true });
  writeFileSync(join(etc, 'shadow'), 'root:LOCAL:1::::::\n');
  writeFileSync(join(etc, 'local-added.conf'), 'mine\n');
  mkdirSync(join(etc, 'newdir/sub'), { recursive: true, mode: 0o700 });
  chmodSync(join(etc, 'newdir'), 0o711);
  writeFileSync(join(etc, 'newdir/sub/file'), 'nested local\n');
  symlinkSync('../app.conf', join(etc, 'newdir/sub/rel-link'));
  execFileSync('setfattr', ['-n', 'user.dir', '-v', 'on-dir', join(etc, 'newdir/sub')]);
}

/** Deploys `v1`, applies `edit` to its /etc, deploys `v2` (merging from the first); returns both roots, or ostree's error. */
function twoDeployments(v1: Spec, edit: (etc: string) => void, v2: Spec): { first: string; second: string; before: Record<string, Node>; log: string } {
  const sysroot = join(tempDir('ostree-ts-etc-'), 'sysroot');
  mkdirSync(sysroot);
  admin(['init-fs', sysroot]);
  admin(['os-init', OS, `--sysroot=${sysroot}`]);
  execFileSync('ostree', [`--repo=${sysroot}/ostree/repo`, 'config', 'set', 'sysroot.bootloader', 'none']);
  commit(sysroot, '1', v1);
  deploy(sysroot);
  const [first] = deployments(sysroot);
  edit(join(first!, 'etc'));
  const before = snapshot(join(first!, 'etc'));
  commit(sysroot, '2', v2);
  const log = deploy(sysroot);
  const [second, merge] = deployments(sysroot);
  expect(merge).toBe(first);
  return { first: first!, second: second!, before, log };
}

describe.skipIf(!hasAdminOstree)('/etc merge matches real ostree admin deploy', () => {
  it('modified, deleted, added, modes, owners, symlinks, nested dirs, type changes, new defaults', async () => {
    const { first, second, before, log } = twoDeployments(V1, editLocalEtc, V2);
    const scratch = join(tempDir('ostree-ts-etc-ours-'), 'etc');
    const fs = nodeFs();
    const result = await mergeEtc(fs, {
      origDefaults: join(first, 'usr/etc'),
      modifiedEtc: join(first, 'etc'),
      newDefaults: join(second, 'usr/etc'),
      target: scratch,
    });
    // Same counts as ostree's own summary line.
    expect(log).toContain(`${etcMergeSummary(result)}\n`);
    expect([...result.removed].sort()).toEqual(['hostname', 'olddir']);
    expect(result.added).toContain('newdir/sub/rel-link');
    expect(result.modified).not.toContain('xattr-only.conf');

    const theirs = snapshot(join(second, 'etc'));
    const ours = snapshot(scratch);
    expect(theirs['app.conf']?.content).toBe('app LOCAL\n');
    expect(theirs['hostname']).toBeUndefined();
    expect(theirs['keep.conf']?.content).toBe('keep 2\n');
    expect(theirs['passwd']?.mode).toBe(0o100600);
    expect(theirs['plain.d']?.mode).toBe(0o40755); // a local chmod of a directory that still exists is lost…
    expect(theirs['conf.d']?.mode).toBe(0o40750); // …unless a changed file directly inside carries it over
    expect(theirs['conf.d/a/b']?.mode).toBe(0o40700);
    expect(ours).toEqual(theirs);
    // The merge deployment's /etc is read, never written.
    expect(snapshot(join(first, 'etc'))).toEqual(before);
  });
});

describe.skipIf(!hasAdminOstree)('/etc merge conflicts like real ostree', () => {
  it('a local file where the new defaults still have a directory fails in both', async () => {
    const v1: Spec = { 'dir-to-file/inner': 'inner\n' };
    const edit = (etc: string) => {
      rmSync(join(etc, 'dir-to-file'), { recursive: true });
      writeFileSync(join(etc, 'dir-to-file'), 'now a file\n');
    };
    expect(() => twoDeployments(v1, edit, { 'dir-to-file/inner': 'inner 2\n' })).toThrow(
      /During \/etc merge: Modified config file newly defaults to directory 'dir-to-file', cannot merge/,
    );
    // Ours on the same inputs (the second deployment's defaults stand in for the failed one's).
    const root = tempDir('ostree-ts-etc-conflict-');
    writeSpec(join(root, 'm/usr/etc'), v1);
    writeSpec(join(root, 'm/etc'), { 'dir-to-file': 'now a file\n' });
    writeSpec(join(root, 'n/usr/etc'), { 'dir-to-file/inner': 'inner 2\n' });
    await expect(
      mergeEtc(nodeFs(), { origDefaults: join(root, 'm/usr/etc'), modifiedEtc: join(root, 'm/etc'), newDefaults: join(root, 'n/usr/etc'), target: join(root, 'n/etc') }),
    ).rejects.toThrow(/During \/etc merge: Modified config file newly defaults to directory 'dir-to-file', cannot merge/);
  });
});

describe.skipIf(!hasAdminOstree)('/etc merge and special files like real ostree', () => {
  it('a FIFO added at the top is skipped', async () => {
    const { first, second } = twoDeployments({ 'a.conf': 'a\n' }, (etc) => execFileSync('mkfifo', [join(etc, 'fifo')]), { 'a.conf': 'a2\n' });
    const ours = join(tempDir('ostree-ts-etc-fifo-'), 'etc');
    const result = await mergeEtc(nodeFs(), { origDefaults: join(first, 'usr/etc'), modifiedEtc: join(first, 'etc'), newDefaults: join(second, 'usr/etc'), target: ours });
    expect(result.added).toEqual(['fifo']);
    expect(snapshot(ours)).toEqual(snapshot(join(second, 'etc')));
    expect(snapshot(ours)['fifo']).toBeUndefined();
  });

  it('a FIFO inside a locally added directory fails in both', async () => {
    const edit = (etc: string) => {
      mkdirSync(join(etc, 'dir'));
      execFileSync('mkfifo', [join(etc, 'dir/fifo')]);
    };
    let message = '';
    try {
      twoDeployments({ 'a.conf': 'a\n' }, edit, { 'a.conf': 'a2\n' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/During \/etc merge: Copying fifo: Cannot copy non-regular\/non-symlink file: fifo/);
    const root = tempDir('ostree-ts-etc-fifo2-');
    writeSpec(join(root, 'm/usr/etc'), { 'a.conf': 'a\n' });
    writeSpec(join(root, 'm/etc'), { 'a.conf': 'a\n' });
    edit(join(root, 'm/etc'));
    writeSpec(join(root, 'n/usr/etc'), { 'a.conf': 'a2\n' });
    await expect(
      mergeEtc(nodeFs(), { origDefaults: join(root, 'm/usr/etc'), modifiedEtc: join(root, 'm/etc'), newDefaults: join(root, 'n/usr/etc'), target: join(root, 'n/etc') }),
    ).rejects.toThrow(/During \/etc merge: Copying fifo: Cannot copy non-regular\/non-symlink file: fifo/);
  });
});

// Random trees, random local edits, random new defaults.
const LEAVES = ['a', 'a/inner', 'b', 'c', 'd/x', 'd/y', 'd/e', 'd/e/z', 'g/h'];
const DIRS = ['a', 'd', 'd/e', 'g'];
const leafValue = fc.constantFrom<Spec[string]>('one\n', 'two\n', { symlink: 'b' }, { content: 'private\n', mode: 0o600 }, { content: 'x\n', mode: 0o755 });
const treeArb = fc.record(Object.fromEntries(LEAVES.map((l) => [l, fc.option(leafValue, { nil: undefined })]))).map((rec) => {
  const spec: Spec = {};
  const chosen = LEAVES.filter((l) => rec[l] !== undefined);
  // A leaf that is the parent of another chosen leaf must be a directory: drop it.
  for (const l of chosen) if (!chosen.some((o) => o.startsWith(`${l}/`))) spec[l] = rec[l]!;
  return spec;
});
type Edit = { op: 'write' | 'chmod' | 'chown' | 'rm' | 'symlink' | 'mkdir'; path: string };
const editArb = fc.array(
  fc.record({ op: fc.constantFrom<Edit['op']>('write', 'chmod', 'chown', 'rm', 'symlink', 'mkdir'), path: fc.constantFrom(...LEAVES, ...DIRS) }),
  { maxLength: 6 },
);

function applyEdits(etc: string, edits: readonly Edit[]): void {
  for (const { op, path } of edits) {
    const full = join(etc, path);
    try {
      if (op === 'write') {
        mkdirSync(join(full, '..'), { recursive: true });
        writeFileSync(full, `local ${path}\n`);
      } else if (op === 'chmod') chmodSync(full, lstatSync(full).isDirectory() ? 0o700 : 0o600);
      else if (op === 'chown') lchownSync(full, 1000, 1001);
      else if (op === 'rm') rmSync(full, { recursive: true, force: true });
      else if (op === 'symlink') {
        rmSync(full, { recursive: true, force: true });
        mkdirSync(join(full, '..'), { recursive: true });
        symlinkSync(`../target-of-${path.replaceAll('/', '-')}`, full);
      } else {
        rmSync(full, { recursive: true, force: true });
        mkdirSync(full, { recursive: true, mode: 0o750 });
        writeFileSync(join(full, 'inside'), 'inside\n');
      }
    } catch {
      // An edit that does not apply (e.g. a parent is a file) is skipped.
    }
  }
}

describe.skipIf(!hasAdminOstree)('/etc merge on random trees matches real ostree', () => {
  it('same tree, or the same error', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, editArb, treeArb, async (v1, edits, v2) => {
        let ostree: { first: string; second: string } | undefined;
        let failure = '';
        let first = '';
        try {
          ostree = twoDeployments(v1, (etc) => {
            first = join(etc, '..');
            applyEdits(etc, edits);
          }, v2);
        } catch (e) {
          failure = (e as Error).message;
          if (!failure.startsWith('deploy failed')) throw e;
        }
        const root = tempDir('ostree-ts-etc-rand-');
        let newDefaults = join(root, 'usr-etc');
        if (ostree !== undefined) newDefaults = join(ostree.second, 'usr/etc');
        else {
          mkdirSync(newDefaults);
          writeSpec(newDefaults, v2);
        }
        const target = join(root, 'etc');
        let ours: Error | undefined;
        try {
          await mergeEtc(nodeFs(), { origDefaults: join(first, 'usr/etc'), modifiedEtc: join(first, 'etc'), newDefaults, target });
        } catch (e) {
          ours = e as Error;
        }
        if (ostree === undefined) {
          expect(ours).toBeDefined();
          expect(failure).toContain(ours!.message);
        } else {
          expect(ours).toBeUndefined();
          expect(snapshot(target)).toEqual(snapshot(join(ostree.second, 'etc')));
        }
      }),
      { numRuns: Number(process.env.ETC_MERGE_RUNS ?? 20) }, // ETC_MERGE_RUNS=150 for a deeper search
    );
  }, 300_000);
});

describe('/etc merge rules on their own', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('fails when a local file meets a directory in the new defaults', async () => {
    const fs = memoryFs();
    for (const d of ['/m/usr/etc', '/m/etc', '/n/etc/thing']) await fs.mkdir(d, { recursive: true });
    await fs.writeFile('/m/usr/etc/thing', enc('file'));
    await fs.writeFile('/m/etc/thing', enc('edited'));
    await expect(mergeEtc(fs, { origDefaults: '/m/usr/etc', modifiedEtc: '/m/etc', target: '/n/etc' })).rejects.toThrow(
      /newly defaults to directory 'thing'/,
    );
  });

  it('ignores xattr-only changes and reports type changes as modified', async () => {
    const fs = memoryFs();
    for (const d of ['/a', '/b/t']) await fs.mkdir(d, { recursive: true });
    await fs.writeFile('/a/x', enc('same'));
    await fs.writeFile('/b/x', enc('same'));
    await fs.setXattr('/b/x', 'user.a', enc('1'));
    await fs.writeFile('/a/t', enc('file'));
    expect(await diffEtc(fs, '/a', '/b')).toEqual({ modified: ['t'], removed: [], added: [] });
  });

  it('refuses to copy into an existing target when new defaults are given', async () => {
    const fs = memoryFs();
    for (const d of ['/a', '/b', '/n', '/t']) await fs.mkdir(d, { recursive: true });
    await expect(mergeEtc(fs, { origDefaults: '/a', modifiedEtc: '/b', newDefaults: '/n', target: '/t' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
  });
});
