/**
 * The GRUB 2 backend. Three ways to produce the `grub.cfg` GRUB reads:
 * - `exec`: ostree's generator protocol — run `<program> -o <path>` (from `OSTREE_GRUB2_EXEC`
 *   or the `exec` option) with `_OSTREE_GRUB2_BOOTVERSION` (and `_OSTREE_GRUB2_IS_EFI`) set;
 *   the program reads `dirname(path)/entries/*.conf` and writes the file;
 * - `generate` (default): write the file ourselves — a short header plus one `menuentry`
 *   per BLS entry in the `grub2-generate` format;
 * - `bls`: for GRUB builds with the `blscfg` command, a stub that lets GRUB read the BLS
 *   entries itself.
 * BIOS: the file is `boot/loader.N/grub.cfg`, live through `boot/grub{,2}/grub.cfg ->
 * ../loader/grub.cfg`, so the loader swap makes it atomic. EFI (found by `query` under
 * `boot/efi/EFI/<vendor>/grub.cfg`): like ostree, write `grub.cfg.new` beside it, copy the old
 * one to `grub.cfg.old`, and rename over — not atomic on FAT.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import type { Bootloader, BootloaderWriteContext } from './bootloader.js';
import { nodeCommandRunner, type CommandRunner } from './command.js';
import { sortedEntries } from './entries.js';
import { dirname, exists, followLinks, joinPath, replaceFile } from './files.js';
import { grub2MenuEntries, type Grub2MenuOptions } from './grub2-menu.js';

/** ostree's name for the system generator: a program ending in this is `grub2-mkconfig`, not a builtin-protocol generator. */
export const GRUB2_MKCONFIG_SUFFIX = 'grub2-mkconfig';

/** Options of {@link grub2Bootloader}. */
export interface Grub2Options extends Grub2MenuOptions {
  /** How to produce grub.cfg (see the module description). `OSTREE_GRUB2_EXEC` in the environment forces `exec`. */
  readonly mode?: 'generate' | 'exec' | 'bls';
  /** Program for `exec` mode when `OSTREE_GRUB2_EXEC` is unset. */
  readonly exec?: string;
  /** Runs the program (default: Node's child_process). */
  readonly run?: CommandRunner;
  /** `set timeout=` in generated configs (seconds, default 5). */
  readonly timeout?: number;
}

/** The BIOS config paths ostree probes, relative to the sysroot (Debian, then Fedora). */
export const GRUB2_BIOS_CONFIG_PATHS = ['boot/grub/grub.cfg', 'boot/grub2/grub.cfg'] as const;

/** A GRUB 2 backend. `query` also detects EFI mode, as ostree does; explicit selection means BIOS. */
export function grub2Bootloader(options: Grub2Options = {}): Bootloader & { readonly efiConfigPath: () => string | undefined } {
  let efiConfig: string | undefined;
  return {
    name: 'grub2',
    efiConfigPath: () => efiConfig,
    // The EFI path renames over a FAT file: not atomic (as ostree reports it).
    isAtomic: () => efiConfig === undefined,
    async query(fs: Fs, sysroot: string): Promise<boolean> {
      efiConfig = undefined;
      // GLib's query_exists counts a dangling symlink as existing (checked with python3-gi),
      // so ostree does too: the usual `grub.cfg -> ../loader/grub.cfg` selects GRUB even before
      // the first deployment.
      for (const p of GRUB2_BIOS_CONFIG_PATHS) if (await exists(fs, joinPath(sysroot, p), false)) return true;
      efiConfig = await findEfiGrubConfig(fs, sysroot);
      return efiConfig !== undefined;
    },
    async writeConfig(ctx: BootloaderWriteContext): Promise<void> {
      const exec = ctx.env?.['OSTREE_GRUB2_EXEC'] ?? (options.mode === 'exec' ? options.exec : undefined);
      if (options.mode === 'exec' && exec === undefined)
        throw new OstreeError('INVALID_CONFIG', 'grub2 exec mode needs OSTREE_GRUB2_EXEC or the exec option');
      const target = efiConfig === undefined ? joinPath(ctx.sysroot, `boot/loader.${ctx.bootversion}/grub.cfg`) : joinPath(dirname(efiConfig), 'grub.cfg.new');
      if (efiConfig !== undefined) await ctx.fs.removeTree(target);
      if (exec !== undefined) await runGenerator(ctx, exec, target, efiConfig !== undefined, options.run ?? nodeCommandRunner);
      else await replaceFile(ctx.fs, target, options.mode === 'bls' ? blsStub(options) : generatedConfig(ctx, options));
      if (efiConfig !== undefined) await installEfiConfig(ctx.fs, target, efiConfig);
    },
  };
}

