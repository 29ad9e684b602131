// Randomized differential test: syslinux.cfg files with foreign and ostree LABEL blocks,
// DEFAULT lines of every flavour, comments and blank lines; after each real `ostree admin
// deploy`, our backend must write the same bytes from the same inputs.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { syslinuxBootloader } from '../src/index.js';
import {
  adminDeploy, commitOs, copySysroot, hasAdminOstree, makeSysroot, readEntries, removeSysroot, rewindToPreSwap,
} from './helpers/real-sysroot.js';

const created: string[] = [];
afterAll(() => created.forEach(removeSysroot));
const LIVE = 'boot/syslinux/syslinux.cfg';

const topLine = fc.constantFrom('', '', 'PROMPT 1', 'TIMEOUT 50', '# comment', '  indented', 'MENU TITLE Boot', 'DEFAULT mine', 'DEFAULT ostree:0', 'DEFAULT TestOS 1 (ostree:1)', 'DEFAULTX', 'LABELx');
const kernel = fc.constantFrom('/vmlinuz-other', '/ostree/old/vmlinuz', '/boot/ostree/old/vmlinuz', '/bootostree/x', 'ostree/relative');
const labelBody = fc.array(fc.oneof(kernel.map((k) => `\tKERNEL ${k}`), fc.constantFrom('\tAPPEND root=/dev/sda', '\tINITRD /initrd.img', '\tMENU DEFAULT', '\t')), { maxLength: 4 });
const label = fc.tuple(fc.constantFrom('mine', 'TestOS 1 (ostree:0)', 'x y'), kernel, labelBody).map(([name, k, body]) => [`LABEL ${name}`, `\tKERNEL ${k}`, ...body]);
const config = fc.array(fc.oneof(topLine.map((l) => [l]), label), { maxLength: 8 }).map((parts) => parts.flat().join('\n') + (parts.length % 2 ? '\n' : ''));

describe.skipIf(!hasAdminOstree)('syslinux.cfg on random inputs matches real ostree', () => {
  it('byte for byte', async () => {
    const sysroot = makeSysroot('syslinux');
    created.push(sysroot);
    mkdirSync(join(sysroot, 'boot/syslinux'));
    let version = 0;
    await fc.assert(
      fc.asyncProperty(config, async (cfg) => {
        version++;
        commitOs(sysroot, `${version}.0`);
        writeFileSync(join(sysroot, LIVE), cfg);
        adminDeploy(sysroot, ['--karg=root=LABEL=root', 'testos/stable']);
        const scratch = copySysroot(sysroot);
        created.push(scratch);
        const bootversion = rewindToPreSwap(scratch, 'syslinux.cfg', cfg, LIVE);
        const { entries, roots } = readEntries(scratch, bootversion);
        const fs = nodeFs();
        await syslinuxBootloader().writeConfig({ fs, sysroot: scratch, bootversion, entries, deploymentRoots: roots });
        const ours = readFileSync(join(scratch, `boot/loader.${bootversion}/syslinux.cfg`), 'utf8');
        removeSysroot(scratch);
        expect(ours).toBe(readFileSync(join(sysroot, `boot/loader.${bootversion}/syslinux.cfg`), 'utf8'));
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
