// `static-delta generate --sign` and `static-delta verify`, against real ostree (dummy signer)
// and libsodium (ed25519 signatures over the unwrapped superblock).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deltaDirectory } from '@ostree-ts/core';
import { signaturesOf, unwrapSignedDeltaSuperblock } from '@ostree-ts/sign';
import { hasOstree } from '../../../test-vectors/trees/ostree.js';
import { ours, theirs } from './helpers/run.js';

const PY = '/usr/bin/python3';
const hasNacl = spawnSync(PY, ['-c', 'import nacl.bindings'], { stdio: 'ignore' }).status === 0;
const DUMMY = { OSTREE_DUMMY_SIGN_ENABLED: '1' };

function naclKeypair(seedByte: number): { secret: string; public: string } {
  const r = spawnSync(PY, ['-c', `import base64, json\nfrom nacl import bindings as b\npk, sk = b.crypto_sign_seed_keypair(bytes([${seedByte}]) * 32)\nprint(json.dumps([base64.b64encode(sk).decode(), base64.b64encode(pk).decode()]))`]);
  const [secret, pub] = JSON.parse(r.stdout.toString()) as [string, string];
  return { secret, public: pub };
}

function naclVerifies(sig: Uint8Array, data: Uint8Array, publicKey: string): boolean {
  const r = spawnSync(PY, ['-c', `import sys, base64\nfrom nacl import bindings as b\nd = sys.stdin.buffer.read()\ntry:\n  b.crypto_sign_open(d, base64.b64decode('${publicKey}')); print('ok')\nexcept Exception:\n  print('bad')`], {
    input: Buffer.concat([sig, data]),
  });
  return r.stdout.toString().trim() === 'ok';
}

describe.skipIf(!hasOstree)('static-delta signing', () => {
  let tmp: string;
  let repo: string;
  let commit: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-sign-delta-'));
    repo = join(tmp, 'repo');
    await mkdir(join(tmp, 'tree'));
    await writeFile(join(tmp, 'tree', 'f'), 'delta me\n'.repeat(100));
    await theirs([`--repo=${repo}`, 'init', '--mode=archive']);
    commit = (await theirs([`--repo=${repo}`, 'commit', '-b', 'main', `--tree=dir=${join(tmp, 'tree')}`])).stdout.trim();
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });
  const superblock = () => readFile(join(repo, deltaDirectory(undefined, commit), 'superblock'));

  it('dummy: ostree verifies what ostree-ts signed and the other way round, with the same output', async () => {
    for (const [gen, who] of [
      [ours, 'ours'],
      [theirs, 'theirs'],
    ] as const) {
      const g = await gen([`--repo=${repo}`, 'static-delta', 'generate', '--empty', `--to=${commit}`, '--sign-type=dummy', '--sign=dk1', '--sign=dk2'], { env: DUMMY });
      expect([who, g.code]).toEqual([who, 0]);
      const cases: [string[], Record<string, string>][] = [
        [['--sign-type=dummy', commit, 'dk2'], DUMMY],
        [['--sign-type=dummy', commit, 'nope'], DUMMY],
        [['--sign-type=dummy', commit, 'dk1'], {}],
        [['--sign-type=bogus', commit, 'dk1'], DUMMY],
      ];
      for (const [args, env] of cases) {
        const x = await ours([`--repo=${repo}`, 'static-delta', 'verify', ...args], { env });
        const y = await theirs([`--repo=${repo}`, 'static-delta', 'verify', ...args], { env });
        const lastLine = (s: string) => s.trimEnd().split('\n').at(-1);
        expect({ who, args, code: x.code, stdout: x.stdout, stderr: lastLine(x.stderr) }).toEqual({
          who,
          args,
          code: y.code,
          stdout: y.stdout,
          stderr: lastLine(y.stderr),
        });
      }
    }
  });

  it.skipIf(!hasNacl)('ed25519: signatures libsodium verifies; verify with key, key file; ostree apply-offline takes the delta', async () => {
    // (Debian's ostree has no ed25519 to compare with; libostree's add_pk gives this message.)
    expect(await ours([`--repo=${repo}`, 'static-delta', 'verify', commit, 'AAAA'])).toMatchObject({ code: 1, stdout: '', stderr: 'error: Incorrect ed25519 public key\n' });
    const k = naclKeypair(11);
    const k2 = naclKeypair(12);
    const keys = join(tmp, 'secret-keys');
    await writeFile(keys, `${k2.secret}\n`);
    const g = await ours([`--repo=${repo}`, 'static-delta', 'generate', '--empty', `--to=${commit}`, `--sign=${k.secret}`, `--keys-file=${keys}`]);
    expect(g.code).toBe(0);
    const parts = unwrapSignedDeltaSuperblock(new Uint8Array(await superblock()));
    const sigs = signaturesOf(parts.metadata, 'ed25519')!;
    expect(sigs).toHaveLength(2);
    expect(naclVerifies(sigs[0]!, parts.superblock, k.public)).toBe(true);
    expect(naclVerifies(sigs[1]!, parts.superblock, k2.public)).toBe(true);
    expect(await ours([`--repo=${repo}`, 'static-delta', 'verify', commit, k2.public])).toMatchObject({ code: 0, stdout: 'Verification OK\n' });
    const pubs = join(tmp, 'pubs');
    await writeFile(pubs, `${naclKeypair(13).public}\n`);
    expect(await ours([`--repo=${repo}`, 'static-delta', 'verify', `--keys-file=${pubs}`, commit])).toMatchObject({ code: 1, stdout: 'Verification fails\n' });
    await writeFile(pubs, `${k.public}\n`);
    expect(await ours([`--repo=${repo}`, 'static-delta', 'verify', `--keys-file=${pubs}`, commit])).toMatchObject({ code: 0, stdout: 'Verification OK\n' });
    // apply-offline trusts key arguments and --keys-file keys together, as ostree's verifier does.
    const stranger = naclKeypair(14).public;
    const applyInto = async (name: string, args: string[]) => {
      const dest = join(tmp, name);
      await ours([`--repo=${dest}`, 'init', '--mode=archive']);
      return ours([`--repo=${dest}`, 'static-delta', 'apply-offline', ...args]);
    };
    const signedDir = join(repo, deltaDirectory(undefined, commit));
    expect(await applyInto('both-1', [`--keys-file=${pubs}`, signedDir, stranger])).toMatchObject({ code: 0 });
    await writeFile(pubs, `${stranger}\n`);
    expect(await applyInto('both-2', [`--keys-file=${pubs}`, signedDir, k2.public])).toMatchObject({ code: 0 });
    expect((await applyInto('neither', [`--keys-file=${pubs}`, signedDir, naclKeypair(15).public])).code).toBe(1);
    // Real ostree applies the signed delta (it has no ed25519 to check it with).
    const target = join(tmp, 'target');
    await theirs([`--repo=${target}`, 'init', '--mode=archive']);
    const deltaDir = join(repo, deltaDirectory(undefined, commit));
    const applied = await theirs([`--repo=${target}`, 'static-delta', 'apply-offline', deltaDir]);
    expect(applied.code).toBe(0);
    expect((await theirs([`--repo=${target}`, 'fsck'])).code).toBe(0);
  });
});