/** The first `boot/efi/EFI/<vendor>/grub.cfg` (vendor a directory other than `BOOT`), in directory order. */
async function findEfiGrubConfig(fs: Fs, sysroot: string): Promise<string | undefined> {
  const base = joinPath(sysroot, 'boot/efi/EFI');
  if (!(await exists(fs, base, false))) return undefined;
  for (const name of await fs.readdir(base)) {
    if (name === 'BOOT') continue;
    if ((await fs.lstat(joinPath(base, name))).type !== 'directory') continue;
    const cfg = joinPath(base, name, 'grub.cfg');
    // Here ostree uses access(): a dangling link does not count.
    if (await exists(fs, cfg, true)) return cfg;
  }
  return undefined;
}

async function runGenerator(ctx: BootloaderWriteContext, exec: string, target: string, isEfi: boolean, run: CommandRunner): Promise<void> {
  // For a real grub2-mkconfig on a sysroot other than the running system, ostree chroots into
  // the new deployment so the deployment's own grub.d scripts run. We assume no privileges to
  // do that, and running the host's scripts instead would describe the wrong system.
  if (exec.endsWith(GRUB2_MKCONFIG_SUFFIX) && ctx.sysroot.replace(/\/+$/, '') !== '')
    throw new OstreeError('UNSUPPORTED', `${exec} needs a chroot into the new deployment for sysroot ${ctx.sysroot}; use the generate mode or a generator that reads the BLS entries`);
  const env: Record<string, string | undefined> = { ...ctx.env, _OSTREE_GRUB2_BOOTVERSION: String(ctx.bootversion) };
  if (isEfi) env['_OSTREE_GRUB2_IS_EFI'] = '1';
  const result = await run([exec, '-o', target], env, ctx.env?.['OSTREE_DEBUG_GRUB2'] !== undefined);
  if (result.status !== 0) {
    const how = result.status === null ? `killed by signal ${result.signal ?? '?'}` : `exited with status ${result.status}`;
    throw new OstreeError('IO_ERROR', `${exec}: Child process ${how}`);
  }
  await ctx.fs.fsync(target);
}

/** ostree's EFI sequence: keep a `.old` copy, then replace (not atomic on FAT). */
async function installEfiConfig(fs: Fs, newPath: string, livePath: string): Promise<void> {
  const old = joinPath(dirname(livePath), 'grub.cfg.old');
  await fs.removeTree(old);
  await fs.writeFile(old, await fs.readFile(await followLinks(fs, livePath)));
  await fs.fsync(old);
  await fs.unlink(livePath);
  await fs.rename(newPath, livePath);
  await fs.fsync(dirname(livePath));
}

function header(ctx: BootloaderWriteContext | undefined, options: Grub2Options): string {
  const from = ctx === undefined ? '' : ` from boot/loader.${ctx.bootversion}/entries`;
  return `# Generated by ostree-ts${from}; do not edit.\nset default=0\nset timeout=${options.timeout ?? 5}\n`;
}

/** A self-contained grub.cfg: header, `load_video` (the helper grub-mkconfig would define), menu entries. */
function generatedConfig(ctx: BootloaderWriteContext, options: Grub2Options): string {
  return `${header(ctx, options)}function load_video {\n  insmod all_video\n}\n${grub2MenuEntries(sortedEntries(ctx.entries), options)}`;
}

/** For GRUB with `blscfg`: GRUB reads `/loader/entries` itself. */
function blsStub(options: Grub2Options): string {
  return `${header(undefined, options)}insmod blscfg\nblscfg\n`;
}
