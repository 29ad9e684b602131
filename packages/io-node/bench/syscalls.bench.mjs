#!/usr/bin/env node
// Micro-benchmark: nodeFs against raw node:fs for the calls a commit makes per file.
// Not run by the tests. Build first, then run from the package directory:
//   npx tsc -b tsconfig.build.json && node bench/syscalls.bench.mjs
// Options (env): BENCH_MS (time per case, default 1000), BENCH_DIR (default os.tmpdir()).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { nodeFs } from '../dist/index.js';

const MS = Number(process.env.BENCH_MS ?? 1000);
const dir = await fsp.mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'ostree-ts-bench-'));
const nfs = nodeFs();
const readFileCb = promisify(fs.readFile);
const koffi = createRequire(import.meta.url)('koffi');
const libc = koffi.load('libc.so.6');
const rawLgetxattr = libc.func('intptr_t lgetxattr(const char *path, const char *name, void *value, uintptr_t size)');

const small = path.join(dir, 'small');
const big = path.join(dir, 'big');
fs.writeFileSync(small, Buffer.alloc(1024, 1));
fs.writeFileSync(big, Buffer.alloc(1 << 20, 2));
await nfs.setXattr(small, 'user.ostreemeta', new Uint8Array(64));
await nfs.setXattr(small, 'user.other', new Uint8Array(16));
const payload = new Uint8Array(4096).fill(3);

const ROUNDS = 5;

/** Runs `fn(i)` with `concurrency` in flight for `ms`; returns ops/s. */
async function measure(fn, concurrency, ms) {
  let n = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < end) await fn(n++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (n / (performance.now() - start)) * 1000;
}

const rows = [];
/** Measures the cases in interleaved rounds (so drift hits all alike); reports each case's median. */
async function bench(name, cases, concurrency = 1) {
  const samples = Object.fromEntries(Object.keys(cases).map((label) => [label, []]));
  for (const fn of Object.values(cases)) for (let i = 0; i < 100; i++) await fn(i); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, fn] of Object.entries(cases)) samples[label].push(await measure(fn, concurrency, MS / ROUNDS));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const results = Object.fromEntries(Object.entries(samples).map(([label, xs]) => [label, median(xs)]));
  rows.push({ name: concurrency > 1 ? `${name} (x${concurrency})` : name, ...results });
}

let fileNo = 0;
const fresh = () => path.join(dir, `w${fileNo++}`);

await bench('lstat', {
  nodeFs: () => nfs.lstat(small),
  'fsp.lstat': () => fsp.lstat(small),
  'fsp.lstat bigint': () => fsp.lstat(small, { bigint: true }),
});
await bench('lstat', { nodeFs: () => nfs.lstat(small), 'fsp.lstat': () => fsp.lstat(small) }, 16);
await bench('readFile 1 KiB', {
  nodeFs: () => nfs.readFile(small),
  'fsp.readFile': () => fsp.readFile(small),
  'fs.readFile (callback)': () => readFileCb(small),
});
await bench('readFile 1 KiB', { nodeFs: () => nfs.readFile(small), 'fsp.readFile': () => fsp.readFile(small) }, 16);
await bench('readChunks 1 KiB', {
  nodeFs: async () => {
    for await (const _ of nfs.readChunks(small));
  },
  'fsp.readFile': () => fsp.readFile(small),
});
await bench('readChunks 1 MiB', {
  nodeFs: async () => {
    for await (const _ of nfs.readChunks(big));
  },
  'fsp.readFile': () => fsp.readFile(big),
  'fs.createReadStream': () =>
    new Promise((resolve, reject) => {
      const s = fs.createReadStream(big, { highWaterMark: 65536 });
      s.on('data', () => {});
      s.on('end', resolve);
      s.on('error', reject);
    }),
});
await bench('writeFile 4 KiB (new file)', {
  nodeFs: () => nfs.writeFile(fresh(), payload),
  'fsp.writeFile': () => fsp.writeFile(fresh(), payload, { flag: 'wx' }),
});
await bench('openWrite+write+close 4 KiB', {
  nodeFs: async () => {
    const h = await nfs.openWrite(fresh());
    await h.write(payload);
    await h.close();
  },
  'fsp.open+write+close': async () => {
    const h = await fsp.open(fresh(), 'wx');
    await h.write(payload);
    await h.close();
  },
});
const scratch = new Uint8Array(4096);
await bench('getXattr', {
  nodeFs: () => nfs.getXattr(small, 'user.ostreemeta'),
  'raw koffi lgetxattr': async () => rawLgetxattr(small, 'user.ostreemeta', scratch, scratch.length),
});
await bench('getXattrs (2 attrs)', { nodeFs: () => nfs.getXattrs(small) });
await bench('setXattr', { nodeFs: () => nfs.setXattr(small, 'user.ostreemeta', payload.subarray(0, 64)) });

await fsp.rm(dir, { recursive: true, force: true });

const fmt = (x) => (x === undefined ? '' : `${Math.round(x).toLocaleString('en-US')}/s`);
const columns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k !== 'name')))];
console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${MS} ms per case\n`);
console.log(['operation', ...columns].join(' | '));
for (const r of rows) console.log([r.name, ...columns.map((c) => fmt(r[c]))].join(' | '));
