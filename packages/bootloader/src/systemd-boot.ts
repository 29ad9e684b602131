/**
 * systemd-boot on an EFI System Partition. The ESP is FAT: no symlinks, so the `boot/loader`
 * swap cannot make anything live there. Instead this backend keeps its own copy:
 *
 * - `writeConfig` (before the swap) copies each entry's kernel, initrds and devicetree to the
 *   same path under the ESP (`<esp>/ostree/<os>-<bootcsum>/…`, so the BLS paths stay valid
 *   relative to the ESP root) and writes the entries as `<esp>/loader/entries/ostree-<version>-<set>.conf`,
 *   where `<set>` identifies this set of entries; every file is written under a temporary
 *   name, fsynced and renamed. Nothing live changes: `loader.conf` still names the old default.
 * - `postSwap` (after the swap) replaces `<esp>/loader/loader.conf` (other settings kept,
 *   `default` set to the new first entry), then removes `ostree-*.conf` entries and
 *   `<esp>/ostree/*` directories that the new set does not use.
 *
 * Crash behaviour: before `loader.conf` is renamed the firmware boots the old default (the
 *   new entries show up as extra menu items); after it, the new default. A crash between the
 *   `boot/loader` swap and the `loader.conf` rename leaves the ESP on the previous default
 *   until the next write. Stale files are only removed once the new `loader.conf` is in place.
 * @module
 */
import { OstreeError, sha256, toHex } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { blsGet, serializeBlsEntry } from './bls.js';
import type { BlsEntry, Bootloader, BootloaderWriteContext } from './bootloader.js';
import { requireLinux, sortedEntries } from './entries.js';
import { dirname, exists, followLinks, joinPath, readText, removeTempFiles, replaceFile } from './files.js';

/** Options of {@link systemdBootBootloader}. */
export interface SystemdBootOptions {
  /** ESP mount point relative to the sysroot. Default `boot/efi`. */
  readonly espPath?: string;
}

const utf8 = new TextEncoder();

/** The ESP file name of each entry (same order as `entries`). */
export function systemdBootEntryNames(entries: readonly BlsEntry[]): string[] {
  const set = toHex(sha256(utf8.encode(entries.map(serializeBlsEntry).join('\0')))).slice(0, 12);
  return entries.map((entry, i) => `ostree-${blsGet(entry, 'version') ?? String(entries.length - i)}-${set}.conf`);
}

/** `loader.conf` with every `default` line replaced by one naming `entry`. */
export function loaderConfWithDefault(current: string | undefined, entry: string): string {
  const kept = (current ?? '').split('\n').filter((line) => line !== '' && !/^\s*default(\s|$)/.test(line));
  return [...kept, `default ${entry}`].join('\n') + '\n';
}

/** Paths an entry needs on the ESP (relative to the boot partition root); `fdtdir` is a directory. */
function entryFiles(entry: BlsEntry): string[] {
  const files = [requireLinux(entry)];
  for (const [key, value] of entry.fields) if (key === 'initrd' || key === 'devicetree' || key === 'fdtdir') files.push(value);
  return files;
}

/** systemd-boot with a copy of kernels and entries on the ESP (see the module description for the protocol). */
export function systemdBootBootloader(options: SystemdBootOptions = {}): Bootloader {
  const espOf = (sysroot: string): string => joinPath(sysroot, options.espPath ?? 'boot/efi');
  return {
    name: 'systemd-boot',
    // loader.conf is renamed on FAT after the swap, not by it.
    isAtomic: () => false,
    query: (fs: Fs, sysroot: string) => exists(fs, joinPath(espOf(sysroot), 'loader'), true),
    async writeConfig(ctx: BootloaderWriteContext): Promise<void> {
      const { fs } = ctx;
      const esp = espOf(ctx.sysroot);
      if (!(await exists(fs, esp, true))) throw new OstreeError('INVALID_SYSROOT', `No EFI System Partition at ${esp}`);
      const entries = sortedEntries(ctx.entries);
      for (const entry of entries)
        for (const file of entryFiles(entry)) await copyIfAbsent(fs, joinPath(ctx.sysroot, 'boot', file), joinPath(esp, file));
      const entriesDir = joinPath(esp, 'loader/entries');
      await fs.mkdir(entriesDir, { recursive: true });
      const names = systemdBootEntryNames(entries);
      for (const [i, entry] of entries.entries()) await replaceFile(fs, joinPath(entriesDir, names[i]!), serializeBlsEntry(entry));
      await fs.fsync(entriesDir);
    },
    async postSwap(ctx: BootloaderWriteContext): Promise<void> {
      const { fs } = ctx;
      const esp = espOf(ctx.sysroot);
      const entries = sortedEntries(ctx.entries);
      const names = systemdBootEntryNames(entries);
      const loaderConf = joinPath(esp, 'loader/loader.conf');
      const current = (await exists(fs, loaderConf, false)) ? await readText(fs, loaderConf) : undefined;
      if (names[0] !== undefined) {
        await replaceFile(fs, loaderConf, loaderConfWithDefault(current, names[0]));
        await fs.fsync(dirname(loaderConf));
      }
      await removeStale(fs, esp, entries, new Set(names));
    },
  };
}

/** Copies a file (or, for `fdtdir`, a directory's files) unless already there; files are immutable per bootcsum directory. */
async function copyIfAbsent(fs: Fs, from: string, to: string): Promise<void> {
  const stat = await fs.stat(from);
  if (stat.type === 'directory') {
    // Always descend: a crash may have left the directory half copied.
    for (const name of await fs.readdir(from)) await copyIfAbsent(fs, joinPath(from, name), joinPath(to, name));
    return;
  }
  if (await exists(fs, to, false)) return;
  await fs.mkdir(dirname(to), { recursive: true });
  await replaceFile(fs, to, await fs.readFile(await followLinks(fs, from)));
}

async function removeStale(fs: Fs, esp: string, entries: readonly BlsEntry[], keep: ReadonlySet<string>): Promise<void> {
  const entriesDir = joinPath(esp, 'loader/entries');
  await removeTempFiles(fs, joinPath(esp, 'loader'));
  await removeTempFiles(fs, entriesDir);
  for (const name of await fs.readdir(entriesDir))
    if (name.startsWith('ostree-') && name.endsWith('.conf') && !keep.has(name)) await fs.unlink(joinPath(entriesDir, name));
  await fs.fsync(entriesDir);
  // Kernel directories: the first path component under <esp>/ostree used by any entry.
  const used = new Set<string>();
  for (const entry of entries)
    for (const file of entryFiles(entry)) {
      const m = /^\/?(?:boot\/)?ostree\/([^/]+)\//.exec(file);
      if (m) used.add(m[1]!);
    }
  const kernels = joinPath(esp, 'ostree');
  if (!(await exists(fs, kernels, false))) return;
  for (const name of await fs.readdir(kernels)) {
    if (!used.has(name)) await fs.removeTree(joinPath(kernels, name));
    else await removeTempFiles(fs, joinPath(kernels, name), true);
  }
  await fs.fsync(kernels);
}
