#!/usr/bin/env node
// benchmarks/delta/generate-rules.mjs: how much ostree-ts's candidate rules change the delta
// size against ostree's own rules, on the same data, with the same code otherwise
// (@ostree-ts/delta's generateDelta, in this process; run `npm run build` first).
//   ostree-rules  sources by basename and ±30% size only; rollsum tried before bsdiff
//   default       + the same path in the old commit (½× to 2× size); bsdiff tried first
// Tree pair: BENCH_DATA/rootfs-v1 -> rootfs-v2 (default /work/bench-data/data), committed
// with real ostree into an archive repository.
// Usage: node benchmarks/delta/generate-rules.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDelta } from '@ostree-ts/delta';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo } from '@ostree-ts/repo';

const data = process.env.BENCH_DATA ?? '/work/bench-data/data';
const work = mkdtempSync(join(tmpdir(), 'bench-delta-rules-'));
try {
  const repoPath = join(work, 'repo');
  execFileSync('ostree', ['init', `--repo=${repoPath}`, '--mode=archive']);
  const commit = (tree) => execFileSync('ostree', ['commit', `--repo=${repoPath}`, '-b', 'bench', '-s', 'x', '--no-bindings', `--tree=dir=${tree}`], { encoding: 'utf8' }).trim();
  const from = commit(join(data, 'rootfs-v1'));
  const to = commit(join(data, 'rootfs-v2'));
  const repo = await openRepo(nodeFs(), repoPath);
  const rows = [];
  for (const [name, options] of [
    ['ostree-rules', { ostreeRules: true }],
    ['default', {}],
  ]) {
    const dir = join(work, name);
    mkdirSync(dir);
    const t0 = performance.now();
    const r = await generateDelta(repo, { from, to, filename: join(dir, 'superblock'), ...options });
    const seconds = (performance.now() - t0) / 1000;
    const parts = r.parts.reduce((n, p) => n + Number(p.size), 0);
    const fallbacks = r.fallbacks.reduce((n, f) => n + Number(f.compressedSize), 0);
    rows.push({ name, seconds, superblock: r.superblock.length, parts, fallbacks, download: r.superblock.length + parts + fallbacks, counts: r.counts });
  }
  console.log('rules         seconds   delta bytes (superblock+parts)   download bytes   bsdiff rollsum fallback plain');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(13)} ${r.seconds.toFixed(1).padStart(7)}   ${String(r.superblock + r.parts).padStart(28)}   ${String(r.download).padStart(14)}   ` +
        `${String(r.counts.bsdiff).padStart(6)} ${String(r.counts.rollsum).padStart(7)} ${String(r.counts.fallback).padStart(8)} ${String(r.counts.plain).padStart(5)}`,
    );
  }
  console.log(JSON.stringify({ benchmark: 'delta-generate-rules', date: new Date().toISOString(), rows }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
