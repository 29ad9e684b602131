/**
 * Metadata for bootable commits (`ostree commit --bootable`): `ostree.bootable` and
 * `ostree.linux`, the kernel version found as `usr/lib/modules/VERSION/vmlinuz`.
 * @module
 */
import { OstreeError, variant } from '@ostree-ts/core';
import { hasErrorCode, type Fs } from '@ostree-ts/io';
import { joinPath } from '../path.js';
import type { VariantDict } from '@ostree-ts/core';

/**
 * The single kernel version under `usr/lib/modules` of the tree at `root`.
 * @throws {OstreeError} INVALID_ARGUMENT when there is none or more than one
 */
export async function findKernelVersion(fs: Fs, root: string): Promise<string> {
  const modules = joinPath(root, 'usr/lib/modules');
  let names: string[];
  try {
    names = await fs.readdir(modules);
  } catch (cause) {
    if (hasErrorCode(cause, 'ENOENT')) throw new OstreeError('INVALID_ARGUMENT', 'Opening usr/lib/modules: No such file or directory', { cause });
    throw cause;
  }
  let found: string | undefined;
  for (const name of names) {
    const st = await fs.lstat(joinPath(modules, name));
    if (st.type !== 'directory') continue;
    const kernel = await fs.stat(joinPath(modules, name, 'vmlinuz')).catch(() => undefined);
    if (kernel === undefined) continue;
    if (found !== undefined) throw new OstreeError('INVALID_ARGUMENT', 'Multiple kernels found in /usr/lib/modules');
    found = name;
  }
  if (found === undefined) throw new OstreeError('INVALID_ARGUMENT', 'No kernel found in /usr/lib/modules');
  return found;
}

/** Adds the bootable keys to `dict` in the order ostree inserts them. */
export async function addBootableMetadata(fs: Fs, root: string, dict: VariantDict): Promise<void> {
  const kver = await findKernelVersion(fs, root);
  dict.insert('ostree.bootable', variant('b', true));
  dict.insert('ostree.linux', variant('s', kver));
}
