#!/usr/bin/env node
// Throughput of @ostree-ts/compress against native zlib.
//
//   npx tsc -b packages/compress/tsconfig.build.json   # build first (this imports dist/)
//   node benchmarks/compress/run.mjs                    # from the monorepo root
//
// Env: BENCH_REPS (default 5; medians are reported), BENCH_MIB (default 16).
// Data: BENCH_MIB of pseudo-English text and BENCH_MIB of binaries concatenated from /usr/bin
// (sorted by name, so the same on the same machine; synthetic binary-like bytes if absent).
// Rows:
//   deflate exact      our exact mode (pako, classic zlib hash) = ostree's bytes
//   deflate fast       our exact:false (node:zlib where present)
//   system zlib        python3 zlib.compressobj(6, DEFLATED, -15, 8, 0): the same libz 1.2.x
//                      and settings ostree uses, timed inside python (no process start-up)
//   gzip -6 CLI        GNU gzip (its own deflate), whole process, for reference
//   inflate …          node:zlib one-shot, the pako fallback, our streaming inflate with 64 KiB
//                      pushes: one 16 MiB stream without a cap (runs on pako past 64 KiB of
//                      input) and 1 MiB objects with maxOutputBytes = size (held back and
//                      inflated by node:zlib at end(); see the package README)
// Output: a table (MiB/s of uncompressed data, ratio = compressed/original) and one JSON line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'packages/compress/dist/');
let api;
let internal;
try {
  api = await import(join(DIST, 'index.js'));
  internal = await import(join(DIST, 'inflate.js'));
} catch (e) {
  console.error(`cannot load ${DIST}index.js: build it first with\n  npx tsc -b packages/compress/tsconfig.build.json\n(${e.message})`);
  process.exit(1);
}
const { deflateRaw, createRawDeflate, inflateRaw, createRawInflate, activeBackends } = api;

const REPS = Number(process.env.BENCH_REPS ?? 5);
const MIB = Number(process.env.BENCH_MIB ?? 16);
const SIZE = MIB << 20;
const PUSH = 64 * 1024;
const PYTHON = '/usr/bin/python3';

// ---- data ----------------------------------------------------------------------------------
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function textData(n) {
  // Zipf-ish words from a 2000-word synthetic vocabulary, lines of ~72 chars, some numbers.
  const r = prng(1);
  const syl = ['ka', 'lo', 'mi', 'ne', 'ra', 'tu', 'sen', 'dor', 'al', 'vi', 'qu', 'est', 'ion', 'ter', 'an', 'de'];
  const vocab = Array.from({ length: 2000 }, () => Array.from({ length: 1 + ((r() * 3) | 0) }, () => syl[(r() * syl.length) | 0]).join(''));
  const out = new Uint8Array(n);
  let i = 0;
  let col = 0;
  while (i < n) {
    let w = r() < 0.04 ? String((r() * 1e6) | 0) : vocab[Math.floor(vocab.length * r() ** 3)];
    if (r() < 0.07) w += '.';
    col += w.length + 1;
    const s = w + (col > 72 ? '\n' : ' ');
    if (col > 72) col = 0;
    for (let k = 0; k < s.length && i < n; k++) out[i++] = s.charCodeAt(k);
  }
  return out;
}
function binaryData(n) {
  const out = new Uint8Array(n);
  let off = 0;
  try {
    for (const f of readdirSync('/usr/bin').sort()) {
      if (off >= n) break;
      const p = join('/usr/bin', f);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st?.isFile() || st.size < 4096) continue;
      const b = readFileSync(p);
      if (b[0] !== 0x7f || b[1] !== 0x45) continue; // ELF only
      out.set(b.subarray(0, n - off), off);
      off += Math.min(b.length, n - off);
    }
  } catch {
    /* fall through */
  }
  if (off < n) {
    const r = prng(2);
    for (; off < n; off++) out[off] = r() < 0.5 ? 0 : (r() * 256) | 0;
    return { data: out, source: 'synthetic' };
  }
  return { data: out, source: '/usr/bin ELF files' };
}

