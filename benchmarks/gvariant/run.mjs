#!/usr/bin/env node
// Benchmark of @ostree-ts/gvariant against GLib on ostree-shaped data.
//
//   npx tsc -b packages/gvariant/tsconfig.build.json   # builds packages/gvariant/dist
//   node benchmarks/gvariant/run.mjs [--seconds=1] [--json-only]
//
// GLib's side is benchmarks/gvariant/glib-bench.c, compiled into a temporary directory with
// cc + pkg-config (needs libglib2.0-dev). Without a C toolchain or GLib headers it falls back to
// python3-gi, whose numbers include Python call overhead and are only indicative.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = join(root, 'packages', 'gvariant', 'dist', 'index.js');
if (!existsSync(dist)) {
  console.error(`missing ${dist}: run  npx tsc -b packages/gvariant/tsconfig.build.json  first`);
  process.exit(1);
}
const { codec, variant } = await import(dist);

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const SECONDS = Number(args.seconds ?? 1);
const jsonOnly = 'json-only' in args;

// ---------------------------------------------------------------- data

function checksum(seed) {
  const b = new Uint8Array(32);
  let x = seed * 2654435761;
  for (let i = 0; i < 32; i++) {
    x = (x ^ (x >>> 13)) * 1274126177;
    b[i] = x >>> 24;
  }
  return b;
}

// 10,000 entries: 8,000 files (name, content checksum) + 2,000 subdirectories (name, tree, meta).
function dirtree() {
  const files = [];
  const dirs = [];
  for (let i = 0; i < 8000; i++) files.push([`file-${String(i).padStart(5, '0')}.txt`, checksum(i)]);
  for (let i = 0; i < 2000; i++) dirs.push([`dir-${String(i).padStart(5, '0')}`, checksum(100000 + i), checksum(200000 + i)]);
  return { name: 'dirtree 10k entries', type: '(a(say)a(sayay))', value: [files, dirs] };
}

// 10,000 refs, each (commit size, checksum, {ostree.commit.timestamp: <t>}), plus summary metadata.
function summary() {
  const refs = [];
  for (let i = 0; i < 10000; i++) {
    refs.push([
      `app/org.example.App${i}/x86_64/stable`,
      [BigInt(1000 + i), checksum(300000 + i), [['ostree.commit.timestamp', variant('t', BigInt(1700000000 + i))]]],
    ]);
  }
  const meta = [
    ['ostree.summary.last-modified', variant('t', 1700000000n)],
    ['ostree.summary.mode', variant('s', 'archive-z2')],
    ['ostree.summary.tombstone-commits', variant('b', false)],
  ];
  return { name: 'summary 10k refs', type: '(a(s(taya{sv}))a{sv})', value: [refs, meta] };
}

// ---------------------------------------------------------------- timing

function measure(fn, bytes) {
  for (let i = 0; i < 5; i++) fn(); // warm up the JIT
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    iterations++;
    elapsed = performance.now() - start;
  } while (elapsed < SECONDS * 1000 || iterations < 3);
  return (bytes * iterations) / (elapsed / 1000) / 1e6; // MB/s
}

function ours(c, value, bytes) {
  let sink = 0;
  const walk = (v) => {
    // Touch every decoded leaf, as the GLib walk does.
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v instanceof Uint8Array) sink += v.length;
    else if (typeof v === 'string') sink += v.length;
    else if (v !== null && typeof v === 'object') walk(v.value);
  };
  const r = {
    encode: measure(() => c.encode(value), bytes.length),
    decode: measure(() => c.decode(bytes), bytes.length),
    decodeStrict: measure(() => c.decode(bytes, { strict: true }), bytes.length),
    decodeStrictWalk: measure(() => walk(c.decode(bytes, { strict: true })), bytes.length),
  };
  if (sink < 0) console.log(sink);
  return r;
}

// ---------------------------------------------------------------- GLib

function glibC(dir) {
  const pc = spawnSync('pkg-config', ['--cflags', '--libs', 'glib-2.0'], { encoding: 'utf8' });
  if (pc.status !== 0) return { error: 'pkg-config glib-2.0 not found (apt-get install libglib2.0-dev)' };
  const exe = join(dir, 'glib-bench');
  const cc = spawnSync('cc', ['-O2', '-o', exe, join(here, 'glib-bench.c'), ...pc.stdout.trim().split(/\s+/)], { encoding: 'utf8' });
  if (cc.status !== 0) return { error: `cc failed: ${cc.stderr || cc.error}` };
  return {
    kind: 'C',
    run: (type, file) => JSON.parse(execFileSync(exe, [type, file, String(SECONDS)], { encoding: 'utf8' })),
  };
}

