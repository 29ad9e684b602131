#!/usr/bin/env node
// @ostree-ts/bsdiff (our C in WebAssembly) against Debian's bsdiff/bspatch 4.3 CLIs on
// realistic binary pairs.
//
//   npx tsc -b packages/bsdiff/tsconfig.build.json   # build first (this imports dist/)
//   node benchmarks/bsdiff/run.mjs                    # from the monorepo root
//
// Env: BENCH_REPS (default 3; medians are reported), BENCH_DATA (default
// /work/bench-data/data: rootfs-v1 and rootfs-v2, two Debian 12 trees a point release apart),
// BENCH_BIG=1 adds "all modified files" (every file that changed, concatenated, ~16 MiB).
// Pairs: the largest modified binaries of the two trees (perl, libapt-pkg, libpcre2, liblzma);
// without the data, two different binaries from /usr/bin.
// Both sides run as separate processes under GNU time (wall, CPU, peak RSS). Patch sizes are
// compared as ostree stores them: the raw stream (Debian's BSDIFF40 is unwrapped: its three
// bzip2 blocks decompressed and interleaved back into triples) compressed with `xz -8`, as
// ostree compresses delta parts. Our bsdiff also reports its WebAssembly heap peak; our bspatch
// is timed in-process (one-shot, and streaming with 64 KiB chunks), Debian's bspatch per process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitCommit, machine, measure, median } from '../lib/measure.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OURS = fileURLToPath(new URL('./ours.mjs', import.meta.url));
if (!existsSync(join(ROOT, 'packages/bsdiff/dist/index.js'))) {
  console.error('build first: npx tsc -b packages/bsdiff/tsconfig.build.json');
  process.exit(1);
}
const REPS = Number(process.env.BENCH_REPS ?? 3);
const DATA = process.env.BENCH_DATA ?? '/work/bench-data/data';
const tmp = mkdtempSync(join(os.tmpdir(), 'bsdiff-bench-'));

