// `ostree-ts sign`, `commit --sign`, `summary -u --sign`: byte layouts compared with real ostree
// through its `dummy` signer (OSTREE_DUMMY_SIGN_ENABLED=1), and ed25519 signatures checked both
// ways against libsodium (python3-nacl), since Debian's ostree has no ed25519 built in.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasOstree } from '../../../test-vectors/trees/ostree.js';
import { ours, sh, theirs } from './helpers/run.js';

const PY = '/usr/bin/python3';
const hasNacl = spawnSync(PY, ['-c', 'import nacl.bindings, gi'], { stdio: 'ignore' }).status === 0;
const DUMMY = { OSTREE_DUMMY_SIGN_ENABLED: '1' };

/** Runs a python snippet (libsodium via nacl, GLib via gi) with JSON in and out. */
function py(script: string, input: unknown): unknown {
  const r = spawnSync(PY, ['-c', `import json, sys\nfrom nacl import bindings as b\nfrom gi.repository import GLib\nargs = json.load(sys.stdin)\n${script}`], {
    input: JSON.stringify(input),
  });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString());
}

/** A libsodium keypair from a fixed seed: base64 secret (seed ‖ pk) and public key. */
function keypair(seedByte: number): { secret: string; public: string; hex: string } {
  return py(
    `pk, sk = b.crypto_sign_seed_keypair(bytes([args]) * 32)\nimport base64\nprint(json.dumps({'secret': base64.b64encode(sk).decode(), 'public': base64.b64encode(pk).decode(), 'hex': pk.hex()}))`,
    seedByte,
  ) as { secret: string; public: string; hex: string };
}

/** Verifies with libsodium every `ostree.sign.ed25519` signature in an a{sv} file over `data`. */
function libsodiumVerifies(metaPath: string, dataPath: string, publicKey: string): boolean[] {
  return py(
    `import base64
meta = GLib.Variant.new_from_bytes(GLib.VariantType.new('a{sv}'), GLib.Bytes.new(open(args[0], 'rb').read()), False)
data = open(args[1], 'rb').read()
pk = base64.b64decode(args[2])
sigs = meta.lookup_value('ostree.sign.ed25519', GLib.VariantType.new('aay'))
out = []
for i in range(sigs.n_children()):
    sig = bytes(sigs.get_child_value(i).get_data_as_bytes().get_data())
    try:
        b.crypto_sign_open(sig + data, pk); out.append(True)
    except Exception:
        out.append(False)
print(json.dumps(out))`,
    [metaPath, dataPath, publicKey],
  ) as boolean[];
}

/** Writes `.commitmeta` holding libsodium's signature of the commit (what ostree with libsodium writes). */
function libsodiumSignCommit(commitPath: string, metaPath: string, secret: string): void {
  py(
    `import base64
data = open(args[0], 'rb').read()
sig = b.crypto_sign(data, base64.b64decode(args[2]))[:64]
v = GLib.Variant('a{sv}', {'ostree.sign.ed25519': GLib.Variant('aay', [sig])})
open(args[1], 'wb').write(bytes(v.get_data_as_bytes().get_data()))
print('null')`,
    [commitPath, metaPath, secret],
  );
}

const objectFile = (repo: string, checksum: string, ext: string) => join(repo, 'objects', checksum.slice(0, 2), `${checksum.slice(2)}.${ext}`);

