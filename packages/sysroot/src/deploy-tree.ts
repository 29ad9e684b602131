/**
 * Making a new deployment on disk (ostree_sysroot_deploy_tree): a hardlink checkout of the
 * commit under `ostree/deploy/OS/deploy/CHECKSUM.SERIAL`, `/etc` copied from `/usr/etc` and
 * merged with the merge deployment's local changes, the kernel located and hashed, and the
 * `.origin` file written. Nothing here touches the boot configuration.
 * @module
 */
import { checkout } from '@ostree-ts/checkout';
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import type { KeyFile } from '@ostree-ts/keyfile';
import type { Repo } from '@ostree-ts/repo';
import type { Deployment } from './deployment.js';
import { mkdirP, replaceFile, unlinkIfExists } from './fs-util.js';
import { findKernelLayout } from './kernel-layout.js';
import { deploymentRelPath, join, originRelPath, parseDeploymentName, type DeploymentId } from './paths.js';

const encoder = new TextEncoder();

/** The `/etc` merge step: applies the local changes of `mergeRoot` (its `usr/etc` → `etc` diff) to `newRoot/etc`. */
export type EtcMergeStep = (fs: Fs, mergeRoot: string, newRoot: string, log: (message: string) => void) => Promise<void>;

/** Inputs of {@link deployTree}. */
export interface DeployTreeOptions {
  readonly osname: string;
  /** The commit checksum to deploy. */
  readonly revision: string;
  readonly origin: KeyFile | undefined;
  /** Source of `/etc` changes and default kernel arguments (undefined: `--no-merge` or first deployment). */
  readonly merge: Deployment | undefined;
  /** Kernel arguments to use instead of the merge deployment's. */
  readonly overrideKargs?: readonly string[];
  readonly etcMerge: EtcMergeStep;
  /** Progress messages as ostree prints them (stdout). */
  readonly log?: (message: string) => void;
  /** Warnings as ostree prints them (stderr), e.g. content in `/var`. */
  readonly warn?: (message: string) => void;
}

/** The next free serial for `revision` in stateroot `osname` (1 + the highest existing, from 0). */
export async function allocateDeployserial(fs: Fs, sysroot: string, osname: string, revision: string): Promise<number> {
  const dir = join(sysroot, `ostree/deploy/${osname}/deploy`);
  if ((await fs.lstatIfExists(dir)) === undefined) return 0;
  let serial = 0;
  for (const name of await fs.readdir(dir)) {
    const parsed = parseDeploymentName(name);
    if (parsed === undefined || parsed.csum !== revision) continue;
    if ((await fs.lstat(join(dir, name))).type !== 'directory') continue;
    serial = Math.max(serial, parsed.deployserial + 1);
  }
  return serial;
}

/** Writes a deployment's `.origin` atomically (or nothing when `origin` is undefined). */
export async function writeOriginFile(fs: Fs, sysroot: string, id: DeploymentId, origin: KeyFile | undefined, sync = true): Promise<void> {
  if (origin === undefined) return;
  await replaceFile(fs, join(sysroot, originRelPath(id)), encoder.encode(origin.toString()), 0o644, sync);
}

async function prepareEtc(repo: Repo, root: string, revision: string): Promise<void> {
  const fs = repo.fs;
  const etc = await fs.lstatIfExists(join(root, 'etc'));
  const usrEtc = await fs.lstatIfExists(join(root, 'usr/etc'));
  let hasUsrEtc = usrEtc !== undefined;
  if (etc !== undefined) {
    if (hasUsrEtc) throw new OstreeError('INVALID_SYSROOT', 'Tree contains both /etc and /usr/etc');
    await fs.rename(join(root, 'etc'), join(root, 'usr/etc'));
    hasUsrEtc = true;
  }
  // Copies, not hardlinks: /etc is edited in place by administrators.
  if (hasUsrEtc) await checkout(repo, revision, join(root, 'etc'), { subpath: '/usr/etc', forceCopy: true, userMode: userModeFor(repo) });
}

function userModeFor(repo: Repo): boolean {
  return repo.mode === 'bare-user-only' || !repo.fs.capabilities.chown;
}

/**
 * Checks out `revision` as a new deployment and prepares it to be written into the boot
 * configuration. Returns the deployment (index and bootserial are assigned when written).
 * @throws {OstreeError} INVALID_SYSROOT when the tree has no kernel or both `/etc` and `/usr/etc`
 */
export async function deployTree(repo: Repo, sysroot: string, options: DeployTreeOptions): Promise<Deployment> {
  const fs = repo.fs;
  const log = options.log ?? (() => {});
  const { osname, revision } = options;
  const deployserial = await allocateDeployserial(fs, sysroot, osname, revision);
  const id = { osname, csum: revision, deployserial };
  const root = join(sysroot, deploymentRelPath(id));
  await mkdirP(fs, join(sysroot, `ostree/deploy/${osname}/deploy`), 0o775);
  await fs.removeTree(root); // left over from an interrupted deploy
  await checkout(repo, revision, root, { processPassthroughWhiteouts: true, userMode: userModeFor(repo) });

  const layout = await findKernelLayout(fs, root, repo.hash);
  try {
    await prepareEtc(repo, root, revision);
  } catch (e) {
    if (e instanceof OstreeError && !e.message.startsWith('Preparing /etc')) throw new OstreeError(e.code, `Preparing /etc: ${e.message}`, { cause: e });
    throw e;
  }
  await lintVar(fs, root, revision, options.warn ?? (() => {}));

  let kargs: string | undefined = options.overrideKargs?.join(' ');
  if (options.overrideKargs === undefined && options.merge !== undefined) kargs = options.merge.options;
  if (options.merge !== undefined) await options.etcMerge(fs, join(sysroot, deploymentRelPath(options.merge)), root, log);

  const varDir = join(sysroot, `ostree/deploy/${osname}/var`);
  const varSt = await fs.stat(varDir).catch(() => undefined);
  if (varSt?.type !== 'directory') throw new OstreeError('INVALID_SYSROOT', 'opendir(var): No such file or directory');
  // systemd's ConditionNeedsUpdate must fire after the reboot into the new deployment.
  await unlinkIfExists(fs, join(root, 'etc/.updated'));
  await unlinkIfExists(fs, join(varDir, '.updated'));
  const stamp = join(varDir, '.ostree-selabeled');
  if ((await fs.lstatIfExists(stamp)) === undefined) {
    log("Relabeling /var (no stamp file 'var/.ostree-selabeled' found)");
    await replaceFile(fs, stamp, new Uint8Array(0), 0o644, false);
  }
  await writeOriginFile(fs, sysroot, id, options.origin, false);
  return {
    ...id,
    bootcsum: layout.bootcsum,
    bootserial: 0,
    index: -1,
    origin: options.origin,
    options: kargs,
    overlayInitrds: [],
    unlocked: 'none',
  };
}

// The content of /var in a commit is never used: /var is the stateroot's.
async function lintVar(fs: Fs, root: string, revision: string, warn: (message: string) => void): Promise<void> {
  const v = join(root, 'var');
  const st = await fs.lstatIfExists(v);
  if (st?.type !== 'directory') return;
  for (const name of await fs.readdir(v)) warn(`note: Deploying commit ${revision} which contains content in /var/${name} that will be ignored.`);
}
