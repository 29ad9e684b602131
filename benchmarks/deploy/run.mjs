#!/usr/bin/env node
// benchmarks/deploy: `ostree admin deploy` of the Debian minbase commit with real ostree and
// with ostree-ts, side by side, each as its own process under GNU time
// (benchmarks/lib/measure.mjs). Prints wall time, CPU time, peak RSS and ratios
// (ostree-ts / ostree: below 1 means ostree-ts is better) and a JSON line.
//
// Tree: BENCH_DATA/rootfs-v1 (default /work/bench-data/data, else /work/shared/bench/data),
// made bootable by a second --tree with a kernel and initramfs under usr/lib/modules (random
// bytes, 8 MiB and 24 MiB), with /etc moved to /usr/etc, committed once by real ostree into a
// bare master repository.
// Every run gets a fresh sysroot (init-fs, os-init, pull-local from the master: outside the
// measurement). Cases:
//   first    the first deployment of a stateroot (checkout, /etc copy, kernel install, BLS, bootswap)
//   second   a second deployment of the same commit on top (adds the /etc three-way merge of
//            Debian's /etc, kernel already installed, two entries)
// Real ostree runs as `setpriv --bounding-set=-sys_admin … ostree admin` with
// OSTREE_SYSROOT_DEBUG=mutable-deployments (no fsfreeze, no immutable bit); ostree-ts never
// freezes or sets the immutable bit anyway. Runs alternate between the two sides.
// Usage: npm run build && node benchmarks/deploy/run.mjs [--runs N] [--cases first,second]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitCommit, machine, measure, medianRun, sideBySideColumns } from '../lib/measure.mjs';
import { OSTREE_TS_CLI as cli, REPO_ROOT as root, option } from '../lib/args.mjs';

const runs = Number(option('runs', 3));
const candidates = [process.env.BENCH_DATA, '/work/bench-data/data', '/work/shared/bench/data'].filter(Boolean);
const data = candidates.find((d) => existsSync(join(d, 'rootfs-v1')));
if (data === undefined) {
  console.error(`no benchmark tree rootfs-v1 under ${candidates.join(' or ')} (set BENCH_DATA)`);
  process.exit(2);
}
const tree = join(data, 'rootfs-v1');
const env = { ...process.env, OSTREE_SYSROOT_DEBUG: 'mutable-deployments' };
const OSTREE_ADMIN = ['setpriv', '--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin'];
const admin = (side, argv) => (side === 'ostree' ? [...OSTREE_ADMIN, ...argv] : ['node', cli, 'admin', ...argv]);
const run = (argv) => execFileSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });

const CASES = {
  first: { setup: [] },
  second: { setup: [['deploy', '--os=debian', '--karg=root=LABEL=root', 'bench']] },
};
const selected = option('cases', Object.keys(CASES).join(',')).split(',');

const work = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
const results = [];
try {
  const kernel = join(work, 'kernel');
  mkdirSync(join(kernel, 'usr/lib/modules/6.1.0-bench'), { recursive: true });
  writeFileSync(join(kernel, 'usr/lib/modules/6.1.0-bench/vmlinuz'), randomBytes(8 << 20));
  writeFileSync(join(kernel, 'usr/lib/modules/6.1.0-bench/initramfs.img'), randomBytes(24 << 20));
  // ostree deploys /usr/etc (a commit with only /etc fails in 2022.7's /etc preparation):
  // a hardlinked copy of the tree with etc moved there, as OS build tools do.
  const rootfs = join(work, 'rootfs');
  run(['cp', '-al', tree, rootfs]);
  run(['mv', join(rootfs, 'etc'), join(rootfs, 'usr/etc')]);
  const master = join(work, 'master');
  run(['ostree', 'init', `--repo=${master}`, '--mode=bare']);
  run(['ostree', 'commit', `--repo=${master}`, '-b', 'bench', '-s', 'bench', '--no-bindings', `--tree=dir=${rootfs}`, `--tree=dir=${kernel}`]);
  const counts = execFileSync('sh', ['-c', `find '${tree}' -type f | wc -l; find '${tree}' -type d | wc -l; find '${tree}' -type l | wc -l; du -sm '${tree}' | cut -f1`], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .map(Number);

  const freshSysroot = (side) => {
    const s = join(work, 'sysroot');
    rmSync(s, { recursive: true, force: true });
    mkdirSync(s);
    run(admin(side, ['init-fs', s]));
    run(admin(side, ['os-init', `--sysroot=${s}`, 'debian']));
    run(['ostree', 'pull-local', `--repo=${join(s, 'ostree/repo')}`, master, 'bench']);
    return s;
  };

  for (const name of selected) {
    const samples = { ostree: [], 'ostree-ts': [] };
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 === 0 ? ['ostree', 'ostree-ts'] : ['ostree-ts', 'ostree']) {
        const s = freshSysroot(side);
        for (const step of CASES[name].setup) run(admin(side, [...step.slice(0, 1), `--sysroot=${s}`, ...step.slice(1)]));
        execFileSync('sync');
        samples[side].push(measure(admin(side, ['deploy', `--sysroot=${s}`, '--os=debian', '--karg=root=LABEL=root', 'bench']), { env }));
      }
    }
    const o = medianRun(samples.ostree);
    const t = medianRun(samples['ostree-ts']);
    results.push({ case: name, ostree: o, ostreeTs: t, ratio: { wall: t.wallS / o.wallS, cpu: t.cpuS / o.cpuS, rss: t.maxRssKiB / o.maxRssKiB } });
  }
  console.log(`deploy benchmark: Debian minbase + 32 MiB kernel/initramfs (${counts[0]} files, ${counts[1]} dirs, ${counts[2]} symlinks, ${counts[3]} MiB), median of ${runs} (ratio = ostree-ts / ostree)`);
  console.log('case      ostree wall/cpu/rssMiB   ostree-ts wall/cpu/rssMiB   ratio wall  cpu   rss');
  for (const r of results) console.log(`${r.case.padEnd(9)} ${sideBySideColumns(r)}`);
  let load;
  try {
    load = (await import('node:os')).loadavg();
  } catch {}
  console.log(
    JSON.stringify({
      benchmark: 'deploy',
      date: new Date().toISOString(),
      commit: await gitCommit(root),
      machine: await machine(),
      loadavg: load,
      runs,
      tree: { files: counts[0], dirs: counts[1], symlinks: counts[2], mib: counts[3] },
      results,
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
