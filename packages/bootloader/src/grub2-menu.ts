/**
 * GRUB menu entries from BLS entries, in the format of `ostree admin instutil grub2-generate`
 * (what ostree's `/etc/grub.d/15_ostree` hook and builtin generator produce).
 * @module
 */
import { blsGet } from './bls.js';
import type { BlsEntry } from './bootloader.js';
import { requireLinux } from './entries.js';

/** Options of {@link grub2MenuEntries}. */
export interface Grub2MenuOptions {
  /** Becomes part of each entry id `ostree-<i>-<id>` (ostree: `$GRUB2_BOOT_DEVICE_ID`). Default `''`. */
  readonly bootDeviceId?: string;
  /** GRUB commands that make the boot partition reachable, one line (ostree: `$GRUB2_PREPARE_ROOT_CACHE`). Default `''`. */
  readonly prepareRoot?: string;
  /**
   * Suffix of the `linux`/`initrd` commands: `''` for modern GRUB (and aarch64), `'16'` for
   * old x86 BIOS GRUB, `'efi'` for old x86 EFI GRUB. Default `''`.
   */
  readonly commandSuffix?: '' | '16' | 'efi';
  /**
   * Prepended to the `linux`, `initrd` and `devicetree` paths. BLS paths are relative to the
   * boot partition; when GRUB's root is a filesystem that holds `/boot` as a plain directory,
   * use `'/boot'`. Default `''` (ostree's output).
   */
  readonly pathPrefix?: string;
}

/** GLib's `g_shell_quote`: single quotes, with each `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * One `menuentry` per BLS entry (in the given order): title, fixed classes and
 * `--unrestricted`, id `ostree-<index>-<bootDeviceId>`, then `load_video`, `set
 * gfxpayload=keep`, `insmod gzio`, the prepare-root line, `linux`, `initrd`, `devicetree`.
 */
export function grub2MenuEntries(entries: readonly BlsEntry[], options: Grub2MenuOptions = {}): string {
  const suffix = options.commandSuffix ?? '';
  const prefix = options.pathPrefix ?? '';
  let out = '';
  entries.forEach((entry, i) => {
    const title = blsGet(entry, 'title') ?? '(Untitled)';
    const id = `ostree-${i}-${options.bootDeviceId ?? ''}`;
    out += `menuentry ${shellQuote(title)} --class gnu-linux --class gnu --class os --unrestricted ${shellQuote(id)} {\n`;
    out += 'load_video\nset gfxpayload=keep\ninsmod gzio\n';
    out += `${options.prepareRoot ?? ''}\n`;
    const linux = requireLinux(entry);
    const kargs = blsGet(entry, 'options');
    out += `linux${suffix} ${prefix}${linux}${kargs === undefined ? '' : ` ${kargs}`}\n`;
    const initrd = blsGet(entry, 'initrd');
    if (initrd !== undefined) out += `initrd${suffix} ${prefix}${initrd}\n`;
    const devicetree = blsGet(entry, 'devicetree');
    if (devicetree !== undefined) out += `devicetree ${prefix}${devicetree}\n`;
    out += '}\n';
  });
  return out;
}
