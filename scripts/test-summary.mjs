#!/usr/bin/env node
// Totals vitest's per-package "Tests  N passed | M failed | K skipped (T)" lines from a log
// of `npm test` and prints one plain closing line, "tests: N passed, M failed, K skipped".
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
let packages = 0;
let failedFiles = 0;
for (const line of text.split('\n')) {
  const files = /\bTest Files\s+(\d+) failed/.exec(line);
  if (files) failedFiles += Number(files[1]);
  const m = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!m) continue;
  packages++;
  for (const part of m[1].split('|')) {
    const p = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part);
    if (p && p[2] in totals) totals[p[2]] += Number(p[1]);
  }
}
console.log(`${packages} packages tested`);
// A file can fail outside any test (a hook, an unhandled error): say so, or "0 failed" misleads.
if (failedFiles > 0) console.log(`test files failed: ${failedFiles} (see above)`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
