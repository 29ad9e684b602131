// Running real ostree from tests (shared by the repo, checkout and pull suites).
import { execFileSync, spawnSync } from 'node:child_process';

export const hasOstree = spawnSync('ostree', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs `ostree ARGS`, returning stdout; throws with stderr on failure. */
export function ostree(...args: string[]): string {
  return execFileSync('ostree', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** Runs `ostree ARGS` and returns status, stdout and stderr without throwing. */
export function ostreeResult(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('ostree', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
