/**
 * Checkout options, one field per `ostree checkout` flag, and their validation with
 * ostree's own rules and messages.
 * @module
 */
import { OstreeError, type RepoMode } from '@ostree-ts/core';
import type { Fs, Stat } from '@ostree-ts/io';
import type { DevinoCache } from './devino.js';

/** What a {@link CheckoutFilter} decides for one path. */
export type CheckoutFilterResult = 'allow' | 'skip';

/**
 * Called for every directory and file before it is checked out (libostree's
 * `OstreeRepoCheckoutFilter`). `path` is relative to the checkout root and starts with `/`;
 * directories end with `/` (the root is `/`), exactly as ostree passes them. `stat` carries
 * the object's `mode`, `uid` and `gid` (and `size` for files).
 */
export type CheckoutFilter = (path: string, stat: Pick<Stat, 'mode' | 'uid' | 'gid' | 'size'>) => CheckoutFilterResult;

/**
 * Options of {@link checkout}. The first group maps 1:1 to `ostree checkout` flags and has
 * their exact semantics (including which combinations ostree refuses and the messages it
 * gives); the second group exposes libostree-only settings.
 */
export interface CheckoutOptions {
  /** `-U, --user-mode`: do not change file ownership or set extended attributes; strip setuid/setgid from copies. Forced on for bare-user-only repositories. */
  readonly userMode?: boolean;
  /** `--disable-cache`: never use or fill the repository's `uncompressed-objects-cache` (archive repos, user mode). */
  readonly disableCache?: boolean;
  /** `--subpath=PATH`: check out this path of the commit (a directory, or a single file). Resolved exactly as ostree does. */
  readonly subpath?: string;
  /** `--union`: keep existing directories, overwrite existing files. */
  readonly union?: boolean;
  /** `--union-add`: keep existing files and directories, only add new ones. */
  readonly unionAdd?: boolean;
  /** `--union-identical`: like `unionAdd`, but fail if an existing file differs. Requires `requireHardlinks`. */
  readonly unionIdentical?: boolean;
  /** `--whiteouts`: process Docker/OCI whiteouts (`.wh.NAME` deletes NAME, `.wh..wh..opq` empties the directory). */
  readonly whiteouts?: boolean;
  /** `--process-passthrough-whiteouts`: overlayfs `.ostree-wh.NAME` → char device 0:0. Needs mknod, which the `Fs` interface lacks: such an entry fails with `UNSUPPORTED`. */
  readonly processPassthroughWhiteouts?: boolean;
  /** `--allow-noent`: do nothing if `subpath` does not exist. As in ostree, only honoured when no option other than `userMode`, `union`, `subpath`, `fsync` is set. */
  readonly allowNoent?: boolean;
  /** `--fsync=POLICY`: `false` disables fsync; in ostree 2022.7 this only affects objects written to the uncompressed-objects cache. */
  readonly fsync?: boolean;
  /** `-H, --require-hardlinks`: fail instead of copying when a file cannot be hardlinked. */
  readonly requireHardlinks?: boolean;
  /** `-z, --force-copy-zerosized` (hidden in ostree): accepted; zero-sized files are always copied anyway. */
  readonly forceCopyZerosized?: boolean;
  /** `-C, --force-copy`: never hardlink (copies are reflinked when the filesystem can). */
  readonly forceCopy?: boolean;
  /** `-M, --bareuseronly-dirs`: give directories `mode & 0775` (no suid, sticky or world-writable). */
  readonly bareuseronlyDirs?: boolean;
  /** `--skip-list=FILE`: the file's lines; an entry equal to a path (see {@link CheckoutFilter}) skips it. */
  readonly skipList?: Iterable<string>;
  /** `--selinux-policy=PATH`: not supported (fails with `UNSUPPORTED` after ostree's own checks). */
  readonly selinuxPolicy?: string;
  /** `--selinux-prefix=PREFIX`: only valid with `selinuxPolicy`. */
  readonly selinuxPrefix?: string;

  /** libostree `filter`: skip paths programmatically (applied after `skipList`). */
  readonly filter?: CheckoutFilter;
  /** libostree `devino_to_csum_cache`: filled with (device, inode) → checksum for every file hardlinked from the repo. */
  readonly devinoCache?: DevinoCache;
  /** libostree `enable_fsync`: fsync every copied file and every directory (the CLI never sets it). */
  readonly enableFsync?: boolean;
  /** Filesystem operations in flight at once (default 24). */
  readonly concurrency?: number;
  /** Filesystem of the destination (default: the repository's). A different one rules out hardlinks. */
  readonly destinationFs?: Fs;
}

/** How existing destination entries are treated (libostree's OstreeRepoCheckoutOverwriteMode). */
export type OverwriteMode = 'none' | 'union-files' | 'add-files' | 'union-identical';

