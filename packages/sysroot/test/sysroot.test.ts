import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { describe, expect, it } from 'vitest';
import { defaultEtcMerge, initFs, initOsname, loadSysrootState, Sysroot, withSysrootLock } from '../src/index.js';
import { OSTREE_ADMIN_ENV, SourceRepo, bootableTree, hasOstreeAdmin, ostreeAdminResult, tempDir } from './helpers/fixtures.js';
import { validateBootConfig } from './helpers/validate.js';

const fs = nodeFs();

async function sysrootWith(refs: Record<string, string>, log: string[] = []): Promise<{ path: string; src: SourceRepo; open: (onStep?: (s: string) => void) => Promise<Sysroot> }> {
  const src = new SourceRepo();
  for (const [ref, version] of Object.entries(refs)) src.commit(bootableTree({ kernel: `K-${version}` }), ref, version);
  const path = tempDir('ots-sysroot-');
  await initFs(fs, path);
  await initOsname(fs, path, 'os');
  for (const ref of Object.keys(refs)) src.pullInto(path, ref);
  const open = (onStep?: (s: string) => void): Promise<Sysroot> =>
    Sysroot.open(fs, path, { etcMerge: defaultEtcMerge, log: (m) => log.push(m), ...(onStep ? { onStep } : {}) });
  return { path, src, open };
}

