// Backend selection: ostree's `auto` probing order and its explicit values, plus systemd-boot.
import { memoryFs, type Fs } from '@ostree-ts/io';
import { describe, expect, it } from 'vitest';
import { blsOnlyBootloader, grub2Bootloader, selectBootloader } from '../src/index.js';

async function sysroot(files: Record<string, string | { symlink: string }>): Promise<Fs> {
  const fs = memoryFs();
  await fs.mkdir('/s/boot', { recursive: true });
  for (const [path, what] of Object.entries(files)) {
    const full = `/s/${path}`;
    await fs.mkdir(full.slice(0, full.lastIndexOf('/')), { recursive: true });
    if (typeof what === 'string') await fs.writeFile(full, new TextEncoder().encode(what));
    else await fs.symlink(what.symlink, full);
  }
  return fs;
}

describe('selectBootloader', () => {
  it.each([
    [{}, 'none'],
    [{ 'boot/syslinux/syslinux.cfg': '', 'boot/grub/grub.cfg': '', 'boot/loader/uEnv.txt': '' }, 'syslinux'],
    [{ 'boot/syslinux/syslinux.cfg': { symlink: '../loader/syslinux.cfg' } }, 'syslinux'], // not followed
    [{ 'boot/grub2/grub.cfg': '', 'boot/loader/uEnv.txt': '' }, 'grub2'],
    [{ 'boot/grub/grub.cfg': { symlink: '../loader/grub.cfg' }, 'boot/loader/uEnv.txt': '' }, 'grub2'], // dangling counts (GLib)
    [{ 'boot/efi/EFI/debian/grub.cfg': { symlink: 'missing' }, 'boot/loader/uEnv.txt': '' }, 'uboot'], // access(): does not
    [{ 'boot/efi/EFI/BOOT/grub.cfg': '' }, 'none'],
    [{ 'boot/efi/EFI/BOOT/grub.cfg': '', 'boot/efi/EFI/debian/grub.cfg': '' }, 'grub2'],
    [{ 'boot/loader/uEnv.txt': '' }, 'uboot'],
  ] as const)('auto on %j → %s', async (files, name) => {
    const fs = await sysroot(files);
    expect((await selectBootloader(fs, '/s', 'auto')).name).toBe(name);
  });

  it('remembers the EFI grub.cfg it found', async () => {
    const fs = await sysroot({ 'boot/efi/EFI/debian/grub.cfg': '' });
    const grub = grub2Bootloader();
    expect(await grub.query(fs, '/s')).toBe(true);
    expect(grub.efiConfigPath()).toBe('/s/boot/efi/EFI/debian/grub.cfg');
  });

  it('uses explicit values without probing', async () => {
    const fs = await sysroot({ 'boot/syslinux/syslinux.cfg': '' });
    for (const name of ['none', 'grub2', 'syslinux', 'uboot', 'systemd-boot'])
      expect((await selectBootloader(fs, '/s', name)).name).toBe(name);
  });

  it('rejects zipl as unsupported and unknown values like ostree', async () => {
    const fs = await sysroot({});
    await expect(selectBootloader(fs, '/s', 'zipl')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(selectBootloader(fs, '/s', 'lilo')).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: "Invalid bootloader configuration: 'lilo'",
    });
  });

  it('reports atomicity like ostree', async () => {
    const fs = await sysroot({ 'boot/efi/EFI/debian/grub.cfg': '' });
    const efiGrub = await selectBootloader(fs, '/s', 'auto');
    expect(efiGrub.isAtomic?.()).toBe(false);
    const biosGrub = await selectBootloader(fs, '/s', 'grub2'); // explicit: no probing, BIOS
    expect(biosGrub.isAtomic?.()).toBe(true);
    expect((await selectBootloader(fs, '/s', 'uboot')).isAtomic?.() ?? true).toBe(true);
    expect((await selectBootloader(fs, '/s', 'none')).isAtomic?.()).toBe(false);
    expect((await selectBootloader(fs, '/s', 'systemd-boot')).isAtomic?.()).toBe(false);
  });

  it('BLS only writes nothing', async () => {
    const fs = await sysroot({});
    await blsOnlyBootloader().writeConfig({ fs, sysroot: '/s', bootversion: 1, entries: [], deploymentRoots: [] });
    expect(await fs.readdir('/s/boot')).toEqual([]);
  });
});
