/**
 * The sysroot layer is runtime-neutral: a whole OTA cycle (init, commit, deploy, second deploy
 * with /etc merge, rollback, undeploy, cleanup) on the in-memory filesystem, no Node fs.
 */
import { variant } from '@ostree-ts/core';
import { FsError, memoryFs, type Fs } from '@ostree-ts/io';
import { commitDirectory } from '@ostree-ts/repo';
import { describe, expect, it } from 'vitest';
import { defaultEtcMerge, initFs, initOsname, Sysroot } from '../src/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('Sysroot on memoryFs', () => {
  it('deploys, merges /etc, rolls back and cleans up', async () => {
    const fs = memoryFs();
    const repo = await initFs(fs, '/');
    await initOsname(fs, '/', 'os');
    const commit = async (kernel: string, app: string, version: string): Promise<string> => {
      await fs.removeTree('/src');
      await fs.mkdir('/src/usr/lib/modules/6.1', { recursive: true });
      await fs.mkdir('/src/usr/etc', { recursive: true });
      await fs.writeFile('/src/usr/lib/modules/6.1/vmlinuz', enc.encode(kernel));
      await fs.writeFile('/src/usr/lib/modules/6.1/initramfs.img', enc.encode('I'));
      await fs.writeFile('/src/usr/lib/os-release', enc.encode('PRETTY_NAME="Mem OS"\n'));
      await fs.writeFile('/src/usr/etc/app.conf', enc.encode(app));
      const r = await commitDirectory(repo, fs, '/src', { ref: 'os/stable', subject: version, metadata: [['version', variant('s', version)]] });
      return r.checksum;
    };
    const log: string[] = [];
    const c1 = await commit('K1', 'a=1\n', '1');
    const s = await Sysroot.open(fs, '/', { etcMerge: defaultEtcMerge, log: (m) => log.push(m) });
    await s.deploy('os/stable', { osname: 'os', kargs: ['root=LABEL=r'] });
    await fs.writeFile(`/ostree/deploy/os/deploy/${c1}.0/etc/app.conf`, enc.encode('a=local\n'), { exclusive: false });
    const c2 = await commit('K2', 'a=2\n', '2');
    await s.deploy('os/stable', { osname: 'os' });
    expect(log).toContain('Copying /etc changes: 1 modified, 0 removed, 0 added');
    expect(dec.decode(await fs.readFile(`/ostree/deploy/os/deploy/${c2}.0/etc/app.conf`))).toBe('a=local\n');
    expect(s.deployments.map((d) => d.csum)).toEqual([c2, c1]);
    expect(await fs.readlink('/boot/loader')).toBe('loader.0');
    const entry = dec.decode(await fs.readFile('/boot/loader/entries/ostree-2-os.conf'));
    expect(entry).toMatch(/^title Mem OS 2 \(ostree:0\)\nversion 2\noptions root=LABEL=r ostree=\/ostree\/boot\.0\/os\/[0-9a-f]{64}\/0\n/);

    await s.rollback();
    expect(s.deployments.map((d) => d.csum)).toEqual([c1, c2]);
    await s.undeploy(1);
    await s.cleanup({ prune: true });
    expect(s.deployments.map((d) => d.csum)).toEqual([c1]);
    expect((await fs.readdir('/ostree/deploy/os/deploy')).sort()).toEqual([`${c1}.0`, `${c1}.0.origin`]);
    expect((await fs.readdir('/boot/ostree')).length).toBe(1);

    // Temporaries a crash can leave beside atomically replaced files are swept by cleanup.
    await fs.writeFile('/ostree/deploy/os/deploy/.tmp-k2j-0-x.origin', enc.encode('[origin]\n'));
    await fs.symlink('loader.1', '/boot/.tmp-k2j-1-loader.tmp');
    await fs.writeFile('/boot/.tmpkeep', enc.encode('not ours'));
    await s.cleanup();
    expect((await fs.readdir('/ostree/deploy/os/deploy')).sort()).toEqual([`${c1}.0`, `${c1}.0.origin`]);
    expect((await fs.readdir('/boot')).filter((n) => n.startsWith('.tmp'))).toEqual(['.tmpkeep']);
  });

  it('follows the booted deployment: kept by retention, merge source, not undeployable, status marks', async () => {
    const fs = memoryFs();
    const repo = await initFs(fs, '/');
    await initOsname(fs, '/', 'os');
    const commit = async (name: string): Promise<string> => {
      await fs.removeTree('/src');
      await fs.mkdir('/src/usr/lib/modules/6.1', { recursive: true });
      await fs.mkdir('/src/usr/etc', { recursive: true });
      await fs.writeFile('/src/usr/lib/modules/6.1/vmlinuz', enc.encode(`K-${name}`));
      await fs.writeFile('/src/usr/lib/os-release', enc.encode('ID=mem\n'));
      return (await commitDirectory(repo, fs, '/src', { ref: `os/${name}`, subject: name })).checksum;
    };
    const [a, b, c, d, e] = [await commit('a'), await commit('b'), await commit('c'), await commit('d'), await commit('e')];
    const first = await Sysroot.open(fs, '/', { etcMerge: defaultEtcMerge });
    await first.deploy('os/a', { osname: 'os', kargs: ['root=A'] });
    const s = await Sysroot.open(fs, '/', { etcMerge: defaultEtcMerge, booted: { osname: 'os', csum: a, deployserial: 0 } });
    const order = (): string[] => s.deployments.map((x) => x.csum);
    expect(s.booted?.csum).toBe(a);

    await s.deploy('os/b', {});
    expect(order()).toEqual([b, a]);
    expect(s.deployments[0]!.options).toMatch(/^root=A /); // kernel arguments from the booted deployment
    await s.deploy('os/c', {});
    expect(order()).toEqual([c, a]); // b: neither booted, merge nor pinned
    await s.deploy('os/d', { retainPending: true });
    expect(order()).toEqual([d, c, a]);
    const status = await s.status();
    expect(status.map((x) => [x.booted, x.pending, x.rollback])).toEqual([
      [false, true, false],
      [false, false, false],
      [true, false, false],
    ]);
    await s.deploy('os/e', { notAsDefault: true });
    expect(order()).toEqual([a, e]); // inserted after the booted one; pending ones dropped
    await expect(s.undeploy(0)).rejects.toThrow('Cannot undeploy currently booted deployment 0');
    // Booted into the default: roll back to the next deployment.
    expect((await s.rollback()).csum).toBe(e);
    expect(order()).toEqual([e, a]);
    expect((await s.status()).map((x) => [x.booted, x.pending, x.rollback])).toEqual([
      [false, true, false],
      [true, false, false],
    ]);
    // A pending default: rolling back makes the booted deployment the default again.
    expect((await s.rollback()).csum).toBe(a);
    expect(order()).toEqual([a, e]);
  });

  it('a /boot on another filesystem (link fails with EXDEV): kernels are copied with their mode', async () => {
    const base = memoryFs();
    // Hard links into boot/ cross a device boundary, as with a separate /boot partition.
    const fs = new Proxy(base, {
      get(target, prop) {
        if (prop === 'link') {
          return (from: string, to: string) => (to.startsWith('/boot/') ? Promise.reject(new FsError('EXDEV', 'link', to)) : target.link(from, to));
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as Fs;
    const repo = await initFs(fs, '/');
    await initOsname(fs, '/', 'os');
    await fs.mkdir('/src/usr/lib/modules/6.1', { recursive: true });
    await fs.writeFile('/src/usr/lib/modules/6.1/vmlinuz', enc.encode('KERNEL'), { mode: 0o600 });
    await fs.writeFile('/src/usr/lib/os-release', enc.encode('ID=mem\n'));
    await commitDirectory(repo, fs, '/src', { ref: 'os/a', subject: 'a' });
    const s = await Sysroot.open(fs, '/');
    const d = await s.deploy('os/a', { osname: 'os' });
    const installed = `/boot/ostree/os-${d.bootcsum}/vmlinuz-6.1`;
    expect(dec.decode(await fs.readFile(installed))).toBe('KERNEL');
    const [src, dst] = [await fs.stat(`/ostree/deploy/os/deploy/${d.csum}.0/usr/lib/modules/6.1/vmlinuz`), await fs.stat(installed)];
    expect(dst.ino).not.toBe(src.ino);
    expect(dst.mode & 0o7777).toBe(src.mode & 0o7777);
    expect((await fs.readdir(`/boot/ostree/os-${d.bootcsum}`)).sort()).toEqual(['vmlinuz-6.1']);
  });
});
