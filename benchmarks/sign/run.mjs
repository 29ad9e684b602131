#!/usr/bin/env node
// ed25519 sign/verify throughput of the two @ostree-ts/sign backends (noble, node:crypto),
// with libsodium through python3-nacl as a reference point (what ostree itself uses).
//
//   npx tsc -b packages/sign/tsconfig.build.json
//   node benchmarks/sign/run.mjs [--seconds=1] [--json-only]
//
// Messages: 300 bytes (a commit object) and 1 MiB (a large summary). Verification goes
// through verifyLikeLibsodium, the path every verification in the package takes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitCommit, machine, median } from '../lib/measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = join(root, 'packages', 'sign', 'dist');
if (!existsSync(join(dist, 'node.js'))) {
  console.error(`missing ${dist}: run  npx tsc -b packages/sign/tsconfig.build.json  first`);
  process.exit(1);
}
const { nobleEd25519, verifyLikeLibsodium } = await import(join(dist, 'index.js'));
const { nodeEd25519 } = await import(join(dist, 'node.js'));

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const SECONDS = Number(args.seconds ?? 1);
const jsonOnly = 'json-only' in args;

const seed = new Uint8Array(32).fill(42);
const messages = [
  { name: '300 B', bytes: new Uint8Array(300).map((_, i) => i & 0xff) },
  { name: '1 MiB', bytes: new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff) },
];

/** Operations per second of `fn`, median of 3 rounds of SECONDS/3 each. */
function opsPerSecond(fn) {
  fn();
  const rounds = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const start = performance.now();
    const until = start + (SECONDS * 1000) / 3;
    let now = start;
    while (now < until) {
      fn();
      n++;
      if ((n & 3) === 0 || n < 8) now = performance.now();
    }
    rounds.push((n * 1000) / (performance.now() - start));
  }
  return median(rounds);
}

function libsodiumOps(size) {
  const script = `
import time, nacl.bindings as b
pk, sk = b.crypto_sign_seed_keypair(bytes([42]) * 32)
m = bytes(i & 0xff for i in range(${size}))
def rate(fn, secs=${SECONDS / 3}):
    out = []
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < secs:
            fn(); n += 1
        out.append(n / (time.perf_counter() - t0))
    return sorted(out)[1]
sig = b.crypto_sign(m, sk)[:64]
print(rate(lambda: b.crypto_sign(m, sk)), rate(lambda: b.crypto_sign_open(sig + m, pk)))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const [sign, verify] = r.stdout.trim().split(' ').map(Number);
  return { sign, verify };
}

const results = [];
for (const message of messages) {
  for (const engine of [nobleEd25519(), nodeEd25519()]) {
    const pub = engine.publicKey(seed);
    const sig = engine.sign(message.bytes, seed);
    results.push({
      message: message.name,
      impl: engine.name,
      sign: opsPerSecond(() => engine.sign(message.bytes, seed)),
      verify: opsPerSecond(() => verifyLikeLibsodium(engine, sig, message.bytes, pub)),
    });
  }
  const ls = libsodiumOps(message.bytes.length);
  if (ls) results.push({ message: message.name, impl: 'libsodium (python3-nacl)', ...ls });
}

const record = { benchmark: 'sign', date: new Date().toISOString(), commit: await gitCommit(root), machine: await machine(), seconds: SECONDS, results };
if (!jsonOnly) {
  console.log('message  impl                        sign ops/s   verify ops/s   sign vs noble   verify vs noble');
  for (const r of results) {
    const noble = results.find((x) => x.message === r.message && x.impl === 'noble');
    console.log(
      `${r.message.padEnd(8)} ${r.impl.padEnd(26)} ${r.sign.toFixed(0).padStart(11)} ${r.verify.toFixed(0).padStart(14)}` +
        ` ${(r.sign / noble.sign).toFixed(1).padStart(14)}× ${(r.verify / noble.verify).toFixed(1).padStart(16)}×`,
    );
  }
}
console.log(JSON.stringify(record));
