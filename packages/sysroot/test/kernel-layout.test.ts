import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSha256 } from '@ostree-ts/core';
import { nodeFs } from '@ostree-ts/io-node';
import { describe, expect, it } from 'vitest';
import { findKernelLayout } from '../src/kernel-layout.js';
import { SourceRepo, bootableTree, hasOstreeAdmin, ostreeAdmin, tempDir } from './helpers/fixtures.js';

const fs = nodeFs();

function put(root: string, rel: string, content: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), content);
}

describe('kernel discovery and bootcsum', () => {
  it('hashes vmlinuz ‖ initramfs.img (the spec vector cffd1db1…98fb)', async () => {
    const root = bootableTree();
    const layout = await findKernelLayout(fs, root, defaultSha256);
    expect(layout.bootcsum).toMatch(/^cffd1db1[0-9a-f]{52}98fb$/);
    expect(layout.kernelName).toBe('vmlinuz-5.10.0-test');
    expect(layout.initramfsName).toBe('initramfs-5.10.0-test.img');
  });

  it('legacy /boot layout: the checksum suffix is the bootcsum; mismatches are refused', async () => {
    const c = 'a'.repeat(64);
    const root = tempDir('ots-legacy-');
    put(root, `boot/vmlinuz-5.4-${c}`, 'K');
    put(root, `boot/initramfs-5.4.img-${c}`, 'I');
    const layout = await findKernelLayout(fs, root, defaultSha256);
    expect(layout).toMatchObject({ bootcsum: c, kernelName: 'vmlinuz-5.4', initramfsName: 'initramfs-5.4.img' });
    put(root, `boot/devicetree-x-${'b'.repeat(64)}`, 'D');
    await expect(findKernelLayout(fs, root, defaultSha256)).rejects.toThrow(/Mismatched kernel checksum vs device tree/);
  });

  it('the legacy layout wins when only it has an initramfs', async () => {
    const c = 'c'.repeat(64);
    const root = bootableTree({ initramfs: null });
    put(root, `usr/lib/ostree-boot/vmlinuz-${c}`, 'K');
    put(root, `usr/lib/ostree-boot/initramfs-${c}`, 'I');
    expect((await findKernelLayout(fs, root, defaultSha256)).bootcsum).toBe(c);
  });

  it('no kernel anywhere is an error with ostree\'s message', async () => {
    await expect(findKernelLayout(fs, tempDir('ots-nokernel-'), defaultSha256)).rejects.toThrow(
      'Failed to find kernel in /usr/lib/modules, /usr/lib/ostree-boot or /boot',
    );
  });

  it.skipIf(!hasOstreeAdmin)('a dtb directory hashes like real ostree (its boot directory name)', async () => {
    const tree = bootableTree({
      extra: { 'usr/lib/modules/5.10.0-test/dtb/vendor/b.dtb': 'B', 'usr/lib/modules/5.10.0-test/dtb/a.dtb': 'A', 'usr/lib/modules/5.10.0-test/dtb/vendor/a.dtb': 'VA' },
    });
    const src = new SourceRepo();
    src.commit(tree, 'os/dtb', '1');
    const sysroot = tempDir('ots-dtb-');
    ostreeAdmin('init-fs', sysroot);
    ostreeAdmin('os-init', `--sysroot=${sysroot}`, 'os');
    src.pullInto(sysroot, 'os/dtb');
    ostreeAdmin('deploy', `--sysroot=${sysroot}`, '--os=os', 'os/dtb');
    const dirs = readdirSync(join(sysroot, 'boot/ostree'));
    const layout = await findKernelLayout(fs, tree, defaultSha256);
    expect(dirs).toEqual([`os-${layout.bootcsum}`]);
    expect(layout.devicetreeSrc).toBe('dtb');
    expect(layout.devicetreeName).toBeUndefined();
  });
});
