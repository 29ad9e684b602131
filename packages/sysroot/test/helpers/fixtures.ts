/**
 * Bootable test trees and side-by-side sysroots: one made by real `ostree admin` (run without
 * CAP_SYS_ADMIN and with mutable deployments, so it never freezes or chattrs anything), one
 * by ostree-ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hasOstree, ostree } from '../../../../test-vectors/trees/ostree.js';

export const hasOstreeAdmin = hasOstree && spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;

/** Environment for real `ostree admin`: never freeze, never set the immutable bit. */
export const OSTREE_ADMIN_ENV = { ...process.env, OSTREE_SYSROOT_DEBUG: 'mutable-deployments', TZ: 'UTC' };

/** Runs real `ostree admin ARGS` without CAP_SYS_ADMIN; returns stdout (throws with stderr). */
export function ostreeAdmin(...args: string[]): string {
  return execFileSync('setpriv', ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', ...args], {
    encoding: 'utf8',
    env: OSTREE_ADMIN_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Like {@link ostreeAdmin} but returns status and both streams. */
export function ostreeAdminResult(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', ...args], {
    encoding: 'utf8',
    env: OSTREE_ADMIN_ENV,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a non-admin `ostree` command (the shared helper of test-vectors/trees). */
export const ostreeRun = ostree;

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function put(root: string, rel: string, content: string, mode = 0o644): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content, { mode });
}

/** What a bootable tree contains; every field has a default. */
export interface BootableTreeSpec {
  readonly kver?: string;
  readonly kernel?: string;
  readonly initramfs?: string | null;
  readonly devicetree?: string;
  readonly prettyName?: string;
  /** Files under usr/etc (relative name → content). */
  readonly etc?: Record<string, string>;
  readonly extra?: Record<string, string>;
}

/** Writes a small bootable tree (kernel in usr/lib/modules, os-release, usr/etc) into a new directory. */
export function bootableTree(spec: BootableTreeSpec = {}): string {
  const root = tempDir('ots-tree-');
  const kver = spec.kver ?? '5.10.0-test';
  put(root, `usr/lib/modules/${kver}/vmlinuz`, spec.kernel ?? 'KERNEL-IMAGE');
  if (spec.initramfs !== null) put(root, `usr/lib/modules/${kver}/initramfs.img`, spec.initramfs ?? 'INITRAMFS');
  if (spec.devicetree !== undefined) put(root, `usr/lib/modules/${kver}/devicetree`, spec.devicetree);
  put(root, 'usr/lib/os-release', `NAME=TestOS\nID=testos\nPRETTY_NAME="${spec.prettyName ?? 'TestOS 1'}"\n`);
  put(root, 'usr/bin/hello', '#!/bin/sh\necho hello\n', 0o755);
  for (const [name, content] of Object.entries(spec.etc ?? { 'app.conf': 'setting=1\n', hostname: 'device\n', 'passwd': 'root:x:0:0::/root:/bin/sh\n' })) {
    put(root, `usr/etc/${name}`, content);
  }
  for (const [name, content] of Object.entries(spec.extra ?? {})) put(root, name, content);
  return root;
}

/** A source repository (archive) for commits that both sysroots pull from with `ostree pull-local`. */
export class SourceRepo {
  readonly path = tempDir('ots-src-');
  private t = 1_700_000_000;

  constructor() {
    ostreeRun('init', `--repo=${this.path}`, '--mode=archive');
  }

  /** Commits `tree` to `branch` with `version` (and extra `ostree commit` flags); returns the checksum. Timestamps increase. */
  commit(tree: string, branch: string, version: string, extraArgs: readonly string[] = []): string {
    this.t += 3600;
    const ts = new Date(this.t * 1000).toISOString();
    return ostreeRun('commit', `--repo=${this.path}`, '-b', branch, `--tree=dir=${tree}`, '-s', version, `--add-metadata-string=version=${version}`, `--timestamp=${ts}`, ...extraArgs).trim();
  }

  /** Copies `ref` into a sysroot's repository. */
  pullInto(sysroot: string, ref: string): void {
    ostreeRun('pull-local', `--repo=${join(sysroot, 'ostree/repo')}`, this.path, ref);
  }
}
