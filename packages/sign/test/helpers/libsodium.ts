// libsodium through Debian's python3-nacl: the independent implementation our signatures
// are checked against (ostree itself signs with libsodium's crypto_sign_detached).
import { spawnSync } from 'node:child_process';

const PY = '/usr/bin/python3';
export const hasNacl = spawnSync(PY, ['-c', 'import nacl.bindings'], { stdio: 'ignore' }).status === 0;

const SCRIPT = `
import json, sys
from nacl import bindings as b
out = []
for req in json.load(sys.stdin):
    op = req['op']
    if op == 'keypair':
        pk, sk = b.crypto_sign_seed_keypair(bytes.fromhex(req['seed']))
        out.append({'pk': pk.hex(), 'sk': sk.hex()})
    elif op == 'sign':
        sm = b.crypto_sign(bytes.fromhex(req['msg']), bytes.fromhex(req['sk']))
        out.append(sm[:64].hex())
    elif op == 'verify':
        try:
            b.crypto_sign_open(bytes.fromhex(req['sig']) + bytes.fromhex(req['msg']), bytes.fromhex(req['pk']))
            out.append(True)
        except Exception:
            out.append(False)
    elif op == 'b64':
        from gi.repository import GLib
        out.append(bytes(GLib.base64_decode(req['text'])).hex())
json.dump(out, sys.stdout)
`;

export type Request =
  | { op: 'keypair'; seed: string }
  | { op: 'sign'; msg: string; sk: string }
  | { op: 'verify'; sig: string; msg: string; pk: string }
  | { op: 'b64'; text: string };

/** Runs a batch of requests in one python process. */
export function libsodium(requests: Request[]): unknown[] {
  const r = spawnSync(PY, ['-c', SCRIPT], { input: JSON.stringify(requests), maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString()) as unknown[];
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
