// GRUB 2 against real ostree: the generator protocol (OSTREE_GRUB2_EXEC: same argv, same
// environment, same resulting file, BIOS and EFI), and our menu entries against
// `ostree admin instutil grub2-generate`.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryFs } from '@ostree-ts/io';
import { nodeFs } from '@ostree-ts/io-node';
import { afterAll, describe, expect, it } from 'vitest';
import { grub2Bootloader, grub2MenuEntries, parseBlsEntry, selectBootloader, shellQuote, sortedEntriesForTest } from './grub2-test-exports.js';
import {
  adminDeploy, bootversionOf, commitOs, copySysroot, hasAdminOstree, makeSysroot, readEntries, removeSysroot, rewindToPreSwap,
} from './helpers/real-sysroot.js';

const created: string[] = [];
afterAll(() => created.forEach(removeSysroot));

const scriptDir = mkdtempSync(join(tmpdir(), 'ostree-ts-grubgen-'));
afterAll(() => rmSync(scriptDir, { recursive: true, force: true }));
// A stand-in generator: records its arguments and the protocol variables, copies its input.
const generator = join(scriptDir, 'test-grub-generator');
writeFileSync(
  generator,
  `#!/bin/sh
out="$2"
{
  echo "argc=$#"
  echo "args=$*"
  echo "bootversion=\${_OSTREE_GRUB2_BOOTVERSION-unset}"
  echo "is_efi=\${_OSTREE_GRUB2_IS_EFI-unset}"
  dir=$(dirname "$out")
  echo "dir=$dir"
  for f in $(ls "$SYSROOT_FOR_TEST/boot/loader.$_OSTREE_GRUB2_BOOTVERSION/entries" | sort); do
    echo "== $f"
    cat "$SYSROOT_FOR_TEST/boot/loader.$_OSTREE_GRUB2_BOOTVERSION/entries/$f"
  done
} > "$out"
`,
);
chmodSync(generator, 0o755);

const OS_RELEASE = { 'usr/lib/os-release': `NAME=TestOS\nID=testos\nPRETTY_NAME="Tom's OS"\n` };

async function deployAndCompare(sysroot: string, version: string, efiCfg?: string): Promise<{ theirs: string; ours: string }> {
  commitOs(sysroot, version, OS_RELEASE);
  const efiBefore = efiCfg === undefined ? undefined : readFileSync(join(sysroot, efiCfg), 'utf8');
  adminDeploy(sysroot, ['--karg=root=LABEL=root', 'testos/stable'], { OSTREE_GRUB2_EXEC: generator, SYSROOT_FOR_TEST: sysroot });
  const scratch = copySysroot(sysroot);
  created.push(scratch);
  const bootversion = rewindToPreSwap(scratch, 'grub.cfg', undefined);
  if (efiCfg !== undefined) {
    writeFileSync(join(scratch, efiCfg), efiBefore!);
    rmSync(join(scratch, efiCfg.replace(/grub\.cfg$/, 'grub.cfg.old')));
  }
  const { entries, roots } = readEntries(scratch, bootversion);
  const fs = nodeFs();
  const bootloader = await selectBootloader(fs, scratch, 'auto');
  expect(bootloader.name).toBe('grub2');
  const env = { OSTREE_GRUB2_EXEC: generator, SYSROOT_FOR_TEST: scratch };
  await bootloader.writeConfig({ fs, sysroot: scratch, bootversion, entries, deploymentRoots: roots, env });
  const out = efiCfg ?? `boot/loader.${bootversion}/grub.cfg`;
  const read = (root: string) => {
    let text = readFileSync(join(root, out), 'utf8');
    if (efiCfg !== undefined) text += `\n--- old\n${readFileSync(join(root, efiCfg.replace(/grub\.cfg$/, 'grub.cfg.old')), 'utf8')}`;
    // The restored pre-deploy EFI config was written by ostree in the original sysroot.
    return text.replaceAll(root, '<SYSROOT>').replaceAll(sysroot, '<SYSROOT>');
  };
  return { theirs: read(sysroot), ours: read(scratch) };
}

