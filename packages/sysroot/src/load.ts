/**
 * Reading a sysroot's current state (spec §7.7): the bootversion from `boot/loader`, the
 * subbootversion from `ostree/boot.B`, deployments from the BLS entries of
 * `boot/loader.B/entries` (ordered by their `version`), each resolved through its bootlink.
 * @module
 */
import { blsGet, blsOverlayInitrds, compareBlsEntries, parseBlsEntry, type BlsEntry } from '@ostree-ts/bootloader';
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { KeyFile } from '@ostree-ts/keyfile';
import { sameDeployment, type Deployment, type UnlockedState } from './deployment.js';
import { deploymentRelPath, join, originRelPath, parseDeploymentName, parseOstreeKarg, type DeploymentId } from './paths.js';

const decoder = new TextDecoder();

/** A sysroot's boot state. */
export interface SysrootState {
  readonly bootversion: 0 | 1;
  readonly subbootversion: 0 | 1;
  /** Deployments in boot order (index 0 = default). */
  readonly deployments: readonly Deployment[];
  /** The deployment the running system booted from, when the sysroot is `/` of a booted ostree system. */
  readonly booted: Deployment | undefined;
}

// ostree wants `loader.0`/`loader.1` exactly for boot/loader, but only the suffix of a bootlink dir.
async function readVersionLink(fs: Fs, path: string, what: string, matches: (target: string, n: 0 | 1) => boolean): Promise<0 | 1> {
  const st = await fs.lstatIfExists(path);
  if (st === undefined) return 0;
  if (st.type !== 'symlink') throw new OstreeError('INVALID_SYSROOT', `Not a symbolic link: ${what}`);
  const target = await fs.readlink(path);
  if (matches(target, 0)) return 0;
  if (matches(target, 1)) return 1;
  throw new OstreeError('INVALID_SYSROOT', `Invalid target '${target}' in ${what}`);
}

/** The current bootversion (`boot/loader` → `loader.N`; 0 when absent). */
export function readBootversion(fs: Fs, sysroot: string): Promise<0 | 1> {
  return readVersionLink(fs, join(sysroot, 'boot/loader'), 'boot/loader', (t, n) => t === `loader.${n}`);
}

/** The subbootversion of `bootversion` (`ostree/boot.B` → `boot.B.M`; 0 when absent). */
export function readSubbootversion(fs: Fs, sysroot: string, bootversion: number): Promise<0 | 1> {
  return readVersionLink(fs, join(sysroot, `ostree/boot.${bootversion}`), `ostree/boot.${bootversion}`, (t, n) => t.endsWith(`.${n}`));
}

/** The BLS entries of `boot/loader.B/entries` named `ostree-*.conf`, in ostree's order. */
export async function readLoaderEntries(fs: Fs, sysroot: string, bootversion: number): Promise<BlsEntry[]> {
  const dir = join(sysroot, `boot/loader.${bootversion}/entries`);
  if ((await fs.lstatIfExists(dir)) === undefined) return [];
  const entries: BlsEntry[] = [];
  for (const name of await fs.readdir(dir)) {
    if (!name.startsWith('ostree-') || !name.endsWith('.conf')) continue;
    const path = join(dir, name);
    if ((await fs.stat(path)).type !== 'file') continue;
    entries.push(parseBlsEntry(decoder.decode(await fs.readFile(path))));
  }
  return entries.sort(compareBlsEntries);
}

/** Reads a deployment's `.origin` keyfile, or undefined if it does not exist. */
export async function readOrigin(fs: Fs, sysroot: string, id: DeploymentId): Promise<KeyFile | undefined> {
  const path = join(sysroot, originRelPath(id));
  if ((await fs.lstatIfExists(path)) === undefined) return undefined;
  // ostree loads origins with no flags: comments are dropped when it writes one back.
  return KeyFile.parse(decoder.decode(await fs.readFile(path)), { keepComments: false });
}