describe.skipIf(!hasOstreeAdmin)('Sysroot', () => {
  it('deploys, rolls back and sets the default through the atomic switch', async () => {
    const log: string[] = [];
    const { path, open } = await sysrootWith({ 'os/a': '1', 'os/b': '2' }, log);
    const s = await open();
    const a = await s.deploy('os/a', { osname: 'os', kargs: ['root=LABEL=r'] });
    const b = await s.deploy('os/b', { osname: 'os' });
    expect(s.deployments.map((d) => d.csum)).toEqual([b.csum, a.csum]);
    expect(log).toContain('Copying /etc changes: 0 modified, 0 removed, 0 added');
    // Kernel arguments follow the merge deployment.
    expect(s.deployments[0]!.options).toMatch(/^root=LABEL=r ostree=/);

    const rolled = await s.rollback();
    expect(rolled.csum).toBe(a.csum);
    expect(s.deployments.map((d) => d.csum)).toEqual([a.csum, b.csum]);
    // The version "1" is already part of PRETTY_NAME "TestOS 1", so the title does not repeat it.
    expect(readFileSync(join(path, 'boot/loader/entries/ostree-2-os.conf'), 'utf8')).toContain('title TestOS 1 (ostree:0)\nversion 2\n');
    expect(readFileSync(join(path, 'boot/loader/entries/ostree-1-os.conf'), 'utf8')).toContain('title TestOS 1 2 (ostree:1)\nversion 1\n');
    expect(validateBootConfig(path)).toEqual([]);
    // Real ostree agrees on the order.
    const status = ostreeAdminResult('status', `--sysroot=${path}`);
    expect(status.stdout.indexOf(a.csum)).toBeLessThan(status.stdout.indexOf(b.csum));

    await s.setDefault(1);
    expect(s.deployments.map((d) => d.csum)).toEqual([b.csum, a.csum]);
    expect(await s.setPinned(1, true)).toBe(true);
    expect(await s.setPinned(1, true)).toBe(false);
    expect(readFileSync(join(path, `ostree/deploy/os/deploy/${a.csum}.0.origin`), 'utf8')).toBe('[origin]\nrefspec=os/a\n\n[libostree-transient]\npinned=true\n');
  }, 60_000);

  it('a failure at any step of a write leaves the previous configuration live and whole', async () => {
    const { path, open } = await sysrootWith({ 'os/a': '1', 'os/b': '2' });
    await (await open()).deploy('os/a', { osname: 'os' });
    const steps: string[] = [];
    await (await open((st) => void steps.push(st))).deploy('os/b', { osname: 'os', retain: true });
    expect(steps).toEqual(['entries', 'bootlinks', 'loader-tmp', 'sync', 'swap', 'post-swap']);
    for (const failAt of steps) {
      const before = readlinkSync(join(path, 'boot/loader'));
      const beforeList = (await loadSysrootState(fs, path)).deployments.map((d) => `${d.csum}.${d.deployserial}`);
      const s = await open((st) => {
        if (st === failAt) throw new Error(`crash at ${st}`);
      });
      await expect(s.deploy('os/a', { osname: 'os', retain: true })).rejects.toThrow(`crash at ${failAt}`);
      expect(validateBootConfig(path), failAt).toEqual([]);
      const after = (await loadSysrootState(fs, path)).deployments.map((d) => `${d.csum}.${d.deployserial}`);
      if (failAt === 'post-swap') {
        expect(readlinkSync(join(path, 'boot/loader'))).not.toBe(before);
        expect(after.length).toBe(beforeList.length + 1);
      } else {
        expect(readlinkSync(join(path, 'boot/loader'))).toBe(before);
        expect(after).toEqual(beforeList);
      }
    }
    // And the next complete deploy cleans up what the failures left behind.
    const s = await open();
    await s.deploy('os/b', { osname: 'os' });
    expect(validateBootConfig(path)).toEqual([]);
    expect(ostreeAdminResult('status', `--sysroot=${path}`).status).toBe(0);
  }, 60_000);

  it('takes ostree/lock: a second writer waits until the first is done', async () => {
    const { path } = await sysrootWith({ 'os/a': '1' });
    const order: string[] = [];
    let release!: () => void;
    const first = withSysrootLock(fs, path, async () => {
      order.push('first-in');
      await new Promise<void>((r) => (release = r));
      order.push('first-out');
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = withSysrootLock(fs, path, async () => void order.push('second'));
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['first-in']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first-in', 'first-out', 'second']);
    await expect(withSysrootLock(fs, path, async () => withSysrootLock(fs, path, async () => 1, { waitMs: 0 }))).rejects.toThrow(/Locking sysroot/);
  });

  it('excludes real ostree admin: it waits for the lock ostree-ts holds', async () => {
    const { path } = await sysrootWith({ 'os/a': '1' });
    let exited = false;
    let out = '';
    let done: Promise<unknown> | undefined;
    await withSysrootLock(fs, path, async () => {
      const child = spawn('setpriv', ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', 'cleanup', `--sysroot=${path}`], { env: OSTREE_ADMIN_ENV });
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', () => (exited = true));
      done = new Promise((r) => child.on('exit', r));
      for (let i = 0; i < 100 && !out.includes('Waiting for sysroot lock...'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(out).toContain('Waiting for sysroot lock...');
      expect(exited).toBe(false);
    });
    await done;
    expect(exited).toBe(true);
  });
});

describe.skipIf(!hasOstreeAdmin)('validateBootConfig (the kill -9 oracle) catches broken configurations', () => {
  it('flags a dangling bootlink, a missing deployment, a truncated entry and a bad loader link', async () => {
    const { path, open } = await sysrootWith({ 'os/a': '1' });
    const d = await (await open()).deploy('os/a', { osname: 'os' });
    expect(validateBootConfig(path)).toEqual([]);
    const dir = join(path, `ostree/deploy/os/deploy/${d.csum}.0`);
    renameSync(dir, `${dir}.moved`);
    expect(validateBootConfig(path).join()).toMatch(/deployment .* missing/);
    renameSync(`${dir}.moved`, dir);
    const entry = join(path, 'boot/loader/entries/ostree-1-os.conf');
    writeFileSync(entry, readFileSync(entry, 'utf8').slice(0, 30));
    expect(validateBootConfig(path).length).toBeGreaterThan(0);
    rmSync(join(path, 'boot/loader'));
    expect(validateBootConfig(path)).toEqual(['boot/loader missing']);
  });
});
