/**
 * Writing a new deployment list into the boot configuration (spec §7.6): either only a new
 * set of bootlinks (`ostree/boot.B.M`, swapped with one symlink rename) when the boot
 * configuration is unchanged, or a full "bootswap": entries and bootlinks for the other
 * bootversion, the backend's config, a sync, then the single rename of `boot/loader.tmp` over
 * `boot/loader`. A crash at any point leaves the old or the new configuration, never a mix.
 * @module
 */
import { serializeBlsEntry, type BlsEntry, type Bootloader, type BootloaderWriteContext } from '@ostree-ts/bootloader';
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import type { Repo } from '@ostree-ts/repo';
import { commitVersion, installDeploymentKernel, type EntryContext } from './boot-entry.js';
import { sameDeployment, type Deployment } from './deployment.js';
import { mkdirP, replaceFile, replaceSymlink } from './fs-util.js';
import { KernelArgs } from './kargs.js';
import { readSubbootversion, type SysrootState } from './load.js';
import { deploymentRelPath, join } from './paths.js';

const encoder = new TextEncoder();

/** What happened, for ostree's one-line summary. */
export interface WriteResult {
  /** False when the list was identical and nothing was written. */
  readonly changed: boolean;
  readonly bootswap: boolean;
  /** `boot.B.M` now in use. */
  readonly subbootdir: string;
  /** New count minus old count. */
  readonly countChange: number;
  readonly bootloader: string | undefined;
  /** ostree's message: `Transaction complete; bootconfig swap: …` or `Bootloader updated; …`. */
  readonly message: string;
}

/** Options of {@link writeDeployments}. */
export interface WriteDeploymentsOptions {
  /** The backend writing native configuration on a bootswap (undefined: BLS entries only). */
  readonly bootloader?: Bootloader;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Test hook: called with a step name before each step of the protocol. */
  readonly onStep?: (step: string) => Promise<void> | void;
}

function nonOstreeKargs(d: Deployment): string {
  const k = KernelArgs.parse(d.options);
  k.replace('ostree');
  return k.toString();
}

async function bootconfigsEqual(repo: Repo, a: Deployment, b: Deployment): Promise<boolean> {
  if (a.bootcsum !== b.bootcsum) return false;
  if (a.overlayInitrds.join(',') !== b.overlayInitrds.join(',')) return false;
  if (nonOstreeKargs(a) !== nonOstreeKargs(b)) return false;
  return (await commitVersion(repo, a.csum)) === (await commitVersion(repo, b.csum));
}

/** Bootserials: per bootcsum, 0, 1, 2… in list order. */
export function assignBootserials(list: readonly Deployment[]): number[] {
  const seen = new Map<string, number>();
  return list.map((d) => {
    const n = seen.get(d.bootcsum) ?? 0;
    seen.set(d.bootcsum, n + 1);
    return n;
  });
}

async function createBootlinks(fs: Fs, sysroot: string, bootversion: number, subbootversion: number, list: readonly Deployment[], serials: readonly number[]): Promise<void> {
  const dir = join(sysroot, `ostree/boot.${bootversion}.${subbootversion}`);
  await fs.removeTree(dir);
  await mkdirP(fs, dir, 0o755);
  for (const [i, d] of list.entries()) {
    const parent = join(dir, d.osname, d.bootcsum);
    await mkdirP(fs, parent, 0o755);
    await replaceSymlink(fs, `../../../deploy/${d.osname}/deploy/${d.csum}.${d.deployserial}`, join(parent, String(serials[i])));
  }
}

