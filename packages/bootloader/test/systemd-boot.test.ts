// systemd-boot on an ESP: generations of entries, loader.conf's default, stale files removed,
// and crash safety — after a crash at any filesystem step, loader.conf names an entry whose
// kernel and initrd are complete on the ESP, and a rerun reaches the same final state.
import { memoryFs, type Fs } from '@ostree-ts/io';
import { describe, expect, it } from 'vitest';
import { blsGet, parseBlsEntry, serializeBlsEntry, systemdBootBootloader, type BlsEntry, type BootloaderWriteContext } from '../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const S = '/s';
const ESP = `${S}/boot/efi`;

function entry(version: number, csum: string): BlsEntry {
  return parseBlsEntry(
    `title TestOS ${version} (ostree:0)\nversion ${version}\noptions root=LABEL=root ostree=/ostree/boot.${version % 2}/testos/${csum}/0\n` +
      `linux /ostree/testos-${csum}/vmlinuz-5.10\ninitrd /ostree/testos-${csum}/initramfs-5.10.img\nfdtdir /ostree/testos-${csum}/dtb\n`,
  );
}

async function installKernel(fs: Fs, csum: string): Promise<void> {
  await fs.mkdir(`${S}/boot/ostree/testos-${csum}`, { recursive: true });
  await fs.writeFile(`${S}/boot/ostree/testos-${csum}/vmlinuz-5.10`, enc(`KERNEL ${csum}`));
  await fs.writeFile(`${S}/boot/ostree/testos-${csum}/initramfs-5.10.img`, enc(`INITRD ${csum}`));
  await fs.mkdir(`${S}/boot/ostree/testos-${csum}/dtb/sub`, { recursive: true });
  await fs.writeFile(`${S}/boot/ostree/testos-${csum}/dtb/a.dtb`, enc(`DTB A ${csum}`));
  await fs.writeFile(`${S}/boot/ostree/testos-${csum}/dtb/sub/b.dtb`, enc(`DTB B ${csum}`));
}

async function freshSysroot(): Promise<Fs> {
  const fs = memoryFs();
  await fs.mkdir(`${ESP}/loader`, { recursive: true });
  await fs.writeFile(`${ESP}/loader/loader.conf`, enc('timeout 3\ndefault other.conf\neditor no\n'));
  for (const c of ['aaa', 'bbb', 'ccc']) await installKernel(fs, c);
  return fs;
}

async function write(fs: Fs, bootversion: 0 | 1, entries: BlsEntry[]): Promise<void> {
  const bl = systemdBootBootloader();
  const ctx: BootloaderWriteContext = { fs, sysroot: S, bootversion, entries, deploymentRoots: [] };
  await bl.writeConfig(ctx);
  await bl.postSwap!(ctx);
}

