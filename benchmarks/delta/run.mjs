#!/usr/bin/env node
// benchmarks/delta: `static-delta generate` with real ostree and with ostree-ts, side by side on
// the same archive repository, each as its own process under GNU time (../lib/measure.mjs).
// Prints generation wall time, CPU time, peak RSS, the delta's size (superblock + parts, and
// what a client downloads: that plus fallback objects) and ratios (ostree-ts / ostree: below 1
// means ostree-ts is better), and a JSON line.
//
// Cases (--cases a,b; default all):
//   rootfs        v1 -> v2 of /work/shared/bench/make-rootfs.sh (BENCH_DATA/rootfs-v1, -v2;
//                 default BENCH_DATA=/work/bench-data/data): a Debian minbase security update
//   rootfs-nofb   the same with --min-fallback-size=0 (everything inside the parts)
//   big-binary    one 200 MiB binary (pseudo-random, i.e. incompressible), v2 = v1 with 2000
//                 scattered byte edits, a 1 MiB region rewritten and 64 KiB inserted mid-file
//   big-binary-win  the same, ostree-ts with --bsdiff-windows (its extension: bsdiff window by
//                 window for files above --max-bsdiff-size, instead of rollsum)
// Every run writes a fresh delta (the previous one is deleted outside the measurement).
// Usage: npm run build && node benchmarks/delta/run.mjs [--runs N] [--cases a,b]
//
// Other phases (e.g. apply timings) can be added to PHASES below; each gets the prepared
// repository, the case and both sides' generated deltas.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, measure, medianRun, sideBySideColumns, gitCommit } from '../lib/measure.mjs';
import { BENCH_DATA, OSTREE_TS_CLI as cli, REPO_ROOT as root, option } from '../lib/args.mjs';
import { commitTreePair, editedBinaryTrees } from '../lib/delta-trees.mjs';

const runs = Number(option('runs', 3));
const data = BENCH_DATA;

const bigBinary = (dir) => editedBinaryTrees(dir, 200);
const CASES = {
  rootfs: { trees: () => [join(data, 'rootfs-v1'), join(data, 'rootfs-v2')], flags: [] },
  'rootfs-nofb': { trees: () => [join(data, 'rootfs-v1'), join(data, 'rootfs-v2')], flags: ['--min-fallback-size=0'] },
  // 2000 scattered one-byte edits, 1 MiB rewritten at 50 MiB, 64 KiB inserted at 100 MiB
  'big-binary': { trees: bigBinary, flags: [] },
  // the same with ostree-ts's windowed bsdiff (ostree ignores the flag it does not have: not passed to it)
  'big-binary-win': { trees: bigBinary, flags: [], tsFlags: ['--bsdiff-windows'] },
};
const selected = option('cases', Object.keys(CASES).join(',')).split(',');

/** Additional measurements per case: ({ repo, from, to, caseName, work }) => result object. */
export const PHASES = [];

function deltaSize(repo, from, to) {
  const show = execFileSync('ostree', [`--repo=${repo}`, 'static-delta', 'show', `${from}-${to}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const num = (re) => Number(re.exec(show)?.[1] ?? NaN);
  const deltasDir = join(repo, 'deltas');
  let files = 0;
  for (const p of readdirSync(deltasDir)) for (const d of readdirSync(join(deltasDir, p))) for (const f of readdirSync(join(deltasDir, p, d))) files += statSync(join(deltasDir, p, d, f)).size;
  return {
    bytes: files,
    fallbackBytes: num(/^Total Fallback Size: (\d+)/m),
    download: files + num(/^Total Fallback Size: (\d+)/m),
    parts: num(/^Number of parts: (\d+)/m),
    fallbacks: num(/^Number of fallback entries: (\d+)/m),
    bspatch: [...show.matchAll(/bspatch=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0),
    rollsumObjects: [...show.matchAll(/ open=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0),
  };
}

const work = mkdtempSync(join(tmpdir(), 'bench-delta-'));
const results = [];
const fmtMiB = (b) => (b / 2 ** 20).toFixed(2);
try {
  for (const name of selected) {
    const c = CASES[name];
    const [t1, t2] = c.trees(work);
    if (!existsSync(t1) || !existsSync(t2)) {
      console.error(`no trees for ${name} at ${t1}, ${t2} (set BENCH_DATA)`);
      process.exit(2);
    }
    const repo = join(work, `repo-${name}`);
    const { from, to } = commitTreePair(repo, t1, t2);
    const samples = { ostree: [], 'ostree-ts': [] };
    const sizes = {};
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 === 0 ? ['ostree', 'ostree-ts'] : ['ostree-ts', 'ostree']) {
        rmSync(join(repo, 'deltas'), { recursive: true, force: true });
        execFileSync('sync');
        const argv = ['--repo=' + repo, 'static-delta', 'generate', `--from=${from}`, `--to=${to}`, ...c.flags];
        const r = side === 'ostree' ? measure(['ostree', ...argv]) : measure(['node', cli, ...argv, ...(c.tsFlags ?? [])]);
        samples[side].push(r);
        sizes[side] = deltaSize(repo, from, to);
      }
    }
    const extra = {};
    for (const phase of PHASES) Object.assign(extra, await phase({ repo, from, to, caseName: name, work }));
    rmSync(repo, { recursive: true, force: true });
    const o = medianRun(samples.ostree);
    const t = medianRun(samples['ostree-ts']);
    results.push({
      case: name,
      flags: c.flags,
      tsFlags: c.tsFlags ?? [],
      ostree: o,
      ostreeTs: t,
      size: { ostree: sizes.ostree, ostreeTs: sizes['ostree-ts'] },
      ratio: { wall: t.wallS / o.wallS, cpu: t.cpuS / o.cpuS, rss: t.maxRssKiB / o.maxRssKiB, size: sizes['ostree-ts'].bytes / sizes.ostree.bytes, download: sizes['ostree-ts'].download / sizes.ostree.download },
      ...extra,
    });
  }
  console.log(`static-delta generate benchmark, median of ${runs} (ratio = ostree-ts / ostree)`);
  console.log('case          ostree wall/cpu/rssMiB   ostree-ts wall/cpu/rssMiB   ratio wall  cpu   rss   delta MiB ostree / ts (ratio)   download MiB ostree / ts (ratio)');
  for (const r of results) {
    console.log(
      `${r.case.padEnd(13)} ${sideBySideColumns(r)}   ${fmtMiB(r.size.ostree.bytes).padStart(8)} / ${fmtMiB(r.size.ostreeTs.bytes).padStart(8)} (${r.ratio.size.toFixed(3)})   ` +
        `${fmtMiB(r.size.ostree.download).padStart(8)} / ${fmtMiB(r.size.ostreeTs.download).padStart(8)} (${r.ratio.download.toFixed(3)})`,
    );
  }
  let load;
  try {
    load = (await import('node:os')).loadavg();
  } catch {}
  console.log(JSON.stringify({ benchmark: 'delta-generate', date: new Date().toISOString(), commit: await gitCommit(root), machine: await machine(), loadavg: load, runs, results }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
