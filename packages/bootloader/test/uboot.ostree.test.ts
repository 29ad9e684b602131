// U-Boot against real ostree: the uEnv.txt our backend writes for the entries ostree wrote
// must equal ostree's byte for byte.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBootloader, ubootBootloader } from '../src/index.js';
import {
  adminDeploy, commitOs, copySysroot, hasAdminOstree, makeSysroot, readEntries, readIfExists, removeSysroot, rewindToPreSwap,
} from './helpers/real-sysroot.js';

const created: string[] = [];
afterAll(() => created.forEach(removeSysroot));

function ubootSysroot(configured: string | undefined): string {
  const sysroot = makeSysroot(configured);
  created.push(sysroot);
  mkdirSync(join(sysroot, 'boot/loader.0'));
  symlinkSync('loader.0', join(sysroot, 'boot/loader'));
  writeFileSync(join(sysroot, 'boot/loader/uEnv.txt'), '');
  return sysroot;
}

/** Deploys with real ostree, then regenerates uEnv.txt with ours in a scratch copy; returns both. */
async function deployAndCompare(sysroot: string, karg: string): Promise<{ theirs: string; ours: string }> {
  const before = readIfExists(join(sysroot, 'boot/loader/uEnv.txt'));
  adminDeploy(sysroot, [`--karg=${karg}`, 'testos/stable']);
  const scratch = copySysroot(sysroot);
  created.push(scratch);
  const bootversion = rewindToPreSwap(scratch, 'uEnv.txt', before);
  const { entries, roots } = readEntries(scratch, bootversion);
  const fs = nodeFs();
  const bootloader = await selectBootloader(fs, scratch, 'auto');
  expect(bootloader.name).toBe('uboot');
  await bootloader.writeConfig({ fs, sysroot: scratch, bootversion, entries, deploymentRoots: roots });
  return {
    theirs: readFileSync(join(sysroot, `boot/loader.${bootversion}/uEnv.txt`), 'utf8'),
    ours: readFileSync(join(scratch, `boot/loader.${bootversion}/uEnv.txt`), 'utf8'),
  };
}

describe.skipIf(!hasAdminOstree)('U-Boot uEnv.txt matches real ostree', () => {
  it('without usr/lib/ostree-boot/uEnv.txt, over three deployments', async () => {
    const sysroot = ubootSysroot('uboot');
    for (const [i, v] of ['1.0', '2.0', '3.0'].entries()) {
      commitOs(sysroot, v, { [`usr/lib/modules/5.10.0-test/vmlinuz`]: `KERNEL ${v}` });
      const { theirs, ours } = await deployAndCompare(sysroot, `root=LABEL=root${i}`);
      expect(theirs).toContain('kernel_image=/boot/ostree/testos-');
      expect(ours).toBe(theirs);
    }
  });

  it('with usr/lib/ostree-boot/uEnv.txt (inserted after the default bootargs, empty lines collapsed), auto-detected', async () => {
    const sysroot = ubootSysroot(undefined);
    const uenv = '\nbootcmd=run mybootcmd\n\n\nextra=1\n';
    for (const v of ['1.0', '2.0']) {
      commitOs(sysroot, v, { 'usr/lib/ostree-boot/uEnv.txt': `${uenv}version=${v}\n\n` });
      const { theirs, ours } = await deployAndCompare(sysroot, 'root=LABEL=root quiet');
      expect(theirs).toContain(`extra=1\nversion=${v}\n`);
      expect(ours).toBe(theirs);
    }
  });
});

describe('U-Boot backend on its own', () => {
  it('refuses entries without linux and needs the live uEnv.txt', async () => {
    const fs = nodeFs();
    const ctx = { fs, sysroot: '/nonexistent-sysroot', bootversion: 1 as const, entries: [], deploymentRoots: [] };
    await expect(ubootBootloader().writeConfig(ctx)).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});
