/**
 * Installing a deployment's kernel into `/boot/ostree/OS-BOOTCSUM/` and composing its BLS
 * entry (install_deployment_kernel, spec §7.4–7.5).
 * @module
 */
import { blsGet, type BlsEntry } from '@ostree-ts/bootloader';
import { OstreeError, lookupMetadata } from '@ostree-ts/core';
import { hasErrorCode, type Fs } from '@ostree-ts/io';
import type { Repo } from '@ostree-ts/repo';
import type { Deployment } from './deployment.js';
import { mkdirP } from './fs-util.js';
import { KernelArgs } from './kargs.js';
import { findKernelLayout } from './kernel-layout.js';
import { parseOsRelease } from './os-release.js';
import { deploymentRelPath, join } from './paths.js';

const decoder = new TextDecoder();

/** A string key of the commit's metadata (`version`, `ostree.source-title`), or undefined (also when the commit is missing). */
export async function commitString(repo: Repo, csum: string, key: string): Promise<string | undefined> {
  try {
    const v = lookupMetadata((await repo.loadCommit(csum)).metadata, key);
    return v?.type === 's' ? (v.value as string) : undefined;
  } catch {
    return undefined;
  }
}

/** The commit's `version` metadata string, or undefined. */
export function commitVersion(repo: Repo, csum: string): Promise<string | undefined> {
  return commitString(repo, csum, 'version');
}

// Hardlink, or copy when linking is impossible (EXDEV, EMLINK), keeping mode and owner.
async function installIntoBoot(fs: Fs, src: string, dest: string): Promise<void> {
  if ((await fs.lstatIfExists(dest)) !== undefined) return;
  try {
    await fs.link(src, dest);
    return;
  } catch (e) {
    if (!hasErrorCode(e, 'EXDEV') && !hasErrorCode(e, 'EMLINK') && !hasErrorCode(e, 'EPERM')) throw e;
  }
  const st = await fs.stat(src);
  const tmp = `${dest}.tmp`;
  await fs.removeTree(tmp);
  const h = await fs.openWrite(tmp, { mode: st.mode & 0o7777 });
  try {
    for await (const chunk of fs.readChunks(src, 1 << 20)) await h.write(chunk);
    await h.sync();
  } finally {
    await h.close();
  }
  if (fs.capabilities.chown) await fs.lchown(tmp, st.uid, st.gid);
  await fs.chmod(tmp, st.mode & 0o7777);
  await fs.rename(tmp, dest, { noReplace: fs.capabilities.atomicNoReplace });
}

async function copyDirOverwrite(fs: Fs, src: string, dest: string): Promise<void> {
  const st = await fs.stat(src);
  await mkdirP(fs, dest, 0o700);
  await fs.chmod(dest, st.mode & 0o7777);
  for (const name of await fs.readdir(src)) {
    const s = join(src, name);
    const d = join(dest, name);
    const cst = await fs.lstat(s);
    if (cst.type === 'directory') await copyDirOverwrite(fs, s, d);
    else if (cst.type === 'file') {
      await fs.removeTree(d);
      await fs.writeFile(d, await fs.readFile(s), { mode: cst.mode & 0o7777 });
    }
  }
}

async function readOsRelease(fs: Fs, root: string): Promise<Map<string, string>> {
  for (const p of ['usr/lib/os-release', 'etc/os-release']) {
    try {
      return parseOsRelease(decoder.decode(await fs.readFile(join(root, p))));
    } catch (e) {
      if (p === 'etc/os-release') throw new OstreeError('INVALID_SYSROOT', `Reading /etc/os-release: ${(e as Error).message}`, { cause: e });
      if (!hasErrorCode(e, 'ENOENT')) throw e;
    }
  }
  return new Map();
}

/** What {@link installDeploymentKernel} needs to know about the whole new list. */
export interface EntryContext {
  readonly repo: Repo;
  readonly sysroot: string;
  readonly bootversion: 0 | 1;
  readonly count: number;
  /** Titles name the stateroot when the list has more than one. */
  readonly showOsname: boolean;
  /** `[sysroot] bls-append-except-default` pairs, added to non-default entries. */
  readonly blsAppend: ReadonlyArray<readonly [string, string]>;
}

