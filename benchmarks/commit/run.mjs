#!/usr/bin/env node
// benchmarks/commit: commit the same trees with `ostree commit` and `ostree-ts commit`, side by
// side (each a separate process, same flags), in archive and bare-user-only repos. Prints wall time, CPU time, peak RSS and ratios
// (ostree-ts / ostree: below 1 means ostree-ts is better), and a JSON line.
//
// Trees: the Debian minbase tree from ../shared/bench/make-rootfs.sh (BENCH_DATA/rootfs-v1,
// default /work/bench-data/data) if present, and a synthetic 50k-file tree made with
// ../shared/bench/make-synthetic-tree.js (generated on first use into BENCH_DATA).
// Usage: npm run build && node benchmarks/commit/run.mjs [--runs N] [--files N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, measure, medianRun, sideBySideColumns, gitCommit } from '../lib/measure.mjs';
import { BENCH_DATA, OSTREE_TS_CLI as cli, REPO_ROOT as root, option } from '../lib/args.mjs';

const runs = Number(option('runs', 3));
const files = Number(option('files', 50000));
const data = BENCH_DATA;
const shared = process.env.SHARED ?? join(root, '../shared');

const trees = [];
if (existsSync(join(data, 'rootfs-v1'))) trees.push(['debian-minbase', join(data, 'rootfs-v1')]);
const synthetic = join(data, `syn${files}`);
if (!existsSync(synthetic)) {
  execFileSync('node', [join(shared, 'bench/make-synthetic-tree.js'), '--out', synthetic, '--files', String(files)], { stdio: 'inherit' });
}
trees.push([`synthetic-${files}`, synthetic]);

const results = [];
for (const [treeName, tree] of trees) {
  for (const mode of ['archive', 'bare-user-only']) {
    const sides = {};
    for (const side of ['ostree', 'ostree-ts']) {
      const samples = [];
      let checksum;
      for (let i = 0; i < runs; i++) {
        const work = mkdtempSync(join(tmpdir(), 'bench-commit-'));
        const repo = join(work, 'repo');
        try {
          let r;
          if (side === 'ostree') {
            execFileSync('ostree', ['init', `--repo=${repo}`, `--mode=${mode}`]);
            r = measure(['ostree', 'commit', `--repo=${repo}`, '-b', 'bench', '-s', 'bench', '--no-bindings', '--timestamp=1970-01-01 00:00:01 +0000', `--tree=dir=${tree}`]);
          } else {
            execFileSync('node', [cli, 'init', `--repo=${repo}`, `--mode=${mode}`]);
            r = measure(['node', cli, 'commit', `--repo=${repo}`, '-b', 'bench', '-s', 'bench', '--no-bindings', '--timestamp=1970-01-01 00:00:01 +0000', `--tree=dir=${tree}`]);
          }
          checksum = r.stdout.trim();
          samples.push(r);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }
      sides[side] = { ...medianRun(samples), checksum };
    }
    const o = sides.ostree;
    const t = sides['ostree-ts'];
    results.push({
      tree: treeName,
      mode,
      sameChecksum: o.checksum === t.checksum,
      ostree: o,
      ostreeTs: t,
      ratio: { wall: t.wallS / o.wallS, cpu: t.cpuS / o.cpuS, rss: t.maxRssKiB / o.maxRssKiB },
    });
  }
}

console.log(`commit benchmark, median of ${runs} (ratio = ostree-ts / ostree)`);
console.log('tree                 mode            same  ostree wall/cpu/rssMiB   ostree-ts wall/cpu/rssMiB   ratio wall  cpu   rss');
for (const r of results) {
  console.log(
    `${r.tree.padEnd(20)} ${r.mode.padEnd(15)} ${String(r.sameChecksum).padEnd(5)} ` +
      sideBySideColumns(r),
  );
}
const commit = await gitCommit(root);
console.log(JSON.stringify({ benchmark: 'commit', date: new Date().toISOString(), commit, machine: await machine(), runs, results }));
