// Runs a command under GNU time and returns wall time, CPU time and peak RSS, so real ostree
// and ostree-ts are measured the same way (both as separate processes).
import { spawnSync } from 'node:child_process';

/**
 * @param {string[]} argv command and arguments
 * @param {object} [options] { env, cwd }
 * @returns {{ wallS: number, userS: number, sysS: number, cpuS: number, maxRssKiB: number, stdout: string }}
 */
export function measure(argv, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '@@TIME %e %U %S %M', ...argv], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const line = (r.stderr ?? '').split('\n').find((l) => l.startsWith('@@TIME '));
  if (r.status !== 0 || !line) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [wallS, userS, sysS, maxRssKiB] = line.slice(7).split(' ').map(Number);
  return { wallS, userS, sysS, cpuS: userS + sysS, maxRssKiB, stdout: r.stdout };
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median of each field over several runs. */
export function medianRun(runs) {
  return Object.fromEntries(['wallS', 'userS', 'sysS', 'cpuS', 'maxRssKiB'].map((k) => [k, median(runs.map((r) => r[k]))]));
}

/** Machine facts printed with every result. */
export async function machine() {
  const os = await import('node:os');
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

const fmt = (n, d = 2) => n.toFixed(d);

/** The measured columns of one result: ostree wall/cpu/rss, ostree-ts wall/cpu/rss, ratios. */
export function sideBySideColumns(r) {
  return (
    `${fmt(r.ostree.wallS).padStart(7)} ${fmt(r.ostree.cpuS).padStart(6)} ${fmt(r.ostree.maxRssKiB / 1024, 0).padStart(5)}     ` +
    `${fmt(r.ostreeTs.wallS).padStart(7)} ${fmt(r.ostreeTs.cpuS).padStart(6)} ${fmt(r.ostreeTs.maxRssKiB / 1024, 0).padStart(5)}       ` +
    `${fmt(r.ratio.wall).padStart(5)} ${fmt(r.ratio.cpu).padStart(5)} ${fmt(r.ratio.rss).padStart(5)}`
  );
}

/** The checked-out commit of the repository at `root`, for the JSON record. */
export async function gitCommit(root) {
  const { execFileSync } = await import('node:child_process');
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