function blsAppendPairs(repo: Repo): Array<[string, string]> {
  if (!repo.config.hasKey('sysroot', 'bls-append-except-default')) return [];
  const pairs: Array<[string, string]> = [];
  for (const item of repo.config.getValue('sysroot', 'bls-append-except-default').split(';')) {
    const eq = item.indexOf('=');
    if (eq > 0) pairs.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  return pairs;
}

/**
 * Makes `list` the sysroot's deployment list (ostree_sysroot_write_deployments_with_options,
 * without the post-cleanup). Every deployment must already exist on disk.
 * @throws {OstreeError} INVALID_SYSROOT for a missing deployment root or when the booted deployment would be dropped
 */
export async function writeDeployments(repo: Repo, sysroot: string, state: SysrootState, list: readonly Deployment[], options: WriteDeploymentsOptions = {}): Promise<WriteResult> {
  const fs = repo.fs;
  const step = options.onStep ?? (() => {});
  const serials = assignBootserials(list);
  const current = state.deployments;
  let bootswap = list.length !== current.length;
  let noop = !bootswap;
  if (!bootswap) {
    for (const [i, d] of list.entries()) {
      if (!(await bootconfigsEqual(repo, current[i]!, d))) {
        bootswap = true;
        noop = false;
        break;
      }
      if (!sameDeployment(current[i], d) || current[i]!.bootserial !== serials[i]) noop = false;
    }
  }
  if (noop) {
    const subbootdir = `boot.${state.bootversion}.${state.subbootversion}`;
    return { changed: false, bootswap: false, subbootdir, countChange: 0, bootloader: undefined, message: '' };
  }
  let foundBooted = false;
  for (const d of list) {
    if (sameDeployment(d, state.booted)) foundBooted = true;
    if ((await fs.lstatIfExists(join(sysroot, deploymentRelPath(d)))) === undefined) {
      throw new OstreeError('INVALID_SYSROOT', `Unable to find expected deployment root: ${join(sysroot, deploymentRelPath(d))}`);
    }
  }
  if (state.booted !== undefined && !foundBooted) throw new OstreeError('INVALID_SYSROOT', 'Attempting to remove booted deployment');

  let subbootdir: string;
  let atomic: boolean;
  const bootloader = bootswap ? options.bootloader : undefined;
  if (!bootswap) {
    const newSub = state.subbootversion === 0 ? 1 : 0;
    await step('bootlinks');
    await createBootlinks(fs, sysroot, state.bootversion, newSub, list, serials);
    await step('sync');
    await fs.syncfs(sysroot);
    await step('swap-bootlinks');
    subbootdir = `boot.${state.bootversion}.${newSub}`;
    await replaceSymlink(fs, subbootdir, join(sysroot, `ostree/boot.${state.bootversion}`));
    atomic = true;
  } else {
    const newBoot = state.bootversion === 0 ? 1 : 0;
    subbootdir = await bootswapWrite(repo, sysroot, state, list, serials, newBoot, bootloader, options, step);
    // Asked after writeConfig: GRUB only knows it is on EFI (not atomic) once it has probed.
    atomic = bootloader !== undefined && (bootloader.isAtomic?.() ?? true);
  }
  const countChange = list.length - current.length;
  const message = `${atomic ? 'Transaction complete' : 'Bootloader updated'}; bootconfig swap: ${bootswap ? 'yes' : 'no'}; bootversion: ${subbootdir}, deployment count change: ${countChange}`;
  return { changed: true, bootswap, subbootdir, countChange, bootloader: bootloader?.name, message };
}

async function bootswapWrite(
  repo: Repo,
  sysroot: string,
  state: SysrootState,
  list: readonly Deployment[],
  serials: readonly number[],
  newBoot: 0 | 1,
  bootloader: Bootloader | undefined,
  options: WriteDeploymentsOptions,
  step: (s: string) => Promise<void> | void,
): Promise<string> {
  const fs = repo.fs;
  const entriesDir = join(sysroot, `boot/loader.${newBoot}/entries`);
  await step('entries');
  await fs.removeTree(entriesDir);
  await fs.mkdir(entriesDir, { recursive: true, mode: 0o755 });
  const ctx: EntryContext = {
    repo,
    sysroot,
    bootversion: newBoot,
    count: list.length,
    showOsname: list.some((d) => d.osname !== list[0]!.osname),
    blsAppend: blsAppendPairs(repo),
  };
  const entries: BlsEntry[] = [];
  for (const [i, d] of list.entries()) {
    const { name, entry } = await installDeploymentKernel(ctx, d, i, serials[i]!);
    await replaceFile(fs, join(entriesDir, name), encoder.encode(serializeBlsEntry(entry)), 0o644, false);
    entries.push(entry);
  }
  await step('bootlinks');
  const oldSub = await readSubbootversion(fs, sysroot, newBoot);
  const newSub = oldSub === 0 ? 1 : 0;
  await createBootlinks(fs, sysroot, newBoot, newSub, list, serials);
  const subbootdir = `boot.${newBoot}.${newSub}`;
  await replaceSymlink(fs, subbootdir, join(sysroot, `ostree/boot.${newBoot}`));

  const writeCtx: BootloaderWriteContext = {
    fs,
    sysroot,
    bootversion: newBoot,
    entries,
    deploymentRoots: list.map((d) => join(sysroot, deploymentRelPath(d))),
    ...(options.env !== undefined ? { env: options.env } : {}),
  };
  if (bootloader !== undefined) {
    await step('bootloader');
    await bootloader.writeConfig(writeCtx);
  }
  await step('loader-tmp');
  const bootBoot = join(sysroot, 'boot/boot');
  if ((await fs.lstatIfExists(bootBoot)) === undefined) await fs.symlink('.', bootBoot);
  await replaceSymlink(fs, `loader.${newBoot}`, join(sysroot, 'boot/loader.tmp'));
  await step('sync');
  await fs.syncfs(sysroot);
  await fs.syncfs(join(sysroot, 'boot'));
  await step('swap');
  // The atomic switch.
  await fs.rename(join(sysroot, 'boot/loader.tmp'), join(sysroot, 'boot/loader'));
  await fs.fsync(join(sysroot, 'boot'));
  await step('post-swap');
  if (bootloader?.postSwap !== undefined) await bootloader.postSwap(writeCtx);
  return subbootdir;
}
