#!/usr/bin/env node
// benchmarks/delta/apply: `static-delta apply-offline` with real ostree and with ostree-ts, side
// by side, each as its own process under GNU time (../lib/measure.mjs). The delta is made once
// by real ostree (--min-fallback-size=0: apply-offline refuses fallbacks); every run applies
// it to a fresh repository holding the source commit (prepared outside the measurement), and
// every result is checked with `ostree fsck` and against the source's tree listing.
// Prints wall time, CPU time, peak RSS and ratios (ostree-ts / ostree: below 1 means ostree-ts
// is better), and a JSON line.
//
// Cases (--cases a,b; default all):
//   rootfs       v1 -> v2 of /work/shared/bench/make-rootfs.sh (BENCH_DATA/rootfs-v1, -v2;
//                default BENCH_DATA=/work/bench-data/data)
//   rootfs-scratch  the same v2 from nothing (a scratch delta)
//   big-binary   one 200 MiB binary (incompressible), v2 = v1 with 2000 scattered byte edits,
//                a 1 MiB region rewritten and 64 KiB inserted mid-file (ostree: rollsum)
//   big-bsdiff   one 32 MiB binary with a byte edited every 4 KiB (ostree: bsdiff)
// --mode bare-user (default) | bare | bare-user-only | archive (archive: ostree-ts only runs;
// real ostree cannot apply rollsum/bsdiff operations into archive repos).
// Usage: npm run build && node benchmarks/delta/apply.mjs [--runs N] [--cases a,b] [--mode M]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitCommit, machine, measure, medianRun, sideBySideColumns } from '../lib/measure.mjs';
import { BENCH_DATA, REPO_ROOT as root, option } from '../lib/args.mjs';
import { commitTreePair, editedBinaryTrees } from '../lib/delta-trees.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(option('runs', 3));
const mode = option('mode', 'bare-user');
const data = BENCH_DATA;

const rootfs = () => [join(data, 'rootfs-v1'), join(data, 'rootfs-v2')];
const CASES = {
  rootfs: { trees: rootfs, scratch: false },
  'rootfs-scratch': { trees: rootfs, scratch: true },
  'big-binary': { trees: (dir) => editedBinaryTrees(dir, 200), scratch: false },
  'big-bsdiff': { trees: (dir) => editedBinaryTrees(dir, 32, true), scratch: false },
};
const selected = option('cases', Object.keys(CASES).join(',')).split(',');
const ostree = (...a) => execFileSync('ostree', a, { encoding: 'utf8', maxBuffer: 256 << 20 });

const work = mkdtempSync(join(tmpdir(), 'bench-delta-apply-'));
const results = [];
try {
  for (const name of selected) {
    const c = CASES[name];
    const [t1, t2] = c.trees(work);
    if (!existsSync(t1) || !existsSync(t2)) {
      console.error(`no trees for ${name} at ${t1}, ${t2} (set BENCH_DATA)`);
      process.exit(2);
    }
    const src = join(work, `src-${name}`);
    const { from, to } = commitTreePair(src, t1, t2);
    ostree(`--repo=${src}`, 'static-delta', 'generate', ...(c.scratch ? ['--empty'] : [`--from=${from}`]), `--to=${to}`, '--min-fallback-size=0');
    const name64 = ostree(`--repo=${src}`, 'static-delta', 'list').trim().split('\n')[0];
    const show = ostree(`--repo=${src}`, 'static-delta', 'show', name64);
    const deltaDir = join(src, 'deltas', ...deltaPath(from, to, c.scratch));
    const listing = ostree(`--repo=${src}`, 'ls', '-R', '-C', to);
    const side = (who) => {
      const out = [];
      for (let i = 0; i < runs; i++) {
        const repo = join(work, `t-${name}-${who}-${i}`);
        ostree('init', `--repo=${repo}`, `--mode=${mode}`);
        if (!c.scratch) ostree(`--repo=${repo}`, 'pull-local', src, from);
        execFileSync('sync');
        const argv =
          who === 'ostree'
            ? ['ostree', `--repo=${repo}`, 'static-delta', 'apply-offline', deltaDir]
            : ['node', join(here, 'apply-offline.mjs'), repo, deltaDir];
        out.push(measure(argv));
        ostree(`--repo=${repo}`, 'fsck', '--quiet');
        if (ostree(`--repo=${repo}`, 'ls', '-R', '-C', to) !== listing) throw new Error(`${who}: applied tree differs from the source`);
        rmSync(repo, { recursive: true, force: true });
      }
      return medianRun(out);
    };
    const ostreeRun = mode === 'archive' ? undefined : side('ostree');
    const oursRun = side('ostree-ts');
    const ops = (k) => [...show.matchAll(new RegExp(` ${k}=(\\d+)`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
    results.push({
      case: name,
      mode,
      ops: { open: ops('open'), write: ops('write'), bspatch: ops('bspatch'), spliceClose: ops('openspliceclose') },
      ostree: ostreeRun,
      ostreeTs: oursRun,
      ratio: ostreeRun && {
        wall: oursRun.wallS / ostreeRun.wallS,
        cpu: oursRun.cpuS / ostreeRun.cpuS,
        rss: oursRun.maxRssKiB / ostreeRun.maxRssKiB,
      },
    });
    rmSync(src, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function deltaPath(from, to, scratch) {
  const b64 = (hex) => Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '').replace(/\//g, '_');
  if (scratch) return [b64(to).slice(0, 2), b64(to).slice(2)];
  return [b64(from).slice(0, 2), `${b64(from).slice(2)}-${b64(to)}`];
}

console.log(`static-delta apply-offline into ${mode}, median of ${runs} runs (wall s, cpu s, peak RSS MiB)`);
console.log('case              ostree:  wall    cpu   rss     ostree-ts: wall    cpu   rss     ratio: wall   cpu   rss');
for (const r of results) {
  if (r.ostree) console.log(`${r.case.padEnd(24)} ${sideBySideColumns(r)}`);
  else console.log(`${r.case.padEnd(24)} (ostree cannot)              ${r.ostreeTs.wallS.toFixed(2).padStart(7)} ${r.ostreeTs.cpuS.toFixed(2).padStart(6)} ${(r.ostreeTs.maxRssKiB / 1024).toFixed(0).padStart(5)}`);
}
console.log(JSON.stringify({ bench: 'delta-apply', date: new Date().toISOString(), commit: await gitCommit(root), machine: await machine(), runs, results }));
