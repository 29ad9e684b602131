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