describe.skipIf(!hasAdminOstree)('GRUB 2 generator protocol matches real ostree', () => {
  it('BIOS (boot/grub/grub.cfg present): argv, bootversion variable and output file', async () => {
    const sysroot = makeSysroot(undefined);
    created.push(sysroot);
    mkdirSync(join(sysroot, 'boot/grub'));
    writeFileSync(join(sysroot, 'boot/grub/grub.cfg'), '# distro grub.cfg\n');
    for (const v of ['1.0', '2.0']) {
      const { theirs, ours } = await deployAndCompare(sysroot, v);
      expect(theirs).toMatch(/^argc=2\nargs=-o <SYSROOT>\/boot\/loader\.[01]\/grub\.cfg\nbootversion=[01]\nis_efi=unset\n/);
      expect(theirs).toContain("title Tom's OS");
      expect(ours).toBe(theirs);
    }
  });

  it('EFI (boot/efi/EFI/<vendor>/grub.cfg): grub.cfg.new renamed over, old copy kept, _OSTREE_GRUB2_IS_EFI=1', async () => {
    const sysroot = makeSysroot(undefined);
    created.push(sysroot);
    const efiCfg = 'boot/efi/EFI/testvendor/grub.cfg';
    mkdirSync(join(sysroot, 'boot/efi/EFI/BOOT'), { recursive: true });
    writeFileSync(join(sysroot, 'boot/efi/EFI/BOOT/grub.cfg'), 'ignored\n');
    mkdirSync(join(sysroot, 'boot/efi/EFI/testvendor'), { recursive: true });
    writeFileSync(join(sysroot, efiCfg), '# vendor grub.cfg\n');
    for (const v of ['1.0', '2.0']) {
      const { theirs, ours } = await deployAndCompare(sysroot, v, efiCfg);
      expect(theirs).toMatch(/^argc=2\nargs=-o <SYSROOT>\/boot\/efi\/EFI\/testvendor\/grub\.cfg\.new\nbootversion=[01]\nis_efi=1\n/);
      expect(ours).toBe(theirs);
    }
  });

  it('a dangling boot/grub/grub.cfg -> ../loader/grub.cfg selects GRUB in auto, for ostree and for us', async () => {
    const sysroot = makeSysroot(undefined);
    created.push(sysroot);
    mkdirSync(join(sysroot, 'boot/grub'));
    symlinkSync('../loader/grub.cfg', join(sysroot, 'boot/grub/grub.cfg'));
    expect((await selectBootloader(nodeFs(), sysroot, 'auto')).name).toBe('grub2');
    const { theirs, ours } = await deployAndCompare(sysroot, '1.0');
    expect(theirs).toMatch(/^argc=2\nargs=-o <SYSROOT>\/boot\/loader\.1\/grub\.cfg\n/);
    expect(ours).toBe(theirs);
  });

  it('menu entries equal `ostree admin instutil grub2-generate` (BIOS and EFI command suffixes)', async () => {
    const sysroot = makeSysroot('none');
    created.push(sysroot);
    for (const v of ['1.0', '2.0']) {
      commitOs(sysroot, v, OS_RELEASE);
      adminDeploy(sysroot, ['--karg=root=LABEL=root', 'testos/stable']);
    }
    const bootversion = bootversionOf(sysroot);
    const { entries } = readEntries(sysroot, bootversion);
    const env = { GRUB2_BOOT_DEVICE_ID: 'dev-1234', GRUB2_PREPARE_ROOT_CACHE: "search --no-floppy --fs-uuid --set=root 'ab cd'" };
    const generate = (extra: Record<string, string>) => {
      const r = spawnSync(
        'setpriv',
        ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', 'instutil', 'grub2-generate', `--sysroot=${sysroot}`, String(bootversion)],
        { encoding: 'utf8', env: { ...process.env, OSTREE_SYSROOT_DEBUG: 'mutable-deployments', ...env, ...extra } },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout;
    };
    const bios = generate({});
    const efi = generate({ _OSTREE_GRUB2_IS_EFI: '1' });
    // Debian's x86-64 build without modern-GRUB support uses linux16/initrd16 and linuxefi/initrdefi.
    const biosSuffix = /^linux16 /m.test(bios) ? '16' : '';
    const efiSuffix = /^linuxefi /m.test(efi) ? 'efi' : '';
    const options = { bootDeviceId: env.GRUB2_BOOT_DEVICE_ID, prepareRoot: env.GRUB2_PREPARE_ROOT_CACHE };
    const sorted = sortedEntriesForTest(entries);
    expect(bios).toContain("menuentry 'Tom'\\''s OS 2.0 (ostree:0)'");
    expect(grub2MenuEntries(sorted, { ...options, commandSuffix: biosSuffix })).toBe(bios);
    expect(grub2MenuEntries(sorted, { ...options, commandSuffix: efiSuffix })).toBe(efi);
  });
});

describe('GRUB 2 backend on its own', () => {
  const entry = parseBlsEntry('title A\nversion 2\noptions quiet\nlinux /ostree/x/vmlinuz\ninitrd /ostree/x/initramfs.img\n');
  const older = parseBlsEntry('title B\nversion 1\nlinux /ostree/y/vmlinuz\n');

  it('quotes like g_shell_quote', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it('generate mode writes a self-contained grub.cfg in loader.N with entries by version', async () => {
    const fs = memoryFs();
    await fs.mkdir('/s/boot/loader.1/entries', { recursive: true });
    await grub2Bootloader({ timeout: 3 }).writeConfig({ fs, sysroot: '/s', bootversion: 1, entries: [older, entry], deploymentRoots: [] });
    const text = new TextDecoder().decode(await fs.readFile('/s/boot/loader.1/grub.cfg'));
    expect(text).toBe(
      '# Generated by ostree-ts from boot/loader.1/entries; do not edit.\nset default=0\nset timeout=3\n' +
        'function load_video {\n  insmod all_video\n}\n' +
        "menuentry 'A' --class gnu-linux --class gnu --class os --unrestricted 'ostree-0-' {\nload_video\nset gfxpayload=keep\ninsmod gzio\n\n" +
        'linux /ostree/x/vmlinuz quiet\ninitrd /ostree/x/initramfs.img\n}\n' +
        "menuentry 'B' --class gnu-linux --class gnu --class os --unrestricted 'ostree-1-' {\nload_video\nset gfxpayload=keep\ninsmod gzio\n\n" +
        'linux /ostree/y/vmlinuz\n}\n',
    );
  });

  it('can prefix paths for a /boot that is not its own partition', () => {
    expect(grub2MenuEntries([entry], { pathPrefix: '/boot' })).toContain('linux /boot/ostree/x/vmlinuz quiet\ninitrd /boot/ostree/x/initramfs.img\n');
  });

  it('bls mode writes a blscfg stub', async () => {
    const fs = memoryFs();
    await fs.mkdir('/s/boot/loader.0', { recursive: true });
    await grub2Bootloader({ mode: 'bls' }).writeConfig({ fs, sysroot: '/s', bootversion: 0, entries: [entry], deploymentRoots: [] });
    const text = new TextDecoder().decode(await fs.readFile('/s/boot/loader.0/grub.cfg'));
    expect(text).toMatch(/\ninsmod blscfg\nblscfg\n$/);
  });

  it('refuses to run a system grub2-mkconfig for another sysroot (ostree would chroot)', async () => {
    const fs = memoryFs();
    await fs.mkdir('/s/boot/loader.0', { recursive: true });
    const ran: string[][] = [];
    const bl = grub2Bootloader({ run: async (argv) => (ran.push([...argv]), { status: 0 }) });
    const env = { OSTREE_GRUB2_EXEC: '/usr/sbin/grub2-mkconfig' };
    await expect(bl.writeConfig({ fs, sysroot: '/s', bootversion: 0, entries: [entry], deploymentRoots: [], env })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(ran).toEqual([]);
  });

  it('exec mode reports a failing generator', async () => {
    const fs = memoryFs();
    await fs.mkdir('/s/boot/loader.0', { recursive: true });
    const bl = grub2Bootloader({ mode: 'exec', exec: 'gen', run: async () => ({ status: 3 }) });
    await expect(bl.writeConfig({ fs, sysroot: '/s', bootversion: 0, entries: [entry], deploymentRoots: [] })).rejects.toThrow(/status 3/);
  });
});
