/**
 * BLS only: the entries are the whole configuration (systemd-boot or GRUB with `blscfg`
 * reading `boot/loader/entries` directly).
 * @module
 */
import type { Bootloader } from './bootloader.js';

/** The backend for `sysroot.bootloader=none`, and what `auto` falls back to: writes nothing beyond the entries. */
export function blsOnlyBootloader(): Bootloader {
  return {
    name: 'none',
    // ostree has no bootloader object here and reports the switch as not atomic.
    isAtomic: () => false,
    query: async () => false,
    writeConfig: async () => undefined,
  };
}