/** Options after validation, as the checkout engine uses them. @internal */
export interface ResolvedOptions {
  readonly userMode: boolean;
  readonly overwrite: OverwriteMode;
  readonly subpath: string;
  readonly processWhiteouts: boolean;
  readonly passthroughWhiteouts: boolean;
  /** ostree's legacy `ostree_repo_checkout_tree` path: uses the uncompressed cache and honours `--allow-noent`. */
  readonly legacy: boolean;
  readonly allowNoent: boolean;
  readonly noCopyFallback: boolean;
  readonly forceCopy: boolean;
  readonly bareuseronlyDirs: boolean;
  readonly enableUncompressedCache: boolean;
  readonly cacheFsync: boolean;
  readonly enableFsync: boolean;
  readonly filter: ((path: string, stat: Pick<Stat, 'mode' | 'uid' | 'gid' | 'size'>) => boolean) | undefined;
  readonly devinoCache: DevinoCache | undefined;
  readonly concurrency: number;
}

const fail = (message: string): never => {
  throw new OstreeError('INVALID_ARGUMENT', message);
};

/**
 * Validates options the way `ostree checkout` does and resolves them for a repository mode.
 * ostree takes its "legacy" code path (`ostree_repo_checkout_tree`) unless one of
 * `disableCache`, `whiteouts`, `requireHardlinks`, `unionAdd`, `forceCopy`,
 * `forceCopyZerosized`, `bareuseronlyDirs`, `unionIdentical`, `skipList`, `selinuxPolicy`,
 * `selinuxPrefix`, `processPassthroughWhiteouts` is given; only the other path checks the
 * flag combinations, so e.g. `union` + `allowNoent` is fine but `union` + `unionAdd` is not.
 * @throws {OstreeError} INVALID_ARGUMENT with ostree's message for a refused combination;
 *   UNSUPPORTED for SELinux labeling
 */
export function resolveCheckoutOptions(options: CheckoutOptions, repoMode: RepoMode): ResolvedOptions {
  const skipList = options.skipList === undefined ? undefined : new Set(options.skipList);
  const legacy = !(
    options.disableCache ||
    options.whiteouts ||
    options.requireHardlinks ||
    options.unionAdd ||
    options.forceCopy ||
    options.forceCopyZerosized ||
    options.bareuseronlyDirs ||
    options.unionIdentical ||
    skipList !== undefined ||
    options.selinuxPolicy !== undefined ||
    options.selinuxPrefix !== undefined ||
    options.processPassthroughWhiteouts
  );
  let overwrite: OverwriteMode = 'none';
  let forceCopy = !!options.forceCopy;
  if (legacy) {
    if (options.union) overwrite = 'union-files';
  } else {
    if (options.selinuxPolicy !== undefined) forceCopy = true;
    if (options.union && options.unionAdd) fail('Cannot specify both --union and --union-add');
    if (options.union && options.unionIdentical) fail('Cannot specify both --union and --union-identical');
    if (options.unionAdd && options.unionIdentical) fail('Cannot specify both --union-add and --union-identical');
    if (options.requireHardlinks && forceCopy) fail('Cannot specify both --require-hardlinks and --force-copy');
    if (options.selinuxPrefix !== undefined && options.selinuxPolicy === undefined) {
      fail('Cannot specify --selinux-prefix without --selinux-policy');
    } else if (options.union) overwrite = 'union-files';
    else if (options.unionAdd) overwrite = 'add-files';
    else if (options.unionIdentical) {
      if (!options.requireHardlinks) fail('--union-identical requires --require-hardlinks');
      overwrite = 'union-identical';
    }
    if (options.selinuxPolicy !== undefined) {
      throw new OstreeError('UNSUPPORTED', 'SELinux labeling (--selinux-policy) is not supported by ostree-ts');
    }
  }
  const userFilter = options.filter;
  let filter: ResolvedOptions['filter'];
  if (skipList !== undefined || userFilter !== undefined) {
    filter = (path, stat) => !(skipList?.has(path) || (userFilter !== undefined && userFilter(path, stat) === 'skip'));
  }
  const concurrency = options.concurrency ?? 24;
  if (!Number.isInteger(concurrency) || concurrency < 1) fail(`concurrency must be a positive integer, not ${concurrency}`);
  return {
    // ostree forces user mode for bare-user-only repositories: nothing else makes sense.
    userMode: !!options.userMode || repoMode === 'bare-user-only',
    overwrite,
    subpath: options.subpath ?? '/',
    processWhiteouts: !legacy && !!options.whiteouts,
    passthroughWhiteouts: !legacy && !!options.processPassthroughWhiteouts,
    legacy,
    allowNoent: legacy && !!options.allowNoent,
    noCopyFallback: !legacy && !!options.requireHardlinks,
    forceCopy,
    bareuseronlyDirs: !legacy && !!options.bareuseronlyDirs,
    // The legacy path enables the cache; the other never does (whatever --disable-cache says).
    enableUncompressedCache: legacy,
    cacheFsync: options.fsync !== false,
    enableFsync: !!options.enableFsync,
    filter,
    devinoCache: options.devinoCache,
    concurrency,
  };
}
