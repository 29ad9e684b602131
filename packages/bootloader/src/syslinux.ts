/**
 * The syslinux backend: `boot/loader.N/syslinux.cfg` from the live `boot/syslinux/syslinux.cfg`,
 * byte for byte as ostree writes it (including its DEFAULT handling).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { blsGet } from './bls.js';
import type { BlsEntry, Bootloader, BootloaderWriteContext } from './bootloader.js';
import { requireLinux, sortedEntries } from './entries.js';
import { exists, joinLines, joinPath, readText, replaceFile } from './files.js';

/** The live config (normally a symlink to `../loader/syslinux.cfg`); its presence selects syslinux in `auto`. */
export const SYSLINUX_CONFIG_PATH = 'boot/syslinux/syslinux.cfg';

/**
 * Rewrites a syslinux.cfg for new entries, following ostree's rules:
 * - `LABEL` blocks (a `LABEL ` line and the tab-indented lines after it) whose `\tKERNEL`
 *   starts with `/ostree/` or `/boot/ostree/` are dropped, other blocks and lines are kept;
 * - every top-level `DEFAULT ` line is dropped; a new `DEFAULT <title of entry 0>` is written
 *   only if there was none or one looked like ostree's (`DEFAULT ostree:` or containing
 *   `(ostree`) — so a user's own DEFAULT silently disappears, as with ostree;
 * - then per entry `LABEL <title>`, `\tKERNEL /boot<linux>`, `\tINITRD`, `\tDEVICETREE`, `\tAPPEND`.
 * Returns the lines before joining.
 */
export function syslinuxLines(current: string, entries: readonly BlsEntry[]): string[] {
  const out: string[] = [];
  let block: string[] = [];
  let kernel: string | undefined;
  let inLabel = false;
  let sawDefault = false;
  let regenerateDefault = false;
  const lines: (string | undefined)[] = [...current.split('\n'), undefined];
  for (const line of lines) {
    if (inLabel && (line === undefined || !line.startsWith('\t'))) {
      inLabel = false;
      if (kernel === undefined) throw new OstreeError('INVALID_SYSROOT', 'No KERNEL argument found after LABEL');
      if (!kernel.startsWith('/ostree/') && !kernel.startsWith('/boot/ostree/')) out.push(...block);
      block = [];
    }
    if (line === undefined) break;
    let skip = false;
    if (!inLabel && line.startsWith('LABEL ')) {
      inLabel = true;
      block = [];
    } else if (inLabel && line.startsWith('\tKERNEL ')) {
      // Like ostree, the KERNEL seen last (even in an earlier block) is the one checked.
      kernel = line.slice('\tKERNEL '.length);
    } else if (!inLabel && line.startsWith('DEFAULT ')) {
      sawDefault = true;
      if (line.startsWith('DEFAULT ostree:') || line.includes('(ostree')) regenerateDefault = true;
      skip = true;
    }
    if (!skip) (inLabel ? block : out).push(line);
  }
  if (!sawDefault) regenerateDefault = true;

  entries.forEach((entry, i) => {
    const title = blsGet(entry, 'title') ?? '(Untitled)';
    if (regenerateDefault && i === 0) out.push(`DEFAULT ${title}`);
    out.push(`LABEL ${title}`);
    out.push(`\tKERNEL /boot${requireLinux(entry)}`);
    const initrd = blsGet(entry, 'initrd');
    if (initrd !== undefined) out.push(`\tINITRD /boot${initrd}`);
    const devicetree = blsGet(entry, 'devicetree');
    if (devicetree !== undefined) out.push(`\tDEVICETREE /boot${devicetree}`);
    const options = blsGet(entry, 'options');
    if (options !== undefined) out.push(`\tAPPEND ${options}`);
  });
  return out;
}

/** syslinux: writes `boot/loader.N/syslinux.cfg` (live through `boot/syslinux/syslinux.cfg -> ../loader/syslinux.cfg`). */
export function syslinuxBootloader(): Bootloader {
  return {
    name: 'syslinux',
    query: (fs: Fs, sysroot: string) => exists(fs, joinPath(sysroot, SYSLINUX_CONFIG_PATH), false),
    async writeConfig(ctx: BootloaderWriteContext): Promise<void> {
      const current = await readText(ctx.fs, joinPath(ctx.sysroot, SYSLINUX_CONFIG_PATH));
      const text = joinLines(syslinuxLines(current, sortedEntries(ctx.entries)));
      await replaceFile(ctx.fs, joinPath(ctx.sysroot, `boot/loader.${ctx.bootversion}/syslinux.cfg`), text);
    },
  };
}