const PY = String.raw`
import sys, time, json
from gi.repository import GLib
t, path, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
data = open(path, 'rb').read()
gb = GLib.Bytes.new(data)
vt = GLib.VariantType.new(t)
def rate(f):
    n = 0; s = time.perf_counter()
    while True:
        f(); n += 1; e = time.perf_counter() - s
        if e >= secs and n >= 3: return len(data) * n / e / 1e6
def validate():
    assert GLib.Variant.new_from_bytes(vt, gb, False).is_normal_form()
def parse():
    v = GLib.Variant.new_from_bytes(vt, gb, False); assert v.is_normal_form(); v.unpack()
src = GLib.Variant.new_from_bytes(vt, gb, False).unpack()
def serialise():
    GLib.Variant(t, src).get_data_as_bytes()
print(json.dumps({"validate": rate(validate), "parse": rate(parse), "serialise": rate(serialise)}))
`;

function glibPython(dir) {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import gi'], { stdio: 'ignore' });
  if (probe.status !== 0) return { error: 'python3-gi not available' };
  const script = join(dir, 'glib_bench.py');
  writeFileSync(script, PY);
  return {
    kind: 'python3-gi (includes Python overhead; indicative only)',
    run: (type, file) => JSON.parse(execFileSync('/usr/bin/python3', [script, type, file, String(SECONDS)], { encoding: 'utf8' })),
  };
}

// ---------------------------------------------------------------- main

const dir = mkdtempSync(join(tmpdir(), 'gvariant-bench-'));
try {
  let glib = glibC(dir);
  const cError = glib.error;
  if (glib.error) glib = glibPython(dir);
  const rows = [];
  for (const d of [dirtree(), summary()]) {
    const c = codec(d.type);
    const bytes = c.encode(d.value);
    const file = join(dir, 'data.bin');
    writeFileSync(file, bytes);
    const ts = ours(c, d.value, bytes);
    const g = glib.error ? undefined : glib.run(d.type, file);
    rows.push({ name: d.name, type: d.type, bytes: bytes.length, ours: ts, glib: g });
  }
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, date: new Date().toISOString().slice(0, 10) };
  const fmt = (x) => (x === undefined ? '-' : x.toFixed(1).padStart(8));
  const ratio = (a, b) => (a === undefined || b === undefined ? '-' : (a / b).toFixed(2) + 'x');
  if (!jsonOnly) {
    console.log(`@ostree-ts/gvariant vs GLib ${rows[0].glib?.glib ?? ''} (${glib.kind ?? glib.error}); MB/s of serialised bytes, ${SECONDS}s per measurement`);
    if (cError && !glib.error) console.log(`(C harness unavailable: ${cError})`);
    console.log(`machine: ${machine.cpus} x ${machine.cpu}, node ${machine.node}, ${machine.date}\n`);
    console.log('data                    size      op                      ours MB/s  GLib MB/s  ours/GLib');
    for (const r of rows) {
      const pairs = [
        ['encode (build+serialise)', r.ours.encode, r.glib?.serialise],
        ['decode (non-strict)', r.ours.decode, r.glib?.parse],
        ['decode strict', r.ours.decodeStrict, r.glib?.validate],
        ['decode strict + walk', r.ours.decodeStrictWalk, r.glib?.parse],
      ];
      for (const [op, a, b] of pairs) {
        console.log(`${r.name.padEnd(22)}  ${String(r.bytes).padStart(8)}  ${op.padEnd(24)} ${fmt(a)}   ${fmt(b)}   ${ratio(a, b).padStart(8)}`);
      }
    }
    console.log(
      '\nGLib columns: encode vs GVariantBuilder rebuild + g_variant_get_data; decode vs new_from_bytes + is_normal_form + deep walk;' +
        '\ndecode strict vs new_from_bytes + is_normal_form (GLib is lazy: it validates without building values).',
    );
  }
  console.log(JSON.stringify({ benchmark: 'gvariant', machine, glib: glib.kind ?? glib.error, rows }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
