/**
 * Choosing the backend from `sysroot.bootloader` in the repo config, as ostree does for
 * `auto` and its explicit values, plus `systemd-boot` (which ostree lacks).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import type { Bootloader } from './bootloader.js';
import { grub2Bootloader, type Grub2Options } from './grub2.js';
import { blsOnlyBootloader } from './none.js';
import { syslinuxBootloader } from './syslinux.js';
import { systemdBootBootloader, type SystemdBootOptions } from './systemd-boot.js';
import { ubootBootloader } from './uboot.js';

/** Values of `[sysroot] bootloader`: ostree's (`auto`, `none`, `grub2`, `syslinux`, `uboot`, `zipl`) and `systemd-boot`. */
export const BOOTLOADER_CONFIG_VALUES = ['auto', 'none', 'grub2', 'syslinux', 'uboot', 'zipl', 'systemd-boot'] as const;
/** One of {@link BOOTLOADER_CONFIG_VALUES}. */
export type BootloaderConfigValue = (typeof BOOTLOADER_CONFIG_VALUES)[number];

/** Backend options passed through by {@link selectBootloader}. */
export interface SelectBootloaderOptions {
  readonly grub2?: Grub2Options;
  readonly systemdBoot?: SystemdBootOptions;
}

/**
 * The backend for a sysroot. `auto` (the default) probes like ostree, in order: syslinux
 * (`boot/syslinux/syslinux.cfg` exists), GRUB 2 (`boot/grub/grub.cfg`, `boot/grub2/grub.cfg`, or
 * an EFI `boot/efi/EFI/<vendor>/grub.cfg`), U-Boot (`boot/loader/uEnv.txt` exists); if none
 * matches, BLS entries only. An explicit value is used without probing. `zipl` (s390x) is
 * `UNSUPPORTED`; anything else is `INVALID_CONFIG`, with ostree's message.
 */
export async function selectBootloader(
  fs: Fs,
  sysroot: string,
  configured: string = 'auto',
  options: SelectBootloaderOptions = {},
): Promise<Bootloader> {
  switch (configured) {
    case 'auto': {
      const probes = [syslinuxBootloader(), grub2Bootloader(options.grub2), ubootBootloader()];
      for (const candidate of probes) if (await candidate.query(fs, sysroot)) return candidate;
      return blsOnlyBootloader();
    }
    case 'none':
      return blsOnlyBootloader();
    case 'grub2':
      return grub2Bootloader(options.grub2);
    case 'syslinux':
      return syslinuxBootloader();
    case 'uboot':
      return ubootBootloader();
    case 'systemd-boot':
      return systemdBootBootloader(options.systemdBoot);
    case 'zipl':
      throw new OstreeError('UNSUPPORTED', 'The zipl (s390x) bootloader is not supported by ostree-ts');
    default:
      throw new OstreeError('INVALID_CONFIG', `Invalid bootloader configuration: '${configured}'`);
  }
}