function pairs() {
  const v1 = join(DATA, 'rootfs-v1');
  const v2 = join(DATA, 'rootfs-v2');
  if (!existsSync(v1) || !existsSync(v2)) {
    return [{ name: 'bsdiff → bspatch (/usr/bin)', old: '/usr/bin/bsdiff', new: '/usr/bin/bspatch' }];
  }
  const list = [
    ['perl', 'usr/bin/perl'],
    ['libapt-pkg.so', 'usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0.0'],
    ['libpcre2-8.so', 'usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2'],
    ['liblzma.so', 'usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1'],
  ].map(([name, path]) => ({ name, old: join(v1, path), new: join(v2, path) }));
  if (process.env.BENCH_BIG === '1') {
    const changed = readFileSync(join(DATA, 'changes.list'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('M '))
      .map((l) => l.slice(2))
      .filter((p) => statSync(join(v1, p), { throwIfNoEntry: false })?.isFile() && statSync(join(v2, p), { throwIfNoEntry: false })?.isFile())
      .sort();
    const cat = (dir, out) => writeFileSync(out, Buffer.concat(changed.map((p) => readFileSync(join(dir, p)))));
    cat(v1, join(tmp, 'all-old'));
    cat(v2, join(tmp, 'all-new'));
    list.push({ name: `all ${changed.length} modified files`, old: join(tmp, 'all-old'), new: join(tmp, 'all-new') });
  }
  return list;
}

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const xzSize = (file) => run('xz', ['-8', '-T1', '-c', file]).length;

/** Debian's BSDIFF40 → the raw interleaved stream ostree stores. */
function unwrapBsdiff40(patch) {
  const offt = (at) => {
    const magnitude = patch.readUInt32LE(at) + (patch.readUInt32LE(at + 4) & 0x7fffffff) * 2 ** 32;
    return patch[at + 7] & 0x80 ? -magnitude : magnitude;
  };
  const [ctrlLen, diffLen] = [offt(8), offt(16)];
  const ctrl = run('bzip2', ['-dc'], patch.subarray(32, 32 + ctrlLen));
  const diff = run('bzip2', ['-dc'], patch.subarray(32 + ctrlLen, 32 + ctrlLen + diffLen));
  const extra = run('bzip2', ['-dc'], patch.subarray(32 + ctrlLen + diffLen));
  const parts = [];
  let d = 0;
  let e = 0;
  for (let at = 0; at < ctrl.length; at += 24) {
    const dl = ctrl.readUInt32LE(at);
    const el = ctrl.readUInt32LE(at + 8);
    parts.push(ctrl.subarray(at, at + 24), diff.subarray(d, d + dl), extra.subarray(e, e + el));
    d += dl;
    e += el;
  }
  return Buffer.concat(parts);
}

const fmt = (n, d = 2) => n.toFixed(d);
const mib = (kib) => fmt(kib / 1024, 0);
const results = [];
try {
  console.log(`bsdiff benchmark, ${REPS} reps (medians); machine: ${JSON.stringify(await machine())}`);
  console.log('| pair | old → new KiB | bsdiff wall s: Debian / ours | CPU s: Debian / ours (of which bsdiff itself) | peak RSS MiB: Debian / ours (wasm heap) | raw stream .xz KiB: Debian / ours | bspatch ms: Debian (process) / ours / ours streaming |');
  console.log('|---|---|---|---|---|---|---|');
  for (const p of pairs()) {
    const oldSize = statSync(p.old).size;
    const newSize = statSync(p.new).size;
    const theirsPatch = join(tmp, 'theirs.bsdiff40');
    const oursPatch = join(tmp, 'ours.raw');
    const theirsRuns = [];
    const oursRuns = [];
    const oursInner = [];
    for (let i = 0; i < REPS; i++) {
      theirsRuns.push(measure(['bsdiff', p.old, p.new, theirsPatch]));
      const m = measure([process.execPath, OURS, 'diff', p.old, p.new, oursPatch]);
      oursRuns.push(m);
      oursInner.push(JSON.parse(m.stdout));
    }
    const theirsRaw = join(tmp, 'theirs.raw');
    writeFileSync(theirsRaw, unwrapBsdiff40(readFileSync(theirsPatch)));
    const sizes = { theirsBsdiff40: statSync(theirsPatch).size, theirsRawXz: xzSize(theirsRaw), oursRaw: statSync(oursPatch).size, oursRawXz: xzSize(oursPatch) };

    // bspatch: Debian's on its own patch; ours on our patch, checked against the new file.
    const expected = readFileSync(p.new);
    const out = join(tmp, 'out');
    const theirsPatchMs = [];
    const oursPatchMs = [];
    const oursStreamMs = [];
    for (let i = 0; i < REPS; i++) {
      theirsPatchMs.push(measure(['bspatch', p.old, out, theirsPatch]).wallS * 1000);
      if (!readFileSync(out).equals(expected)) throw new Error(`Debian bspatch output differs for ${p.name}`);
      oursPatchMs.push(JSON.parse(measure([process.execPath, OURS, 'patch', p.old, oursPatch, out, String(newSize)]).stdout).ms);
      if (!readFileSync(out).equals(expected)) throw new Error(`our bspatch output differs for ${p.name}`);
      oursStreamMs.push(JSON.parse(measure([process.execPath, OURS, 'stream', p.old, oursPatch, out, String(newSize)]).stdout).ms);
      if (!readFileSync(out).equals(expected)) throw new Error(`our streaming bspatch output differs for ${p.name}`);
    }

    const r = {
      pair: p.name,
      oldBytes: oldSize,
      newBytes: newSize,
      debian: { wallS: median(theirsRuns.map((x) => x.wallS)), cpuS: median(theirsRuns.map((x) => x.cpuS)), maxRssKiB: median(theirsRuns.map((x) => x.maxRssKiB)) },
      ours: {
        wallS: median(oursRuns.map((x) => x.wallS)),
        cpuS: median(oursRuns.map((x) => x.cpuS)),
        maxRssKiB: median(oursRuns.map((x) => x.maxRssKiB)),
        bsdiffS: median(oursInner.map((x) => x.ms)) / 1000,
        bsdiffCpuS: median(oursInner.map((x) => x.cpuMs)) / 1000,
        wasmHeapPeakBytes: oursInner[0].peakHeapBytes,
        wasmMemoryBytes: oursInner[0].memoryBytes,
      },
      sizes,
      bspatchMs: { debianProcess: median(theirsPatchMs), ours: median(oursPatchMs), oursStream: median(oursStreamMs) },
    };
    results.push(r);
    console.log(
      `| ${p.name} | ${Math.round(oldSize / 1024)} → ${Math.round(newSize / 1024)} ` +
        `| ${fmt(r.debian.wallS)} / ${fmt(r.ours.wallS)} ` +
        `| ${fmt(r.debian.cpuS)} / ${fmt(r.ours.cpuS)} (${fmt(r.ours.bsdiffCpuS)}) ` +
        `| ${mib(r.debian.maxRssKiB)} / ${mib(r.ours.maxRssKiB)} (${fmt(r.ours.wasmHeapPeakBytes / 2 ** 20, 1)}) ` +
        `| ${fmt(sizes.theirsRawXz / 1024, 1)} / ${fmt(sizes.oursRawXz / 1024, 1)} ` +
        `| ${fmt(r.bspatchMs.debianProcess, 0)} / ${fmt(r.bspatchMs.ours, 0)} / ${fmt(r.bspatchMs.oursStream, 0)} |`,
    );
  }
  console.log(JSON.stringify({ benchmark: 'bsdiff', commit: await gitCommit(ROOT), date: new Date().toISOString(), machine: await machine(), reps: REPS, results }));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
