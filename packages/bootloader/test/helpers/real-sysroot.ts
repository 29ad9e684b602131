// Real ostree sysroots for differential tests: init-fs, os-init, a bootable commit, and
// `ostree admin deploy` run with CAP_SYS_ADMIN dropped (so /boot is never frozen) and
// mutable deployments (so copies can be made and removed).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBlsEntry, type BlsEntry } from '../../src/index.js';

export const hasAdminOstree =
  spawnSync('ostree', ['--version'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0 &&
  process.getuid?.() === 0;

export const OS = 'testos';
export const KVER = '5.10.0-test';

/** A tree entry: file content (mode 0644 unless given) or a symlink. */
export type TreeSpec = Record<string, string | { content: string; mode: number } | { symlink: string }>;

/** Writes a bootable OS tree: kernel + initramfs under usr/lib/modules, os-release, usr/etc, plus `extra`. */
export function writeOsTree(dir: string, version: string, extra: TreeSpec = {}): void {
  const spec: TreeSpec = {
    [`usr/lib/modules/${KVER}/vmlinuz`]: `KERNEL-IMAGE ${version}`,
    [`usr/lib/modules/${KVER}/initramfs.img`]: `INITRAMFS ${version}`,
    'usr/lib/os-release': `NAME=TestOS\nID=testos\nPRETTY_NAME="TestOS 1"\n`,
    'usr/etc/hostname': 'device\n',
    'usr/bin/sh': '#!/bin/true\n',
    ...extra,
  };
  for (const [path, what] of Object.entries(spec)) {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    if (typeof what === 'string') writeFileSync(full, what);
    else if ('symlink' in what) symlinkSync(what.symlink, full);
    else {
      writeFileSync(full, what.content);
      chmodSync(full, what.mode);
    }
  }
}

/** A fresh sysroot with stateroot `testos` and `sysroot.bootloader` set (unless undefined). */
export function makeSysroot(bootloader: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'ostree-ts-bl-'));
  const sysroot = join(dir, 'sysroot');
  mkdirSync(sysroot);
  admin(['init-fs', sysroot]);
  admin(['os-init', OS, `--sysroot=${sysroot}`]);
  if (bootloader !== undefined)
    execFileSync('ostree', [`--repo=${sysroot}/ostree/repo`, 'config', 'set', 'sysroot.bootloader', bootloader]);
  return sysroot;
}

/** Commits `writeOsTree(version, extra)` to `testos/stable` in the sysroot's repo. */
export function commitOs(sysroot: string, version: string, extra: TreeSpec = {}): string {
  const tree = mkdtempSync(join(tmpdir(), 'ostree-ts-tree-'));
  try {
    writeOsTree(tree, version, extra);
    return execFileSync(
      'ostree',
      [`--repo=${sysroot}/ostree/repo`, 'commit', '-b', `${OS}/stable`, `--tree=dir=${tree}`, '--owner-uid=0', '--owner-gid=0',
        `--add-metadata-string=version=${version}`, '-s', version],
      { encoding: 'utf8' },
    ).trim();
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

/**
 * `ostree admin ARGS` without CAP_SYS_ADMIN (so it can never freeze the host's /boot) and with
 * mutable deployments; returns stdout, throws with stderr on failure.
 */
export function admin(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('setpriv', ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', ...args], {
    encoding: 'utf8',
    env: { ...process.env, OSTREE_SYSROOT_DEBUG: 'mutable-deployments', ...env },
  });
  if (r.status !== 0) throw new Error(`ostree admin ${args[0]} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** `ostree admin deploy` into stateroot testos. */
export function adminDeploy(sysroot: string, args: string[], env: Record<string, string> = {}): void {
  admin(['deploy', `--sysroot=${sysroot}`, `--os=${OS}`, ...args], env);
}

/** The live bootversion (`boot/loader -> loader.N`). */
export function bootversionOf(sysroot: string): 0 | 1 {
  return readlinkSync(join(sysroot, 'boot/loader')) === 'loader.1' ? 1 : 0;
}

/** The BLS entries of a bootversion (parsed with our parser) and their deployment roots, in file-name order. */
export function readEntries(sysroot: string, bootversion: 0 | 1): { entries: BlsEntry[]; roots: string[] } {
  const dir = join(sysroot, `boot/loader.${bootversion}/entries`);
  const names = readdirSync(dir).filter((n) => n.startsWith('ostree-') && n.endsWith('.conf')).sort();
  const entries = names.map((n) => parseBlsEntry(readFileSync(join(dir, n), 'utf8')));
  const roots = entries.map((e) => {
    const options = e.fields.find(([k]) => k === 'options')?.[1] ?? '';
    const arg = options.split(' ').find((a) => a.startsWith('ostree='))!.slice('ostree='.length);
    return join(sysroot, arg);
  });
  return { entries, roots };
}

/** `cp -a` of a whole sysroot into a fresh directory; returns the copy's path. */
export function copySysroot(sysroot: string): string {
  const dest = join(mkdtempSync(join(tmpdir(), 'ostree-ts-scratch-')), 'sysroot');
  execFileSync('cp', ['-a', sysroot, dest]);
  return dest;
}

/** Removes a temporary sysroot (its parent temp directory). */
export function removeSysroot(sysroot: string): void {
  rmSync(join(sysroot, '..'), { recursive: true, force: true });
}

/**
 * Makes a copy of a sysroot just deployed by ostree look like the moment ostree called its
 * backend: `boot/loader` back on the previous bootversion, whose `<configName>` holds
 * `previousLive` (the live config before the deploy), and the new `loader.N/<configName>`
 * removed. A regular file at `liveConfigPath` (instead of a symlink into loader/) gets
 * `previousLive` directly.
 */
export function rewindToPreSwap(scratch: string, configName: string, previousLive: string | undefined, liveConfigPath?: string): 0 | 1 {
  const b = bootversionOf(scratch);
  const old = (1 - b) as 0 | 1;
  rmSync(join(scratch, `boot/loader.${b}/${configName}`), { force: true });
  mkdirSync(join(scratch, `boot/loader.${old}`), { recursive: true });
  rmSync(join(scratch, 'boot/loader'));
  symlinkSync(`loader.${old}`, join(scratch, 'boot/loader'));
  if (previousLive !== undefined) {
    let target = join(scratch, `boot/loader.${old}/${configName}`);
    if (liveConfigPath !== undefined) {
      const live = join(scratch, liveConfigPath);
      let isLink = false;
      try {
        isLink = readlinkSync(live) !== '';
      } catch {
        isLink = false;
      }
      if (!isLink) target = live;
    }
    writeFileSync(target, previousLive);
  }
  return b;
}

/** Content of a file following symlinks, or undefined. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