/**
 * Installs the kernel files of `d` (at position `index`, with `bootserial`) and returns its
 * BLS entry and file name (`ostree-<N-index>-<os>.conf`).
 */
export async function installDeploymentKernel(
  ctx: EntryContext,
  d: Deployment,
  index: number,
  bootserial: number,
): Promise<{ name: string; entry: BlsEntry }> {
  const fs = ctx.repo.fs;
  const root = join(ctx.sysroot, deploymentRelPath(d));
  // Names only: the deployment's bootcsum was computed when it was made.
  const layout = await findKernelLayout(fs, root, undefined);
  const bootcsumDirRel = `ostree/${d.osname}-${d.bootcsum}`;
  const bootcsumDir = join(ctx.sysroot, 'boot', bootcsumDirRel);
  await mkdirP(fs, bootcsumDir, 0o775);
  await mkdirP(fs, join(ctx.sysroot, `boot/loader.${ctx.bootversion}/entries`), 0o775);

  await installIntoBoot(fs, join(layout.bootDir, layout.kernelSrc), join(bootcsumDir, layout.kernelName));
  if (layout.initramfsSrc !== undefined) await installIntoBoot(fs, join(layout.bootDir, layout.initramfsSrc), join(bootcsumDir, layout.initramfsName!));
  if (layout.devicetreeSrc !== undefined) {
    if (layout.devicetreeName !== undefined) await installIntoBoot(fs, join(layout.bootDir, layout.devicetreeSrc), join(bootcsumDir, layout.devicetreeName));
    else await copyDirOverwrite(fs, join(layout.bootDir, layout.devicetreeSrc), join(bootcsumDir, layout.devicetreeSrc));
  }
  if (layout.hmacSrc !== undefined) await installIntoBoot(fs, join(layout.bootDir, layout.hmacSrc), join(bootcsumDir, layout.hmacName!));

  const osRelease = await readOsRelease(fs, root);
  const name = osRelease.get('PRETTY_NAME') ?? osRelease.get('ID');
  if (name === undefined) throw new OstreeError('INVALID_SYSROOT', 'No PRETTY_NAME or ID in /etc/os-release');
  const version = await commitVersion(ctx.repo, d.csum);
  let title = name;
  if (version !== undefined && version !== '' && !name.includes(version)) title += ` ${version}`;
  title += ` (ostree${ctx.showOsname ? `:${d.osname}` : ''}:${index})`;

  // Start from the deployment's current entry: keys ostree does not set survive.
  const values = new Map<string, string>();
  const overlays: string[] = [];
  for (const [k, v] of d.bootconfig?.fields ?? []) {
    if (k === 'initrd' && values.has('initrd')) overlays.push(v);
    else values.set(k, v);
  }
  values.set('title', title);
  values.set('version', String(ctx.count - index));
  values.set('linux', `/${bootcsumDirRel}/${layout.kernelName}`);
  const kargs = KernelArgs.parse(d.options ?? (d.bootconfig ? blsGet(d.bootconfig, 'options') : undefined));
  const bootlink = `/ostree/boot.${ctx.bootversion}/${d.osname}/${d.bootcsum}/${bootserial}`;
  let newOverlays = overlays;
  if (layout.initramfsName !== undefined) {
    values.set('initrd', `/${bootcsumDirRel}/${layout.initramfsName}`);
    newOverlays = d.overlayInitrds.map((c) => `/ostree/initramfs-overlays/${c}.img`);
  } else {
    kargs.replace(`init=${bootlink}/usr/lib/ostree/ostree-prepare-root`);
  }
  if (layout.devicetreeName !== undefined) values.set('devicetree', `/${bootcsumDirRel}/${layout.devicetreeName}`);
  else if (layout.devicetreeSrc !== undefined) values.set('fdtdir', `/${bootcsumDirRel}/${layout.devicetreeSrc}`);
  kargs.replace(`ostree=${bootlink}`);
  values.set('options', kargs.toString());
  if (index !== 0) for (const [k, v] of ctx.blsAppend) values.set(k, v);

  const fields: [string, string][] = [];
  for (const [k, v] of values) {
    fields.push([k, v]);
    if (k === 'initrd') for (const o of newOverlays) fields.push(['initrd', o]);
  }
  return { name: `ostree-${ctx.count - index}-${d.osname}.conf`, entry: { fields } };
}
