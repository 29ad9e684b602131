/**
 * Finding the kernel, initramfs and devicetree in a deployment and computing its bootcsum
 * (spec §7.4): the `usr/lib/modules/KVER/vmlinuz` layout, or the legacy
 * `usr/lib/ostree-boot` / `boot` layout with checksum-suffixed names.
 * @module
 */
import { OstreeError, toHex, type Sha256, type Sha256Factory } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { join } from './paths.js';

/** Where the boot files of a deployment are and what they are called under `/boot/ostree/OS-BOOTCSUM/`. */
export interface KernelLayout {
  /** Absolute directory holding the source files. */
  readonly bootDir: string;
  readonly kernelSrc: string;
  readonly kernelName: string;
  readonly initramfsSrc?: string;
  readonly initramfsName?: string;
  /** `devicetree` file, or the `dtb` directory when {@link devicetreeName} is undefined. */
  readonly devicetreeSrc?: string;
  readonly devicetreeName?: string;
  readonly hmacSrc?: string;
  readonly hmacName?: string;
  readonly bootcsum: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

async function hashFile(fs: Fs, path: string, h: Sha256): Promise<void> {
  for await (const chunk of fs.readChunks(path, 1 << 20)) h.update(chunk);
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Every file under a dtb directory, names sorted bytewise at each level, as ostree hashes them.
async function hashDirTree(fs: Fs, dir: string, h: Sha256): Promise<void> {
  const names = (await fs.readdir(dir)).sort(byteOrder);
  for (const name of names) {
    const p = join(dir, name);
    const st = await fs.lstat(p);
    if (st.type === 'directory') await hashDirTree(fs, p, h);
    else if (st.type === 'file') await hashFile(fs, p, h);
  }
}

async function isType(fs: Fs, path: string, type: 'file' | 'directory', follow = true): Promise<boolean> {
  try {
    const st = follow ? await fs.stat(path) : await fs.lstat(path);
    return st.type === type;
  } catch {
    return false;
  }
}

async function existsFollow(fs: Fs, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function usrLibModulesLayout(fs: Fs, root: string, hash: Sha256Factory | undefined): Promise<KernelLayout | undefined> {
  const modules = join(root, 'usr/lib/modules');
  const st = await fs.lstatIfExists(modules);
  if (st === undefined) return undefined;
  for (const kver of await fs.readdir(modules)) {
    const dir = join(modules, kver);
    if ((await fs.lstat(dir)).type !== 'directory') continue;
    if (!(await isType(fs, join(dir, 'vmlinuz'), 'file'))) continue;
    // Without a hash factory only the names are wanted (the bootcsum is already known).
    const h: Sha256 = hash?.() ?? { update: () => h, digest: () => new Uint8Array(0) };
    if (hash) await hashFile(fs, join(dir, 'vmlinuz'), h);
    let layout: Omit<KernelLayout, 'bootcsum'> = { bootDir: dir, kernelSrc: 'vmlinuz', kernelName: `vmlinuz-${kver}` };
    for (const name of ['initramfs.img', 'initramfs']) {
      if (await existsFollow(fs, join(dir, name))) {
        layout = { ...layout, initramfsSrc: name, initramfsName: `initramfs-${kver}.img` };
        if (hash) await hashFile(fs, join(dir, name), h);
        break;
      }
    }
    if (await existsFollow(fs, join(dir, 'devicetree'))) {
      layout = { ...layout, devicetreeSrc: 'devicetree', devicetreeName: `devicetree-${kver}` };
      if (hash) await hashFile(fs, join(dir, 'devicetree'), h);
    } else if (await isType(fs, join(dir, 'dtb'), 'directory')) {
      layout = { ...layout, devicetreeSrc: 'dtb' };
      if (hash) await hashDirTree(fs, join(dir, 'dtb'), h);
    }
    if ((await fs.lstatIfExists(join(dir, '.vmlinuz.hmac'))) !== undefined) {
      layout = { ...layout, hmacSrc: '.vmlinuz.hmac', hmacName: `.vmlinuz-${kver}.hmac` };
    }
    return { ...layout, bootcsum: hash ? toHex(h.digest()) : '' };
  }
  return undefined;
}

async function legacyLayout(root: string, fs: Fs): Promise<KernelLayout | undefined> {
  let dir: string | undefined;
  for (const candidate of ['usr/lib/ostree-boot', 'boot']) {
    if (await isType(fs, join(root, candidate), 'directory')) {
      dir = join(root, candidate);
      break;
    }
  }
  if (dir === undefined) return undefined;
  const found: Record<'vmlinuz' | 'initramfs' | 'devicetree', { src: string; name: string; csum: string } | undefined> = {
    vmlinuz: undefined,
    initramfs: undefined,
    devicetree: undefined,
  };
  for (const name of await fs.readdir(dir)) {
    for (const kind of ['vmlinuz', 'initramfs', 'devicetree'] as const) {
      if (found[kind] !== undefined || !name.startsWith(`${kind}-`)) continue;
      const dash = name.lastIndexOf('-');
      const csum = name.slice(dash + 1);
      if (SHA256_HEX.test(csum)) found[kind] = { src: name, name: name.slice(0, dash), csum };
      break;
    }
  }
  const k = found.vmlinuz;
  if (k === undefined) return undefined;
  if (found.initramfs !== undefined && found.initramfs.csum !== k.csum) {
    throw new OstreeError('INVALID_SYSROOT', 'Mismatched kernel checksum vs initrd');
  }
  if (found.devicetree !== undefined && found.devicetree.csum !== k.csum) {
    throw new OstreeError('INVALID_SYSROOT', 'Mismatched kernel checksum vs device tree in tree');
  }
  return {
    bootDir: dir,
    kernelSrc: k.src,
    kernelName: k.name,
    ...(found.initramfs ? { initramfsSrc: found.initramfs.src, initramfsName: found.initramfs.name } : {}),
    ...(found.devicetree ? { devicetreeSrc: found.devicetree.src, devicetreeName: found.devicetree.name } : {}),
    bootcsum: k.csum,
  };
}

/**
 * The kernel layout of the deployment at `root`, with ostree's precedence: the modules layout,
 * unless it has no initramfs and the legacy layout has one.
 * With `hash` undefined, files are located but not hashed (`bootcsum` is then empty for the
 * modules layout).
 * @throws {OstreeError} INVALID_SYSROOT when no kernel is found or legacy checksums disagree
 */
export async function findKernelLayout(fs: Fs, root: string, hash: Sha256Factory | undefined): Promise<KernelLayout> {
  const modules = await usrLibModulesLayout(fs, root, hash);
  const legacy = await legacyLayout(root, fs);
  if (legacy === undefined) {
    if (modules === undefined) {
      throw new OstreeError('INVALID_SYSROOT', 'Failed to find kernel in /usr/lib/modules, /usr/lib/ostree-boot or /boot');
    }
    return modules;
  }
  if (modules !== undefined && !(modules.initramfsSrc === undefined && legacy.initramfsSrc !== undefined)) return modules;
  return legacy;
}
