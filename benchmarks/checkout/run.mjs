#!/usr/bin/env node
// benchmarks/checkout: check out the same commit with real ostree and with ostree-ts, side by
// side, each as its own process under GNU time (benchmarks/lib/measure.mjs). Prints wall
// time, CPU time, peak RSS and ratios (ostree-ts / ostree: below 1 means ostree-ts is better),
// and a JSON line.
//
// Tree: the Debian minbase tree (BENCH_DATA/rootfs-v1, default /work/bench-data/data),
// committed once with real ostree into an archive and a bare-user-only repo in a temp dir.
// Cases:
//   hardlink      bare-user-only repo, `checkout` (user mode is forced: hardlinks)
//   copy          bare-user-only repo, `checkout -C` (every file copied)
//   copy-kcopy    the same, ostree-ts given an Fs with a kernel-side copyFile (see checkout-ts.mjs)
//   archive-copy  archive repo, `checkout` as root (every file inflated, chowned)
//   archive-user  archive repo, `checkout -U --disable-cache` (inflated, no owners)
// Runs alternate between the two sides; every run gets a fresh destination, the previous one
// is removed and the filesystem synced outside the measurement.
// Usage: npm run build && node benchmarks/checkout/run.mjs [--runs N] [--cases a,b]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, measure, medianRun, sideBySideColumns, gitCommit } from '../lib/measure.mjs';
import { BENCH_DATA, REPO_ROOT as root, option } from '../lib/args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(option('runs', 5));
const data = BENCH_DATA;
const tree = join(data, 'rootfs-v1');
if (!existsSync(tree)) {
  console.error(`no benchmark tree at ${tree} (set BENCH_DATA)`);
  process.exit(2);
}

const CASES = {
  hardlink: { repo: 'bare-user-only', flags: [] },
  copy: { repo: 'bare-user-only', flags: ['-C'] },
  // The same, with an Fs offering kernel-side copies (what ostree does with copy_file_range).
  'copy-kcopy': { repo: 'bare-user-only', flags: ['-C'], tsFlags: ['--kernel-copy'] },
  'archive-copy': { repo: 'archive', flags: [] },
  'archive-user': { repo: 'archive', flags: ['-U', '--disable-cache'] },
};
const selected = option('cases', Object.keys(CASES).join(',')).split(',');

const work = mkdtempSync(join(tmpdir(), 'bench-checkout-'));
const results = [];
try {
  const repos = {};
  for (const mode of new Set(selected.map((c) => CASES[c].repo))) {
    const repo = join(work, mode);
    execFileSync('ostree', ['init', `--repo=${repo}`, `--mode=${mode}`]);
    // bare-user-only cannot hold setuid bits or owners: commit as ostree's own docs advise.
    const extra = mode === 'bare-user-only' ? ['--canonical-permissions'] : [];
    execFileSync('ostree', ['commit', `--repo=${repo}`, '-b', 'bench', '-s', 'bench', '--no-bindings', ...extra, `--tree=dir=${tree}`]);
    repos[mode] = repo;
  }
  const counts = execFileSync('sh', ['-c', `find '${tree}' -type f | wc -l; find '${tree}' -type d | wc -l; find '${tree}' -type l | wc -l; du -sm '${tree}' | cut -f1`], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .map(Number);
  for (const name of selected) {
    const { repo: mode, flags, tsFlags = [] } = CASES[name];
    const repo = repos[mode];
    const samples = { ostree: [], 'ostree-ts': [] };
    let tsStats;
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 === 0 ? ['ostree', 'ostree-ts'] : ['ostree-ts', 'ostree']) {
        const dest = join(work, 'dest');
        rmSync(dest, { recursive: true, force: true });
        execFileSync('sync');
        const r =
          side === 'ostree'
            ? measure(['ostree', 'checkout', `--repo=${repo}`, ...flags, 'bench', dest])
            : measure(['node', join(here, 'checkout-ts.mjs'), repo, 'bench', dest, ...flags, ...tsFlags]);
        if (side === 'ostree-ts') tsStats = JSON.parse(r.stdout);
        samples[side].push(r);
      }
    }
    rmSync(join(work, 'dest'), { recursive: true, force: true });
    const o = medianRun(samples.ostree);
    const t = medianRun(samples['ostree-ts']);
    results.push({ case: name, repo: mode, flags, tsFlags, ostree: o, ostreeTs: t, ratio: { wall: t.wallS / o.wallS, cpu: t.cpuS / o.cpuS, rss: t.maxRssKiB / o.maxRssKiB }, stats: tsStats });
  }
  console.log(`checkout benchmark: Debian minbase (${counts[0]} files, ${counts[1]} dirs, ${counts[2]} symlinks, ${counts[3]} MiB), median of ${runs} (ratio = ostree-ts / ostree)`);
  console.log('case           repo            flags                 ostree wall/cpu/rssMiB   ostree-ts wall/cpu/rssMiB   ratio wall  cpu   rss');
  for (const r of results) {
    console.log(
      `${r.case.padEnd(14)} ${r.repo.padEnd(15)} ${(r.flags.join(' ') || '-').padEnd(20)} ` +
        sideBySideColumns(r),
    );
  }
  const commit = await gitCommit(root);
  let load;
  try {
    load = (await import('node:os')).loadavg();
  } catch {}
  console.log(JSON.stringify({ benchmark: 'checkout', date: new Date().toISOString(), commit, machine: await machine(), loadavg: load, runs, tree: { files: counts[0], dirs: counts[1], symlinks: counts[2], mib: counts[3] }, results }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
