#!/usr/bin/env node
// SHA-256 throughput through each hasher path of @ostree-ts/core: node:crypto (the default on
// Node) and @noble/hashes (the portable path), on one large buffer, on many small objects
// (what a commit hashes), and fed in 64 KiB chunks (what streamed content objects do).
// Usage: npm run build && node benchmarks/core/sha256.mjs
import { nobleSha256, nodeSha256 } from '@ostree-ts/core';

const MiB = 1024 * 1024;
const big = new Uint8Array(64 * MiB).map((_, i) => (i * 2654435761) >>> 24);
const small = Array.from({ length: 32768 }, (_, i) => big.subarray(i * 1024, i * 1024 + 1024));

function rate(label, bytes, fn) {
  fn(); // warm-up
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    fn();
    samples.push(bytes / MiB / ((performance.now() - t) / 1000));
  }
  samples.sort((a, b) => a - b);
  return { label, mibPerS: samples[2] };
}

const results = [];
for (const [name, factory] of [['node:crypto', nodeSha256], ['@noble/hashes', nobleSha256]]) {
  if (!factory) continue;
  results.push({ impl: name, ...rate('64 MiB one buffer', big.length, () => factory().update(big).digest()) });
  results.push({ impl: name, ...rate('32768 x 1 KiB objects', 32 * MiB, () => small.forEach((s) => factory().update(s).digest())) });
  results.push({
    impl: name,
    ...rate('64 MiB in 64 KiB chunks', big.length, () => {
      const h = factory();
      for (let o = 0; o < big.length; o += 65536) h.update(big.subarray(o, o + 65536));
      h.digest();
    }),
  });
}
console.log('SHA-256 throughput, median of 5 (MiB/s)');
for (const r of results) console.log(`${r.impl.padEnd(14)} ${r.label.padEnd(26)} ${r.mibPerS.toFixed(0).padStart(6)}`);
const by = (impl, label) => results.find((r) => r.impl === impl && r.label === label)?.mibPerS;
for (const label of ['64 MiB one buffer', '32768 x 1 KiB objects', '64 MiB in 64 KiB chunks']) {
  const n = by('node:crypto', label);
  const p = by('@noble/hashes', label);
  if (n && p) console.log(`ratio node:crypto / noble, ${label}: ${(n / p).toFixed(1)}x`);
}
console.log(JSON.stringify({ benchmark: 'sha256', date: new Date().toISOString(), node: process.version, results }));
