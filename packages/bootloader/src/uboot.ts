/**
 * The U-Boot backend: `boot/loader.N/uEnv.txt`, byte for byte as ostree writes it.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { blsGet } from './bls.js';
import type { BlsEntry, Bootloader, BootloaderWriteContext } from './bootloader.js';
import { requireLinux, ostreeKarg, sortedEntries } from './entries.js';
import { exists, joinLines, joinPath, readText, replaceFile } from './files.js';

/** The file whose presence makes `auto` pick U-Boot (and which must exist to write). */
export const UBOOT_CONFIG_PATH = 'boot/loader/uEnv.txt';

/**
 * Builds the uEnv.txt lines: per entry `kernel_image`, `ramdisk_image`, `fdt_file`, `fdtdir`,
 * `bootargs` (suffix `""` for the first entry, `N+1` after), and right after the default
 * entry's `bootargs` the verbatim `usr/lib/ostree-boot/uEnv.txt` of its deployment (`systemUenv`).
 */
export function ubootLines(entries: readonly BlsEntry[], systemUenv: string | undefined): string[] {
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    const sfx = i === 0 ? '' : String(i + 1);
    lines.push(`kernel_image${sfx}=/boot${requireLinux(entry)}`);
    const initrd = blsGet(entry, 'initrd');
    if (initrd !== undefined) lines.push(`ramdisk_image${sfx}=/boot${initrd}`);
    const devicetree = blsGet(entry, 'devicetree');
    if (devicetree !== undefined) lines.push(`fdt_file${sfx}=/boot${devicetree}`);
    const fdtdir = blsGet(entry, 'fdtdir');
    if (fdtdir !== undefined) lines.push(`fdtdir${sfx}=/boot${fdtdir}`);
    const options = blsGet(entry, 'options');
    if (options !== undefined) {
      lines.push(`bootargs${sfx}=${options}`);
      if (i === 0 && systemUenv !== undefined) lines.push(systemUenv);
    }
  });
  return lines;
}

/** U-Boot: writes `boot/loader.N/uEnv.txt` (the user links `boot/uEnv.txt -> loader/uEnv.txt`). */
export function ubootBootloader(): Bootloader {
  return {
    name: 'uboot',
    query: (fs: Fs, sysroot: string) => exists(fs, joinPath(sysroot, UBOOT_CONFIG_PATH), false),
    async writeConfig(ctx: BootloaderWriteContext): Promise<void> {
      const { fs, sysroot } = ctx;
      // ostree insists the current config is readable even though it does not use it.
      await readText(fs, joinPath(sysroot, UBOOT_CONFIG_PATH));
      const entries = sortedEntries(ctx.entries);
      const systemUenv = await readSystemUenv(ctx, entries[0]);
      const text = joinLines(ubootLines(entries, systemUenv));
      await replaceFile(fs, joinPath(sysroot, `boot/loader.${ctx.bootversion}/uEnv.txt`), text);
    },
  };
}

/** The default deployment's `usr/lib/ostree-boot/uEnv.txt`, if it has one. */
async function readSystemUenv(ctx: BootloaderWriteContext, first: BlsEntry | undefined): Promise<string | undefined> {
  if (first === undefined) return undefined;
  const options = blsGet(first, 'options');
  if (options === undefined) return undefined;
  let root = ctx.deploymentRoots[ctx.entries.indexOf(first)];
  if (root === undefined) {
    // Without a root from the caller, resolve it as ostree does: through the ostree= bootlink.
    const karg = ostreeKarg(options);
    if (karg === undefined)
      throw new OstreeError('INVALID_SYSROOT', 'No ostree= kernel argument found in boot loader configuration file');
    root = joinPath(ctx.sysroot, karg);
  }
  const path = joinPath(root, 'usr/lib/ostree-boot/uEnv.txt');
  if (!(await exists(ctx.fs, path, true))) return undefined;
  return readText(ctx.fs, path);
}