async function tree(fs: Fs, dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fs.readdir(dir)).sort()) {
    const st = await fs.lstat(`${dir}/${name}`);
    if (st.type === 'directory') Object.assign(out, await tree(fs, `${dir}/${name}`, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = dec(await fs.readFile(`${dir}/${name}`));
  }
  return out;
}

/** The firmware's view: the entry loader.conf names, which must exist with its files complete. */
async function bootedKernel(fs: Fs): Promise<string> {
  const conf = dec(await fs.readFile(`${ESP}/loader/loader.conf`));
  const name = /^default (.*)$/m.exec(conf)![1]!;
  const e = parseBlsEntry(dec(await fs.readFile(`${ESP}/loader/entries/${name}`)));
  const linux = dec(await fs.readFile(`${ESP}${blsGet(e, 'linux')!}`));
  const initrd = dec(await fs.readFile(`${ESP}${blsGet(e, 'initrd')!}`));
  expect(initrd).toBe(linux.replace('KERNEL', 'INITRD'));
  const dtb = blsGet(e, 'fdtdir');
  if (dtb !== undefined) expect(dec(await fs.readFile(`${ESP}${dtb}/sub/b.dtb`))).toBe(linux.replace('KERNEL', 'DTB B'));
  return linux;
}

/** Fails every mutating call from the `n`th on, as a power cut would. */
function crashAfter(fs: Fs, n: number): Fs {
  let count = 0;
  const mutating = new Set(['writeFile', 'openWrite', 'mkdir', 'symlink', 'link', 'rename', 'unlink', 'rmdir', 'removeTree', 'chmod', 'lchown', 'setXattr']);
  return new Proxy(fs, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (mutating.has(String(prop)) && count++ >= n) throw new Error('power cut');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('systemd-boot backend', () => {
  it('copies kernels, writes entries and the default, keeps other loader.conf settings, removes stale files', async () => {
    const fs = await freshSysroot();
    await write(fs, 1, [entry(1, 'aaa')]);
    let esp = await tree(fs, ESP);
    const first = Object.keys(esp).filter((k) => k.startsWith('loader/entries/'));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^loader\/entries\/ostree-1-[0-9a-f]{12}\.conf$/);
    expect(esp['loader/loader.conf']).toBe(`timeout 3\neditor no\ndefault ${first[0]!.slice('loader/entries/'.length)}\n`);
    expect(esp['ostree/testos-aaa/vmlinuz-5.10']).toBe('KERNEL aaa');
    expect(esp[first[0]!]).toBe(serializeBlsEntry(entry(1, 'aaa')));

    await write(fs, 0, [entry(1, 'aaa'), entry(2, 'bbb')]); // given out of order: sorted by version
    expect(await bootedKernel(fs)).toBe('KERNEL bbb');
    esp = await tree(fs, ESP);
    expect(Object.keys(esp).filter((k) => k.startsWith('loader/entries/'))).toHaveLength(2);
    expect(Object.keys(esp).filter((k) => k.startsWith('ostree/'))).toHaveLength(8);

    await write(fs, 1, [entry(3, 'ccc')]);
    esp = await tree(fs, ESP);
    expect(Object.keys(esp).sort()).toEqual([
      'loader/entries/' + /default (.*)/.exec(esp['loader/loader.conf']!)![1]!,
      'loader/loader.conf',
      'ostree/testos-ccc/dtb/a.dtb',
      'ostree/testos-ccc/dtb/sub/b.dtb',
      'ostree/testos-ccc/initramfs-5.10.img',
      'ostree/testos-ccc/vmlinuz-5.10',
    ].sort());
  });

  it('after a crash at any step the firmware boots a complete old or new default, and a rerun converges', async () => {
    const reference = await freshSysroot();
    await write(reference, 1, [entry(1, 'aaa')]);
    await write(reference, 0, [entry(2, 'bbb'), entry(1, 'aaa')]);
    const expected = await tree(reference, ESP);

    let crashedRuns = 0;
    for (let n = 0; ; n++) {
      const fs = await freshSysroot();
      await write(fs, 1, [entry(1, 'aaa')]);
      let crashed = false;
      try {
        await write(crashAfter(fs, n), 0, [entry(2, 'bbb'), entry(1, 'aaa')]);
      } catch (e) {
        expect((e as Error).message).toBe('power cut');
        crashed = true;
      }
      expect(['KERNEL aaa', 'KERNEL bbb']).toContain(await bootedKernel(fs));
      await write(fs, 0, [entry(2, 'bbb'), entry(1, 'aaa')]);
      expect(await tree(fs, ESP)).toEqual(expected);
      if (!crashed) break;
      crashedRuns++;
    }
    expect(crashedRuns).toBeGreaterThan(10);
  });

  it('needs the ESP to exist', async () => {
    const fs = memoryFs();
    await expect(write(fs, 0, [entry(1, 'aaa')])).rejects.toMatchObject({ code: 'INVALID_SYSROOT' });
  });
});

describe('systemd-boot with overlay initrds and a dtb directory', () => {
  it('copies every initrd and the fdtdir tree', async () => {
    const fs = await freshSysroot();
    await fs.mkdir(`${S}/boot/ostree/initramfs-overlays`, { recursive: true });
    await fs.writeFile(`${S}/boot/ostree/initramfs-overlays/ov.img`, enc('OVERLAY'));
    await fs.mkdir(`${S}/boot/ostree/testos-aaa/dtb/vendor`, { recursive: true });
    await fs.writeFile(`${S}/boot/ostree/testos-aaa/dtb/vendor/b.dtb`, enc('DTB'));
    const e = parseBlsEntry(
      serializeBlsEntry(entry(1, 'aaa')) + 'initrd /ostree/initramfs-overlays/ov.img\nfdtdir /ostree/testos-aaa/dtb\n',
    );
    await write(fs, 0, [e]);
    const esp = await tree(fs, ESP);
    expect(esp['ostree/initramfs-overlays/ov.img']).toBe('OVERLAY');
    expect(esp['ostree/testos-aaa/dtb/vendor/b.dtb']).toBe('DTB');
  });
});