// ---- timing --------------------------------------------------------------------------------
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
function time(f) {
  f(); // warm-up (JIT, allocations)
  const ts = [];
  let out;
  for (let i = 0; i < REPS; i++) {
    const t0 = process.hrtime.bigint();
    out = f();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds: median(ts), out };
}
const concat = (chunks) => {
  let n = 0;
  for (const c of chunks) n += c.length;
  const o = new Uint8Array(n);
  let k = 0;
  for (const c of chunks) {
    o.set(c, k);
    k += c.length;
  }
  return o;
};
function streamed(t, data) {
  const out = [];
  for (let i = 0; i < data.length; i += PUSH) out.push(...t.push(data.subarray(i, i + PUSH)));
  out.push(...t.end());
  return concat(out);
}
function equal(a, b) {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function pythonZlib(file) {
  const py = `
import sys, time, zlib, json
d = open(sys.argv[1], 'rb').read()
reps = int(sys.argv[2])
def med(f):
    f(); ts = []
    for _ in range(reps):
        t = time.perf_counter(); r = f(); ts.append(time.perf_counter() - t)
    ts.sort(); return ts[len(ts)//2], r
def comp():
    c = zlib.compressobj(6, zlib.DEFLATED, -15, 8, 0); return c.compress(d) + c.flush()
tc, z = med(comp)
td, _ = med(lambda: zlib.decompress(z, -15))
print(json.dumps({'deflate': tc, 'inflate': td, 'size': len(z), 'zlib': zlib.ZLIB_RUNTIME_VERSION}))
`;
  const r = spawnSync(PYTHON, ['-c', py, file, String(REPS)], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}
function gzipCli(file) {
  const run = (args, input) => {
    const ts = [];
    let size = 0;
    for (let i = 0; i <= REPS; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync('sh', ['-c', `gzip ${args} < '${input}' | wc -c`], { encoding: 'utf8' });
      if (r.status !== 0) return undefined;
      if (i > 0) ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
      size = Number(r.stdout.trim());
    }
    return { seconds: median(ts), size };
  };
  const c = run('-6 -c -n', file);
  if (!c) return undefined;
  spawnSync('sh', ['-c', `gzip -6 -c -n < '${file}' > '${file}.gz'`]);
  const d = run('-d -c', `${file}.gz`);
  return { deflate: c, inflate: d };
}

// ---- run -----------------------------------------------------------------------------------
const tmp = mkdtempSync(join(os.tmpdir(), 'ostree-ts-bench-'));
const bin = binaryData(SIZE);
const sets = [
  { name: 'text', data: textData(SIZE), source: 'synthetic text' },
  { name: 'binary', data: bin.data, source: bin.source },
];
const results = [];
const rows = [];
const mibps = (s) => MIB / s;

try {
  for (const set of sets) {
    const { data } = set;
    const file = join(tmp, set.name);
    writeFileSync(file, data);
    const add = (op, impl, r, size) => {
      const row = { data: set.name, op, impl, mibps: +mibps(r.seconds).toFixed(1), seconds: +r.seconds.toFixed(3), ratio: size === undefined ? null : +(size / data.length).toFixed(4) };
      results.push(row);
      rows.push(row);
      return row;
    };
    const exact = time(() => deflateRaw(data));
    add('deflate', 'exact one-shot (pako legacyHash)', exact, exact.out.length);
    const exactS = time(() => streamed(createRawDeflate(), data));
    if (!equal(exactS.out, exact.out)) throw new Error('exact streamed != one-shot');
    add('deflate', 'exact streamed 64 KiB', exactS, exactS.out.length);
    const fast = time(() => deflateRaw(data, { exact: false }));
    add('deflate', `fast one-shot (${activeBackends().fastDeflate})`, fast, fast.out.length);
    const fastS = time(() => streamed(createRawDeflate({ exact: false }), data));
    add('deflate', 'fast streamed 64 KiB', fastS, fastS.out.length);
    const py = pythonZlib(file);
    if (py) {
      const z = deflateRaw(data);
      if (py.size !== z.length) throw new Error(`system zlib size ${py.size} != exact ${z.length}`);
      add('deflate', `system zlib ${py.zlib} (python3, in-process)`, { seconds: py.deflate }, py.size);
    }
    const gz = gzipCli(file);
    if (gz) add('deflate', 'gzip -6 CLI (GNU gzip, whole process)', gz.deflate, gz.deflate.size - 18);

    const z = exact.out;
    const inf = time(() => inflateRaw(z));
    if (!equal(inf.out, data)) throw new Error('inflate mismatch');
    add('inflate', `one-shot (${activeBackends().inflate})`, inf);
    const infP = time(() => internal.inflateWith(z, Infinity, true));
    if (!equal(infP.out, data)) throw new Error('pako inflate mismatch');
    add('inflate', 'one-shot pako (fallback engine)', infP);
    const infS = time(() => streamed(createRawInflate(), z));
    if (!equal(infS.out, data)) throw new Error('streamed inflate mismatch');
    add('inflate', `streamed 64 KiB pushes, ${MIB} MiB stream (pako past 64 KiB)`, infS);
    // The repo reader's common case: many objects, each streamed with cap = header size.
    const objs = [];
    for (let i = 0; i < data.length; i += 1 << 20) objs.push(deflateRaw(data.subarray(i, i + (1 << 20))));
    const infO = time(() => concat(objs.map((o) => streamed(createRawInflate({ maxOutputBytes: 1 << 20 }), o))));
    if (!equal(infO.out, data)) throw new Error('per-object streamed inflate mismatch');
    add('inflate', `streamed 64 KiB pushes, ${objs.length} × 1 MiB objects, cap = size`, infO);
    if (py) add('inflate', `system zlib ${py.zlib} (python3, in-process)`, { seconds: py.inflate });
    if (gz?.inflate) add('inflate', 'gzip -d CLI (whole process)', gz.inflate);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// ---- report --------------------------------------------------------------------------------
const ref = (set, op, implStart) => results.find((r) => r.data === set && r.op === op && r.impl.startsWith(implStart));
console.log(`@ostree-ts/compress benchmark: ${MIB} MiB per data set, median of ${REPS}, MiB/s of uncompressed data`);
console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${new Date().toISOString()}`);
console.log(`binary data: ${sets[1].source}; backends: ${JSON.stringify(activeBackends())}\n`);
const head = ['data', 'op', 'implementation', 'MiB/s', 'vs exact/pako', 'ratio'];
const lines = rows.map((r) => {
  const base = r.op === 'deflate' ? ref(r.data, 'deflate', 'exact one-shot') : ref(r.data, 'inflate', 'one-shot pako');
  return [r.data, r.op, r.impl, r.mibps.toFixed(1), `${(r.mibps / base.mibps).toFixed(2)}×`, r.ratio === null ? '' : r.ratio.toFixed(4)];
});
const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const fmt = (cols) => cols.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(fmt(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const l of lines) console.log(fmt(l));
console.log(
  '\n' +
    JSON.stringify({
      bench: 'compress',
      node: process.version,
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      date: new Date().toISOString(),
      mib: MIB,
      reps: REPS,
      backends: activeBackends(),
      results,
    }),
);
