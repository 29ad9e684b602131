// Randomized differential test: deployments whose usr/lib/ostree-boot/uEnv.txt has random
// blank lines, whitespace and missing final newlines; uEnv.txt must match real ostree.
import { readFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ubootBootloader } from '../src/index.js';
import {
  adminDeploy, commitOs, copySysroot, hasAdminOstree, makeSysroot, readEntries, readIfExists, removeSysroot, rewindToPreSwap,
} from './helpers/real-sysroot.js';

const created: string[] = [];
afterAll(() => created.forEach(removeSysroot));

const uenv = fc
  .array(fc.constantFrom('', '', 'bootcmd=run x', 'a=1', ' ', '\t', '# c'), { maxLength: 8 })
  .chain((lines) => fc.boolean().map((nl) => lines.join('\n') + (nl ? '\n' : '')));

describe.skipIf(!hasAdminOstree)('uEnv.txt on random system uEnv files matches real ostree', () => {
  it('byte for byte', async () => {
    const sysroot = makeSysroot('uboot');
    created.push(sysroot);
    mkdirSync(join(sysroot, 'boot/loader.0'));
    symlinkSync('loader.0', join(sysroot, 'boot/loader'));
    writeFileSync(join(sysroot, 'boot/loader/uEnv.txt'), '');
    let version = 0;
    await fc.assert(
      fc.asyncProperty(fc.option(uenv), async (content) => {
        version++;
        commitOs(sysroot, `${version}.0`, content === null ? {} : { 'usr/lib/ostree-boot/uEnv.txt': content });
        const before = readIfExists(join(sysroot, 'boot/loader/uEnv.txt'));
        adminDeploy(sysroot, ['--karg=root=LABEL=root', 'testos/stable']);
        const scratch = copySysroot(sysroot);
        created.push(scratch);
        const bootversion = rewindToPreSwap(scratch, 'uEnv.txt', before);
        const { entries, roots } = readEntries(scratch, bootversion);
        await ubootBootloader().writeConfig({ fs: nodeFs(), sysroot: scratch, bootversion, entries, deploymentRoots: roots });
        const ours = readFileSync(join(scratch, `boot/loader.${bootversion}/uEnv.txt`), 'utf8');
        removeSysroot(scratch);
        expect(ours).toBe(readFileSync(join(sysroot, `boot/loader.${bootversion}/uEnv.txt`), 'utf8'));
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});
