#!/usr/bin/env node
// benchmarks/pull: `ostree pull` and `ostree-ts pull` side by side (separate processes, same
// flags) from the same archive repo served by Debian nginx on 127.0.0.1. Prints wall time,
// CPU time, peak RSS, bytes and requests served (from nginx's access log), and ratios
// (ostree-ts / ostree: below 1 means ostree-ts is better), then a JSON line.
//
// Scenarios (trees from ../shared/bench/make-rootfs.sh in BENCH_DATA, default /work/bench-data/data):
//   first pull of the Debian minbase commit (rootfs-v1) into bare and archive repos, by objects;
//   update v1 → v2 by objects (no deltas on the server) and by a static delta made by real
//   `ostree static-delta generate` (bare client; archive repos never use deltas).
// Usage: npx tsc -b packages/cli/tsconfig.build.json && node benchmarks/pull/run.mjs [--runs N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitCommit, machine, measure, medianRun, sideBySideColumns } from '../lib/measure.mjs';
import { BENCH_DATA, OSTREE_TS_CLI as cli, REPO_ROOT as root, option } from '../lib/args.mjs';

const runs = Number(option('runs', 3));
const data = BENCH_DATA;
const v1Tree = join(data, 'rootfs-v1');
const v2Tree = join(data, 'rootfs-v2');
if (!existsSync(v1Tree) || !existsSync(v2Tree)) {
  console.error(`benchmarks/pull needs ${v1Tree} and ${v2Tree} (../shared/bench/make-rootfs.sh)`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'bench-pull-'));
const ostree = (...a) => execFileSync('ostree', a, { encoding: 'utf8', maxBuffer: 64 << 20 }).trim();

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** nginx serving `dir` with an access log of method, path, status and body bytes. */
async function startNginx(dir, name) {
  const prefix = join(work, `nginx-${name}`);
  mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const log = join(prefix, 'access.log');
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `user root; worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;
events { worker_connections 512; }
http {
  default_type application/octet-stream;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  log_format counted '$request_method $uri $status $body_bytes_sent';
  access_log ${log} counted;
  keepalive_requests 100000;
  server { listen 127.0.0.1:${port}; root ${dir}; location / { } }
}
`,
  );
  execFileSync('nginx', ['-c', conf, '-p', prefix]);
  for (let i = 0; i < 200 && !existsSync(join(prefix, 'nginx.pid')); i++) await new Promise((r) => setTimeout(r, 10));
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  return {
    url: `http://127.0.0.1:${port}/`,
    lines,
    stop: () => process.kill(Number(readFileSync(join(prefix, 'nginx.pid'), 'utf8')), 'SIGTERM'),
  };
}

