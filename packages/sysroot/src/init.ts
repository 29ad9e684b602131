/**
 * Creating sysroots and stateroots: `ostree admin init-fs` and `ostree admin os-init`
 * (spec §7.1, §7.2).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { hasErrorCode, type Fs } from '@ostree-ts/io';
import { initRepo, type Repo, type RepoOptions } from '@ostree-ts/repo';
import { mkdirP } from './fs-util.js';
import { join } from './paths.js';

/** Options of {@link initFs}. */
export interface InitFsOptions {
  /** `--modern`: only `boot/` and `ostree/` (no traditional top-level directories). */
  readonly modern?: boolean;
}

/**
 * Makes `ostree/repo` (a bare repository) and `ostree/deploy` if missing
 * (ostree_sysroot_ensure_initialized). Returns the repository.
 */
export async function ensureSysrootInitialized(fs: Fs, sysroot: string, repoOptions: RepoOptions = {}): Promise<Repo> {
  await mkdirP(fs, join(sysroot, 'ostree/repo'), 0o755);
  await mkdirP(fs, join(sysroot, 'ostree/deploy'), 0o755);
  return initRepo(fs, join(sysroot, 'ostree/repo'), { ...repoOptions, mode: 'bare' });
}

/**
 * `ostree admin init-fs PATH`: the traditional top-level directories (`boot dev home proc run
 * sys` 0755, `root` 0700, `tmp` 01777) and an initialized `ostree/`.
 * @throws {OstreeError} INVALID_SYSROOT if `sysroot` is not a directory
 */
export async function initFs(fs: Fs, sysroot: string, options: InitFsOptions = {}): Promise<Repo> {
  const st = await fs.stat(sysroot).catch(() => undefined);
  if (st?.type !== 'directory') throw new OstreeError('INVALID_SYSROOT', `opendir(${sysroot}): No such file or directory`);
  await mkdirP(fs, join(sysroot, 'boot'), 0o755);
  if (!options.modern) {
    for (const dir of ['dev', 'home', 'proc', 'run', 'sys']) await mkdirP(fs, join(sysroot, dir), 0o755);
    await mkdirP(fs, join(sysroot, 'root'), 0o700);
    await mkdirP(fs, join(sysroot, 'tmp'), 0o1777);
    await fs.chmod(join(sysroot, 'tmp'), 0o1777);
  }
  return ensureSysrootInitialized(fs, sysroot);
}

/** Bumps the mtime of `ostree/deploy`, which ostree uses to notice changes (`_ostree_sysroot_bump_mtime`). */
export async function bumpDeployMtime(fs: Fs, sysroot: string): Promise<void> {
  const now = Date.now();
  await fs.lutimes(join(sysroot, 'ostree/deploy'), now, now);
}

async function mkdirStrict(fs: Fs, path: string, mode: number, what: string): Promise<void> {
  try {
    await fs.mkdir(path, { mode });
  } catch (e) {
    if (hasErrorCode(e, 'EEXIST')) throw new OstreeError('ALREADY_EXISTS', `Creating ${what}: File exists`, { cause: e });
    throw e;
  }
}

/**
 * `ostree admin os-init OSNAME`: `ostree/deploy/OSNAME/var` with `tmp` (01777), `lib`, `log`,
 * `run -> ../run`, `lock -> ../run/lock` (ostree_sysroot_init_osname).
 * @throws {OstreeError} ALREADY_EXISTS if the stateroot exists (`Creating ostree/deploy/OS: File exists`)
 */
export async function initOsname(fs: Fs, sysroot: string, osname: string): Promise<void> {
  if (osname.length === 0 || osname.includes('/') || osname === '.' || osname === '..') {
    throw new OstreeError('INVALID_ARGUMENT', `Invalid osname '${osname}'`);
  }
  const rel = `ostree/deploy/${osname}`;
  const dir = join(sysroot, rel);
  await mkdirStrict(fs, dir, 0o777, rel);
  await mkdirStrict(fs, join(dir, 'var'), 0o777, 'var');
  await mkdirStrict(fs, join(dir, 'var/tmp'), 0o777, 'var/tmp');
  await fs.chmod(join(dir, 'var/tmp'), 0o1777);
  await mkdirStrict(fs, join(dir, 'var/lib'), 0o777, 'var/lib');
  await mkdirStrict(fs, join(dir, 'var/log'), 0o755, 'var/log');
  await fs.symlink('../run', join(dir, 'var/run'));
  await fs.symlink('../run/lock', join(dir, 'var/lock'));
  await bumpDeployMtime(fs, sysroot);
}