function ostreeArg(options: string | undefined): string | undefined {
  for (const a of (options ?? '').split(' ')) if (a.startsWith('ostree=')) return a.slice('ostree='.length);
  return undefined;
}

async function deploymentFromEntry(fs: Fs, sysroot: string, entry: BlsEntry, index: number): Promise<Deployment> {
  const options = blsGet(entry, 'options');
  const arg = ostreeArg(options);
  if (arg === undefined) throw new OstreeError('INVALID_SYSROOT', 'No ostree= kernel argument found');
  const link = parseOstreeKarg(arg);
  if (link === undefined) {
    throw new OstreeError('INVALID_SYSROOT', `Invalid ostree= argument '${arg}', expected ostree=/ostree/boot.BOOTVERSION/OSNAME/BOOTCSUM/TREESERIAL`);
  }
  const prefix = `Parsing deployment ${arg} in stateroot '${link.osname}'`;
  let target: string;
  try {
    target = await fs.readlink(join(sysroot, arg));
  } catch (e) {
    throw new OstreeError('INVALID_SYSROOT', `${prefix}: readlinkat: ${(e as Error).message}`, { cause: e });
  }
  const parsed = parseDeploymentName(target.slice(target.lastIndexOf('/') + 1));
  if (parsed === undefined) throw new OstreeError('INVALID_SYSROOT', `${prefix}: Invalid deploy name '${target}', expected CHECKSUM.TREESERIAL`);
  const id = { osname: link.osname, ...parsed };
  const origin = await readOrigin(fs, sysroot, id);
  const overlayInitrds = blsOverlayInitrds(entry).map((p) => {
    const base = p.slice(p.lastIndexOf('/') + 1);
    if (base.length !== 64 + '.img'.length) throw new OstreeError('INVALID_SYSROOT', `Malformed overlay initrd filename: ${base}`);
    return base.slice(0, 64);
  });
  let unlocked: UnlockedState = 'none';
  if (origin?.hasKey('origin', 'unlocked') && origin.getString('origin', 'unlocked') === 'hotfix') unlocked = 'hotfix';
  return { ...id, bootcsum: link.bootcsum, bootserial: link.bootserial, index, origin, options, overlayInitrds, bootconfig: entry, unlocked };
}

// ostree only looks for a booted deployment when the sysroot is / of a system booted by ostree.
async function findBooted(fs: Fs, sysroot: string, deployments: readonly Deployment[]): Promise<Deployment | undefined> {
  if (sysroot !== '/' || (await fs.lstatIfExists('/run/ostree-booted')) === undefined) return undefined;
  const root = await fs.stat('/');
  for (const d of deployments) {
    const st = await fs.stat(join(sysroot, deploymentRelPath(d)));
    if (st.dev === root.dev && st.ino === root.ino) return d;
  }
  return undefined;
}

/**
 * Loads the state of the sysroot at `sysroot`. `booted` names the booted deployment instead
 * of detecting it (for an agent that knows, or to exercise the booted rules off-device).
 * @throws {OstreeError} INVALID_SYSROOT for a malformed boot configuration (ostree's messages)
 */
export async function loadSysrootState(fs: Fs, sysroot: string, options: { booted?: DeploymentId } = {}): Promise<SysrootState> {
  const bootversion = await readBootversion(fs, sysroot);
  const subbootversion = await readSubbootversion(fs, sysroot, bootversion);
  const entries = await readLoaderEntries(fs, sysroot, bootversion);
  const deployments: Deployment[] = [];
  for (const [i, entry] of entries.entries()) deployments.push(await deploymentFromEntry(fs, sysroot, entry, i));
  const declared = options.booted;
  const booted = declared !== undefined ? deployments.find((d) => sameDeployment(d, declared)) : await findBooted(fs, sysroot, deployments);
  return { bootversion, subbootversion, deployments, booted };
}
