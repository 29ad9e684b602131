/**
 * Removing what the current boot configuration no longer uses (ostree_sysroot_cleanup, spec
 * §7.12): the other bootversion's loader and bootlinks, unreferenced deployment directories
 * and `.origin` files, unused `/boot/ostree/OS-BOOTCSUM` directories and overlay initrds;
 * then the `ostree/B/S/i` refs are regenerated and, optionally, the repository pruned.
 * @module
 */
import type { Fs } from '@ostree-ts/io';
import { pruneRepo, type PruneResult, type Repo } from '@ostree-ts/repo';
import { sameDeployment } from './deployment.js';
import { removeStaleTemps, unlinkIfExists } from './fs-util.js';
import type { SysrootState } from './load.js';
import { deploymentRelPath, join, originRelPath, parseDeploymentName, type DeploymentId } from './paths.js';

/** What {@link cleanupSysroot} removed. */
export interface CleanupResult {
  readonly deploymentsRemoved: number;
  readonly bootDirsRemoved: number;
  /** Set when the repository was pruned. */
  readonly prune?: PruneResult;
}

async function cleanupOtherBootversions(fs: Fs, sysroot: string, state: SysrootState): Promise<void> {
  const other = state.bootversion === 0 ? 1 : 0;
  const otherSub = state.subbootversion === 0 ? 1 : 0;
  for (const p of [`boot/loader.${other}`, `ostree/boot.${other}`, `ostree/boot.${other}.0`, `ostree/boot.${other}.1`, `ostree/boot.${state.bootversion}.${otherSub}`]) {
    await fs.removeTree(join(sysroot, p));
  }
}

/** Every deployment directory on disk, in every stateroot. */
export async function listDeploymentDirs(fs: Fs, sysroot: string): Promise<DeploymentId[]> {
  const deployDir = join(sysroot, 'ostree/deploy');
  if ((await fs.lstatIfExists(deployDir)) === undefined) return [];
  const out: DeploymentId[] = [];
  for (const osname of await fs.readdir(deployDir)) {
    const dir = join(deployDir, osname, 'deploy');
    const st = await fs.lstatIfExists(dir);
    if (st?.type !== 'directory') continue;
    for (const name of await fs.readdir(dir)) {
      const parsed = parseDeploymentName(name);
      if (parsed === undefined) continue;
      if ((await fs.lstat(join(dir, name))).type !== 'directory') continue;
      out.push({ osname, ...parsed });
    }
  }
  return out;
}

async function removeDeployment(fs: Fs, sysroot: string, d: DeploymentId): Promise<void> {
  await unlinkIfExists(fs, join(sysroot, originRelPath(d)));
  await fs.removeTree(join(sysroot, deploymentRelPath(d)));
}

async function cleanupOldDeployments(fs: Fs, sysroot: string, state: SysrootState): Promise<{ deployments: number; bootDirs: number }> {
  let deployments = 0;
  let bootDirs = 0;
  for (const d of await listDeploymentDirs(fs, sysroot)) {
    if (state.deployments.some((a) => sameDeployment(a, d))) continue;
    if (sameDeployment(d, state.booted)) continue;
    await removeDeployment(fs, sysroot, d);
    deployments++;
  }
  const activeBootcsums = new Set(state.deployments.map((d) => d.bootcsum));
  const bootOstree = join(sysroot, 'boot/ostree');
  if ((await fs.lstatIfExists(bootOstree)) !== undefined) {
    for (const name of await fs.readdir(bootOstree)) {
      const dash = name.lastIndexOf('-');
      if (dash < 0) continue;
      const csum = name.slice(dash + 1);
      if (!/^[0-9a-f]{64}$/.test(csum)) continue;
      if ((await fs.lstat(join(bootOstree, name))).type !== 'directory') continue;
      if (activeBootcsums.has(csum)) continue;
      await fs.removeTree(join(bootOstree, name));
      bootDirs++;
    }
  }
  const overlays = join(sysroot, 'boot/ostree/initramfs-overlays');
  if ((await fs.lstatIfExists(overlays)) !== undefined) {
    const active = new Set(state.deployments.flatMap((d) => d.overlayInitrds.map((c) => `${c}.img`)));
    for (const name of await fs.readdir(overlays)) {
      if ((await fs.lstat(join(overlays, name))).type !== 'file' || active.has(name)) continue;
      await unlinkIfExists(fs, join(overlays, name));
    }
  }
  return { deployments, bootDirs };
}

// Where atomic replacements put their temporaries (ostree uses O_TMPFILE and leaves none).
async function removeCrashLeftovers(fs: Fs, sysroot: string): Promise<void> {
  for (const dir of ['boot', 'ostree']) await removeStaleTemps(fs, join(sysroot, dir));
  const deployDir = join(sysroot, 'ostree/deploy');
  if ((await fs.lstatIfExists(deployDir)) === undefined) return;
  for (const osname of await fs.readdir(deployDir)) {
    await removeStaleTemps(fs, join(deployDir, osname, 'deploy'));
    await removeStaleTemps(fs, join(deployDir, osname, 'var'));
  }
}

/** Rewrites `refs/heads/ostree/B/S/i` for the current list and deletes the other (B, S) prefixes. */
export async function generateDeploymentRefs(repo: Repo, state: SysrootState): Promise<void> {
  const { bootversion: b, subbootversion: s } = state;
  const otherB = b === 0 ? 1 : 0;
  const otherS = s === 0 ? 1 : 0;
  for (const prefix of [`ostree/${otherB}/0`, `ostree/${otherB}/1`, `ostree/${b}/${otherS}`]) {
    for (const ref of (await repo.listRefs(prefix)).keys()) await repo.setRef(ref, undefined);
  }
  for (const [i, d] of state.deployments.entries()) await repo.setRef(`ostree/${b}/${s}/${i}`, d.csum);
}

/**
 * Cleans up after (or before) a deployment write. With `prune`, also prunes the repository
 * to what refs reach at depth 0 (ostree's system-repo policy).
 */
export async function cleanupSysroot(repo: Repo, sysroot: string, state: SysrootState, options: { prune?: boolean } = {}): Promise<CleanupResult> {
  const fs = repo.fs;
  await cleanupOtherBootversions(fs, sysroot, state);
  await removeCrashLeftovers(fs, sysroot);
  const removed = await cleanupOldDeployments(fs, sysroot, state);
  await generateDeploymentRefs(repo, state);
  const base = { deploymentsRemoved: removed.deployments, bootDirsRemoved: removed.bootDirs };
  if (!options.prune) return base;
  const prune = await pruneRepo(repo, { refsOnly: true, depth: 0 });
  return { ...base, prune };
}
