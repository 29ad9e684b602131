/**
 * What every `ostree admin` subcommand shares: `--sysroot=PATH` (default `/`), opening the
 * sysroot with the bootloader from `[sysroot] bootloader` and the `/etc` merge, and ostree's
 * messages printed as they come.
 * @module
 */
import { selectBootloader } from '@ostree-ts/bootloader';
import { Sysroot } from '@ostree-ts/sysroot';
import type { Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { formatSize } from '../format-size.js';
import type { OptionSpec } from '../goption.js';

export const ADMIN_SYSROOT_OPTION: OptionSpec = { long: 'sysroot', arg: 'string', argName: 'PATH', description: 'Create a new OSTree sysroot at PATH' };
export const ADMIN_OS_OPTION: OptionSpec = { long: 'os', arg: 'string', argName: 'OSNAME', description: 'Use a different operating system root than the current one' };

/** The sysroot path of an admin invocation (`--sysroot`, else `/`). */
export function sysrootPath(inv: Invocation): string {
  const p = inv.options.string('sysroot');
  return p === undefined ? '/' : inv.ctx.absolute(p);
}

/** Opens the sysroot of `inv`; ostree's progress lines go to stdout in order. */
export async function openSysroot(inv: Invocation): Promise<{ sysroot: Sysroot; flush: () => Promise<void> }> {
  const lines: string[] = [];
  const warnings: string[] = [];
  const path = sysrootPath(inv);
  const repoDir = await inv.ctx.fs.stat(`${path === '/' ? '' : path}/ostree/repo`).catch(() => undefined);
  if (repoDir?.type !== 'directory') throw new CliError('loading sysroot: opendir(ostree/repo): No such file or directory');
  const sysroot = await Sysroot.open(inv.ctx.fs, path, {
    bootloader: async (fs, path, repo) => {
      const configured = repo.config.hasKey('sysroot', 'bootloader') ? repo.config.getValue('sysroot', 'bootloader') : 'auto';
      return selectBootloader(fs, path, configured);
    },
    log: (m) => lines.push(`${m}\n`),
    warn: (m) => warnings.push(`${m}\n`),
    formatSize: (n) => formatSize(n),
    env: inv.ctx.env,
  });
  const flush = async (): Promise<void> => {
    const errors = warnings.splice(0).join('');
    if (errors !== '') await inv.ctx.printErr(errors);
    const text = lines.splice(0).join('');
    if (text !== '') await inv.ctx.print(text);
  };
  return { sysroot, flush };
}

/** Runs `fn` with the sysroot open and locked, printing its messages even if it fails. */
export async function withLockedSysroot(inv: Invocation, fn: (sysroot: Sysroot) => Promise<void>): Promise<void> {
  const { sysroot, flush } = await openSysroot(inv);
  try {
    await sysroot.locked(() => fn(sysroot), {
      onWait: async () => {
        await inv.ctx.print('Waiting for sysroot lock...\n');
        await inv.ctx.out.flush();
      },
    });
  } finally {
    await flush();
  }
}

/** Parses INDEX like C's atoi (ostree uses atoi for undeploy and set-default). */
export function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(text);
  if (m === null) return 0;
  const n = Number.parseInt(m[1]!, 10);
  return Math.max(-2147483648, Math.min(2147483647, n));
}