describe.skipIf(!hasOstree)('sign', () => {
  let tmp: string;
  let base: string;
  let commit: string;
  let n = 0;
  /** A fresh copy of the base repository. */
  const copy = async (): Promise<string> => {
    const dest = join(tmp, `repo-${n++}`);
    await sh('cp', ['-a', base, dest]);
    return dest;
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-sign-'));
    base = join(tmp, 'base');
    await mkdir(join(tmp, 'tree'));
    await writeFile(join(tmp, 'tree', 'a'), 'hello\n');
    await theirs([`--repo=${base}`, 'init', '--mode=archive']);
    const r = await theirs([
      `--repo=${base}`,
      'commit',
      '-b',
      'main',
      `--tree=dir=${join(tmp, 'tree')}`,
      '--add-detached-metadata-string=foo=bar',
      '--add-detached-metadata-string=zeta=1',
      '--timestamp=2020-01-01T00:00:00Z',
    ]);
    commit = r.stdout.trim();
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  describe('dummy signer: same bytes and output as real ostree', () => {
    it('appending signatures gives the same .commitmeta (GVariantDict order, existing keys kept)', async () => {
      const a = await copy();
      const b = await copy();
      for (const key of ['mykey', 'key2']) {
        const x = await ours([`--repo=${a}`, 'sign', '--sign-type=dummy', 'main', key], { env: DUMMY });
        const y = await theirs([`--repo=${b}`, 'sign', '--sign-type=dummy', 'main', key], { env: DUMMY });
        expect(x).toMatchObject({ code: y.code, stdout: y.stdout, stderr: y.stderr });
        expect(x.code).toBe(0);
      }
      const mine = await readFile(objectFile(a, commit, 'commitmeta'));
      expect(mine.equals(await readFile(objectFile(b, commit, 'commitmeta')))).toBe(true);
      expect(mine.includes('ostree.sign.dummy')).toBe(true);
    });

    it('verify: output and exit codes match, each verifies what the other signed', async () => {
      const a = await copy();
      const b = await copy();
      await ours([`--repo=${a}`, 'sign', '--sign-type=dummy', commit, 'k1'], { env: DUMMY });
      await theirs([`--repo=${b}`, 'sign', '--sign-type=dummy', commit, 'k1'], { env: DUMMY });
      const cases: [string[], Record<string, string>][] = [
        [['sign', '--sign-type=dummy', '--verify', commit, 'k1'], DUMMY],
        [['sign', '--sign-type=dummy', '--verify', commit, 'nope', 'k1'], DUMMY],
        [['sign', '--sign-type=dummy', '--verify', commit, 'nope'], DUMMY],
        [['sign', '--sign-type=dummy', '--verify', commit, 'k1'], {}],
        [['sign', '--sign-type=dummy', commit, 'k2'], {}],
        [['sign', '--sign-type=bogus', commit, 'k2'], {}],
        [['sign', commit], {}],
        [['sign'], {}],
      ];
      for (const [args, env] of cases) {
        for (const repo of [a, b]) {
          const x = await ours([`--repo=${repo}`, ...args], { env });
          const y = await theirs([`--repo=${repo}`, ...args], { env });
          expect({ args, code: x.code, stdout: x.stdout, stderr: x.stderr.split('\n').at(-2) }).toEqual({
            args,
            code: y.code,
            stdout: y.stdout,
            stderr: y.stderr.split('\n').at(-2),
          });
        }
      }
      const ok = await ours([`--repo=${b}`, 'sign', '--sign-type=dummy', '--verify', commit, 'k1'], { env: DUMMY });
      expect(ok).toMatchObject({ code: 0, stdout: 'dummy: Signature verified\n' });
    });

    it('commit --sign-type=dummy --sign: same commit and .commitmeta as ostree', async () => {
      const a = await copy();
      const b = await copy();
      const args = ['commit', '-b', 'other', `--tree=dir=${join(tmp, 'tree')}`, '--timestamp=2021-01-01T00:00:00Z', '--sign-type=dummy', '--sign=s1', '--sign=s2'];
      const x = await ours([`--repo=${a}`, ...args], { env: DUMMY });
      const y = await theirs([`--repo=${b}`, ...args], { env: DUMMY });
      expect(x.code).toBe(0);
      expect(x.stdout).toBe(y.stdout);
      const c = x.stdout.trim();
      expect((await readFile(objectFile(a, c, 'commitmeta'))).equals(await readFile(objectFile(b, c, 'commitmeta')))).toBe(true);
      const refused = await ours([`--repo=${a}`, ...args]);
      expect(refused).toMatchObject({ code: 1, stderr: 'error: dummy signature type is only for ostree testing\n' });
    });

    it('summary -u --sign: same summary.sig as ostree', async () => {
      const a = await copy();
      const b = await copy();
      const args = ['summary', '-u', '--sign-type=dummy', '--sign=k1', '--sign=k2'];
      expect((await ours([`--repo=${a}`, ...args], { env: DUMMY })).code).toBe(0);
      expect((await theirs([`--repo=${b}`, ...args], { env: DUMMY })).code).toBe(0);
      expect((await readFile(join(a, 'summary.sig'))).equals(await readFile(join(b, 'summary.sig')))).toBe(true);
      // Regenerating without --sign drops the stale signature file, as ostree does.
      await ours([`--repo=${a}`, 'summary', '-u']);
      await expect(readFile(join(a, 'summary.sig'))).rejects.toThrow();
    });
  });

  describe.skipIf(!hasNacl)('ed25519 against libsodium', () => {
    it('signatures ostree-ts makes verify with libsodium; --verify reports the key like ostree', async () => {
      const k = keypair(1);
      const k2 = keypair(2);
      const a = await copy();
      expect(await ours([`--repo=${a}`, 'sign', 'main', k.secret, k2.secret])).toMatchObject({ code: 0, stdout: '', stderr: '' });
      const meta = objectFile(a, commit, 'commitmeta');
      expect(libsodiumVerifies(meta, objectFile(a, commit, 'commit'), k.public)).toEqual([true, false]);
      expect(libsodiumVerifies(meta, objectFile(a, commit, 'commit'), k2.public)).toEqual([false, true]);
      // The existing detached keys survive the rewrite.
      const shown = await theirs([`--repo=${a}`, 'show', '--print-detached-metadata-key=foo', commit]);
      expect(shown.stdout).toBe("'bar'\n");
      expect(await ours([`--repo=${a}`, 'sign', '--verify', commit, k2.public])).toEqual(
        expect.objectContaining({ code: 0, stdout: `ed25519: Signature verified successfully with key '${k2.hex}'\n` }),
      );
      expect(await ours([`--repo=${a}`, 'sign', '--verify', commit, keypair(3).public])).toMatchObject({ code: 1, stderr: 'error: No valid signatures found\n' });
    });

    it('signatures libsodium makes verify with ostree-ts; a changed commit does not', async () => {
      const k = keypair(4);
      const a = await copy();
      libsodiumSignCommit(objectFile(a, commit, 'commit'), objectFile(a, commit, 'commitmeta'), k.secret);
      expect(await ours([`--repo=${a}`, 'sign', '--verify', commit, k.public])).toMatchObject({ code: 0 });
      // A signature over different bytes (another commit's) must not verify for this one.
      const other = (await theirs([`--repo=${a}`, 'commit', '-b', 'x', `--tree=dir=${join(tmp, 'tree')}`, '--timestamp=2022-01-01T00:00:00Z'])).stdout.trim();
      libsodiumSignCommit(objectFile(a, other, 'commit'), objectFile(a, commit, 'commitmeta'), k.secret);
      expect(await ours([`--repo=${a}`, 'sign', '--verify', commit, k.public])).toMatchObject({ code: 1, stderr: 'error: No valid signatures found\n' });
    });

    it('--keys-file, --keys-dir (trusted and revoked) and --delete', async () => {
      const k = keypair(5);
      const k2 = keypair(6);
      const a = await copy();
      const secrets = join(tmp, 'secrets');
      await writeFile(secrets, `${k.secret}\n`);
      expect((await ours([`--repo=${a}`, 'sign', `--keys-file=${secrets}`, commit])).code).toBe(0);
      const pubs = join(tmp, 'pubs');
      await writeFile(pubs, `# not a key\n${k2.public}\n${k.public}\n`);
      expect(await ours([`--repo=${a}`, 'sign', '--verify', `--keys-file=${pubs}`, commit])).toMatchObject({
        code: 0,
        stdout: `ed25519: Signature verified successfully with key '${k.hex}'\n`,
      });
      const wrong = join(tmp, 'wrong');
      await writeFile(wrong, `${k2.public}\n`);
      expect(await ours([`--repo=${a}`, 'sign', '--verify', `--keys-file=${wrong}`, commit])).toMatchObject({
        code: 1,
        stderr: `error: ed25519: Signature couldn't be verified with: key '${k2.hex}'\n`,
      });
      const dir = join(tmp, 'keysdir');
      await mkdir(join(dir, 'trusted.ed25519.d'), { recursive: true });
      await writeFile(join(dir, 'trusted.ed25519.d', 'vendor'), `${k.public}\n`);
      expect((await ours([`--repo=${a}`, 'sign', '--verify', `--keys-dir=${dir}`, commit])).code).toBe(0);
      await writeFile(join(dir, 'revoked.ed25519'), `${k.public}\n`);
      expect((await ours([`--repo=${a}`, 'sign', '--verify', `--keys-dir=${dir}`, commit])).code).toBe(1);

      expect((await ours([`--repo=${a}`, 'sign', '--delete', commit, k.public])).code).toBe(0);
      expect(await ours([`--repo=${a}`, 'sign', '--verify', `--keys-file=${pubs}`, commit])).toMatchObject({
        code: 1,
        stderr: 'error: ed25519: commit have no signatures of my type\n',
      });
      expect(await ours([`--repo=${a}`, 'sign', '--delete', commit, k.public])).toMatchObject({ code: 1 });
    });

    it('bad secret keys are refused with ostree message', async () => {
      const a = await copy();
      expect(await ours([`--repo=${a}`, 'sign', commit, 'aGVsbG8='])).toMatchObject({ code: 1, stderr: 'error: Incorrect ed25519 secret key\n' });
    });

    it('commit --sign and summary -u --sign make signatures libsodium verifies', async () => {
      const k = keypair(7);
      const a = await copy();
      const c = await ours([`--repo=${a}`, 'commit', '-b', 'signed', `--tree=dir=${join(tmp, 'tree')}`, `--sign=${k.secret}`, '--sign-type=ed25519']);
      expect(c.code).toBe(0);
      const checksum = c.stdout.trim();
      expect(libsodiumVerifies(objectFile(a, checksum, 'commitmeta'), objectFile(a, checksum, 'commit'), k.public)).toEqual([true]);
      expect((await ours([`--repo=${a}`, 'summary', '-u', `--sign=${k.secret}`])).code).toBe(0);
      expect(libsodiumVerifies(join(a, 'summary.sig'), join(a, 'summary'), k.public)).toEqual([true]);
      // real ostree still reads the repository
      expect((await theirs([`--repo=${a}`, 'fsck'])).code).toBe(0);
    });
  });
});
