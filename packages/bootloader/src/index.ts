/**
 * Bootloader backends: BLS entries, U-Boot uEnv.txt, GRUB, syslinux, systemd-boot.
 * @module
 */
export type { BlsEntry, Bootloader, BootloaderWriteContext } from './bootloader.js';
export {
  BLS_KEY_ORDER,
  parseBlsEntry,
  serializeBlsEntry,
  blsGet,
  blsOverlayInitrds,
  blsEntry,
  strverscmp,
  compareBlsEntries,
} from './bls.js';
export { joinLines } from './files.js';
export { ubootBootloader, ubootLines, UBOOT_CONFIG_PATH } from './uboot.js';
export { syslinuxBootloader, syslinuxLines, SYSLINUX_CONFIG_PATH } from './syslinux.js';
export { grub2MenuEntries, shellQuote, type Grub2MenuOptions } from './grub2-menu.js';
export { grub2Bootloader, GRUB2_BIOS_CONFIG_PATHS, GRUB2_MKCONFIG_SUFFIX, type Grub2Options } from './grub2.js';
export { nodeCommandRunner, type CommandRunner, type CommandResult } from './command.js';
export { blsOnlyBootloader } from './none.js';
export {
  systemdBootBootloader,
  systemdBootEntryNames,
  loaderConfWithDefault,
  type SystemdBootOptions,
} from './systemd-boot.js';
export {
  selectBootloader,
  BOOTLOADER_CONFIG_VALUES,
  type BootloaderConfigValue,
  type SelectBootloaderOptions,
} from './select.js';
