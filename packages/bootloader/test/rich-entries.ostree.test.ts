// Entries with a devicetree, a dtb directory (fdtdir) and overlay initrds, as real ostree
// writes them: BLS files re-serialize byte for byte, U-Boot's uEnv.txt and the GRUB menu match.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { afterAll, describe, expect, it } from 'vitest';
import { blsOverlayInitrds, grub2MenuEntries, parseBlsEntry, serializeBlsEntry, ubootBootloader } from '../src/index.js';
import { sortedEntries } from '../src/entries.js';
import {
  KVER, adminDeploy, bootversionOf, commitOs, copySysroot, hasAdminOstree, makeSysroot, readEntries, readIfExists, removeSysroot,
  rewindToPreSwap,
} from './helpers/real-sysroot.js';

const created: string[] = [];
afterAll(() => created.forEach(removeSysroot));

describe.skipIf(!hasAdminOstree)('devicetree, fdtdir and overlay initrds like real ostree', () => {
  it('BLS round trip, uEnv.txt and grub2-generate output', async () => {
    const sysroot = makeSysroot('uboot');
    created.push(sysroot);
    mkdirSync(join(sysroot, 'boot/loader.0'));
    symlinkSync('loader.0', join(sysroot, 'boot/loader'));
    writeFileSync(join(sysroot, 'boot/loader/uEnv.txt'), '');
    const overlay = join(sysroot, '..', 'overlay.img');
    writeFileSync(overlay, 'OVERLAY INITRD');

    commitOs(sysroot, '1.0', { [`usr/lib/modules/${KVER}/devicetree`]: 'DTB 1' });
    adminDeploy(sysroot, ['--karg=root=LABEL=root', `--overlay-initrd=${overlay}`, 'testos/stable']);
    commitOs(sysroot, '2.0', { [`usr/lib/modules/${KVER}/dtb/board-a.dtb`]: 'A', [`usr/lib/modules/${KVER}/dtb/vendor/board-b.dtb`]: 'B' });
    const before = readIfExists(join(sysroot, 'boot/loader/uEnv.txt'));
    adminDeploy(sysroot, ['--karg=root=LABEL=root', `--overlay-initrd=${overlay}`, 'testos/stable']);

    const bootversion = bootversionOf(sysroot);
    const dir = join(sysroot, `boot/loader.${bootversion}/entries`);
    const texts = readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8'));
    expect(texts.join('')).toMatch(/^devicetree \/ostree\//m);
    expect(texts.join('')).toMatch(/^fdtdir \/ostree\/.*\/dtb$/m);
    for (const text of texts) {
      const entry = parseBlsEntry(text);
      expect(blsOverlayInitrds(entry)).toHaveLength(1);
      expect(serializeBlsEntry(entry)).toBe(text);
    }

    const scratch = copySysroot(sysroot);
    created.push(scratch);
    rewindToPreSwap(scratch, 'uEnv.txt', before);
    const { entries, roots } = readEntries(scratch, bootversion);
    const fs = nodeFs();
    await ubootBootloader().writeConfig({ fs, sysroot: scratch, bootversion, entries, deploymentRoots: roots });
    const theirs = readFileSync(join(sysroot, `boot/loader.${bootversion}/uEnv.txt`), 'utf8');
    expect(theirs).toMatch(/^fdtdir=\/boot\/ostree\//m);
    expect(theirs).toMatch(/^fdt_file2=\/boot\/ostree\//m);
    expect(readFileSync(join(scratch, `boot/loader.${bootversion}/uEnv.txt`), 'utf8')).toBe(theirs);

    const r = spawnSync(
      'setpriv',
      ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', 'instutil', 'grub2-generate', `--sysroot=${sysroot}`, String(bootversion)],
      { encoding: 'utf8', env: { ...process.env, OSTREE_SYSROOT_DEBUG: 'mutable-deployments', GRUB2_BOOT_DEVICE_ID: 'x', GRUB2_PREPARE_ROOT_CACHE: 'y' } },
    );
    expect(r.status).toBe(0);
    const suffix = /^linux16 /m.test(r.stdout) ? '16' : '';
    expect(r.stdout).toMatch(/^devicetree \/ostree\//m);
    expect(grub2MenuEntries(sortedEntries(entries), { bootDeviceId: 'x', prepareRoot: 'y', commandSuffix: suffix })).toBe(r.stdout);
  });
});
