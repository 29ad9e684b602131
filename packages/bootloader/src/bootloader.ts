/**
 * The contract between the sysroot (which writes BLS entries and swaps `boot/loader`) and a
 * bootloader backend (which turns those entries into its own configuration inside the new
 * `boot/loader.N/` before the swap, so the swap makes the backend's config live atomically).
 * @module
 */
import type { Fs } from '@ostree-ts/io';

/**
 * One Boot Loader Specification entry (`loader.N/entries/ostree-*.conf`): ordered `key value`
 * lines. Keys may repeat (`initrd` for overlay initramfs images).
 */
export interface BlsEntry {
  readonly fields: ReadonlyArray<readonly [key: string, value: string]>;
}

/** What a backend gets when a new boot configuration is being written. */
export interface BootloaderWriteContext {
  readonly fs: Fs;
  /** Absolute path of the sysroot (the directory holding `boot/` and `ostree/`). */
  readonly sysroot: string;
  /** The bootversion being written (the `N` of `boot/loader.N`), not yet live. */
  readonly bootversion: 0 | 1;
  /** The entries just written, in deployment order: index 0 is the default. */
  readonly entries: readonly BlsEntry[];
  /** Absolute path of each entry's deployment root (same order), for files such as `usr/lib/ostree-boot/uEnv.txt`. */
  readonly deploymentRoots: readonly string[];
  /** Environment (e.g. `OSTREE_GRUB2_EXEC`); defaults to none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A bootloader backend. */
export interface Bootloader {
  /** The `sysroot.bootloader` config value that selects it (`uboot`, `grub2`, `syslinux`, `systemd-boot`, `none`). */
  readonly name: string;
  /** True if the sysroot looks set up for this bootloader (used when the config says `auto`). */
  query(fs: Fs, sysroot: string): Promise<boolean>;
  /** Writes the backend's configuration for `ctx.bootversion` (before the atomic swap). */
  writeConfig(ctx: BootloaderWriteContext): Promise<void>;
  /** Optional step after the swap (ostree's zipl uses one). */
  postSwap?(ctx: BootloaderWriteContext): Promise<void>;
  /**
   * Whether the `boot/loader` swap makes this backend's configuration live atomically (ostree
   * then logs "Transaction complete", otherwise "Bootloader updated"). Absent means true, as
   * in ostree; GRUB on EFI, systemd-boot and BLS-only (ostree's "no bootloader") say false.
   * Ask after `query`/`writeConfig`: GRUB only knows it is on EFI once it has probed.
   */
  isAtomic?(): boolean;
}