// The served repositories: v1 and v2 on one ref; a copy with a v1→v2 delta.
console.error('preparing served repositories…');
const served = join(work, 'served');
ostree('init', `--repo=${served}`, '--mode=archive');
ostree('commit', `--repo=${served}`, '-b', 'debian/minbase', '-s', 'v1', '--no-bindings', `--tree=dir=${v1Tree}`);
const v1 = ostree('rev-parse', `--repo=${served}`, 'debian/minbase');
ostree('refs', `--repo=${served}`, `--create=debian/v1`, v1);
ostree('commit', `--repo=${served}`, '-b', 'debian/minbase', '-s', 'v2', '--no-bindings', `--tree=dir=${v2Tree}`);
const v2 = ostree('rev-parse', `--repo=${served}`, 'debian/minbase');
ostree('summary', '-u', `--repo=${served}`);
const servedDelta = join(work, 'served-delta');
execFileSync('cp', ['-a', served, servedDelta]);
ostree('static-delta', 'generate', `--repo=${servedDelta}`, `--from=${v1}`, `--to=${v2}`);
ostree('summary', '-u', `--repo=${servedDelta}`);
const plain = await startNginx(served, 'plain');
const withDelta = await startNginx(servedDelta, 'delta');
// Servers and scratch go away even when a run fails.
const cleanup = () => {
  for (const s of [plain, withDelta]) {
    try {
      s.stop();
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);

const scenarios = [
  { name: 'v1 first pull', mode: 'bare', server: plain, ref: 'debian/v1', start: undefined },
  { name: 'v1 first pull', mode: 'archive', server: plain, ref: 'debian/v1', start: undefined },
  { name: 'v1→v2 objects', mode: 'bare', server: plain, ref: 'debian/minbase', start: v1 },
  { name: 'v1→v2 delta', mode: 'bare', server: withDelta, ref: 'debian/minbase', start: v1 },
];

/** A client repo of `mode` with remote "origin" at `url`, holding commit `start` as origin:REF. */
function client(mode, url, ref, start) {
  const repo = join(work, `client-${Math.random().toString(36).slice(2)}`);
  ostree('init', `--repo=${repo}`, `--mode=${mode}`);
  ostree('remote', 'add', `--repo=${repo}`, '--no-gpg-verify', 'origin', url);
  if (start !== undefined) {
    ostree('pull-local', `--repo=${repo}`, `--remote=origin`, served, start);
    ostree('refs', `--repo=${repo}`, `--create=origin:${ref}`, start);
  }
  return repo;
}

const results = [];
for (const s of scenarios) {
  const sides = {};
  for (const side of ['ostree', 'ostree-ts']) {
    const samples = [];
    let served = { requests: 0, bytes: 0 };
    let line = '';
    for (let i = 0; i < runs; i++) {
      const repo = client(s.mode, s.server.url, s.ref, s.start);
      try {
        execFileSync('sync');
        const before = s.server.lines().length;
        const argv = side === 'ostree' ? ['ostree'] : ['node', cli];
        const r = measure([...argv, 'pull', `--repo=${repo}`, 'origin', s.ref]);
        const log = s.server.lines().slice(before);
        served = { requests: log.length, bytes: log.reduce((n, l) => n + Number(l.split(' ')[3] ?? 0), 0) };
        line = r.stdout.trim().split('\n').pop();
        // Both must end where the server is, and real ostree must accept the result.
        const head = ostree('rev-parse', `--repo=${repo}`, `origin:${s.ref}`);
        if (head !== (s.ref === 'debian/v1' ? v1 : v2)) throw new Error(`${side} ${s.name}: ref at ${head}`);
        if (i === 0) ostree('fsck', '--quiet', `--repo=${repo}`);
        samples.push(r);
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
    }
    sides[side] = { ...medianRun(samples), ...served, line };
  }
  const o = sides.ostree;
  const t = sides['ostree-ts'];
  results.push({
    scenario: s.name,
    mode: s.mode,
    ostree: o,
    ostreeTs: t,
    ratio: { wall: t.wallS / o.wallS, cpu: t.cpuS / o.cpuS, rss: t.maxRssKiB / o.maxRssKiB, requests: t.requests / o.requests, bytes: t.bytes / o.bytes },
  });
}
cleanup();
process.removeListener('exit', cleanup);

const MiB = (b) => (b / 2 ** 20).toFixed(1);
console.log(`pull benchmark over nginx on 127.0.0.1, median of ${runs} (ratio = ostree-ts / ostree)`);
console.log('scenario        mode     ostree wall/cpu/rssMiB   ostree-ts wall/cpu/rssMiB   ratio wall  cpu   rss   requests (o/ts)   MiB served (o/ts)');
for (const r of results) {
  console.log(
    `${r.scenario.padEnd(15)} ${r.mode.padEnd(8)} ${sideBySideColumns(r)}   ${String(r.ostree.requests).padStart(6)}/${String(r.ostreeTs.requests).padEnd(6)}    ` +
      `${MiB(r.ostree.bytes).padStart(6)}/${MiB(r.ostreeTs.bytes)}`,
  );
}
for (const r of results) console.log(`  ${r.scenario} (${r.mode}): ostree: ${r.ostree.line} | ostree-ts: ${r.ostreeTs.line}`);
console.log(JSON.stringify({ benchmark: 'pull', date: new Date().toISOString(), commit: await gitCommit(root), machine: await machine(), runs, v1, v2, results }));
