/**
 * The repository `config` keyfile (spec §3.2): `[core]` settings and `[remote "NAME"]` groups.
 * @module
 */
import { OstreeError, type RepoMode } from '@ostree-ts/core';
import { KeyFile } from '@ostree-ts/keyfile';

/** `core.mode` spellings and the mode each means. `archive-z2` is what ostree writes. */
const MODE_NAMES: Record<string, RepoMode> = {
  bare: 'bare',
  'bare-user': 'bare-user',
  'bare-user-only': 'bare-user-only',
  archive: 'archive',
  'archive-z2': 'archive',
  'bare-split-xattrs': 'bare-split-xattrs',
};

/** Parses a mode name as `ostree init --mode=` and `core.mode` accept it. */
export function parseRepoMode(name: string): RepoMode {
  const mode = MODE_NAMES[name];
  if (mode === undefined) throw new OstreeError('INVALID_CONFIG', `Invalid mode '${name}' in repository configuration`);
  return mode;
}

/** The name written to `core.mode` for a mode (ostree writes `archive-z2` for archive). */
export function repoModeConfigName(mode: RepoMode): string {
  return mode === 'archive' ? 'archive-z2' : mode;
}

/** Settings ostree-ts reads from `config`, with ostree's defaults. */
export interface CoreSettings {
  readonly mode: RepoMode;
  /** `core.fsync` (default true): sync the filesystem before refs move. */
  readonly fsync: boolean;
  /** `core.disable-xattrs` (default false). */
  readonly disableXattrs: boolean;
  /** `core.tombstone-commits` (default false). */
  readonly tombstoneCommits: boolean;
  /** `core.collection-id`, if any. */
  readonly collectionId: string | undefined;
  /** `[archive] zlib-level`, clamped to 1–9 (default 6). */
  readonly zlibLevel: number;
}

function optionalBoolean(kf: KeyFile, group: string, key: string, fallback: boolean): boolean {
  if (!kf.hasKey(group, key)) return fallback;
  try {
    return kf.getBoolean(group, key);
  } catch (cause) {
    throw new OstreeError('INVALID_CONFIG', `Invalid boolean ${group}.${key} in repository configuration`, { cause });
  }
}

/**
 * Reads the `[core]` settings from a parsed config.
 * @throws {OstreeError} INVALID_CONFIG on a missing/unsupported repo_version, an unknown mode, or legacy archive=true
 */
export function readCoreSettings(kf: KeyFile): CoreSettings {
  if (!kf.hasGroup('core')) throw new OstreeError('INVALID_CONFIG', 'Missing [core] group in repository configuration');
  const version = kf.hasKey('core', 'repo_version') ? kf.getValue('core', 'repo_version') : undefined;
  if (version !== '1') throw new OstreeError('INVALID_CONFIG', `Invalid repository version '${version ?? ''}'`);
  if (optionalBoolean(kf, 'core', 'archive', false)) {
    throw new OstreeError('INVALID_CONFIG', 'This version of OSTree no longer supports "archive" repositories; use archive-z2 instead');
  }
  const mode = parseRepoMode(kf.hasKey('core', 'mode') ? kf.getValue('core', 'mode') : 'bare');
  let zlibLevel = 6;
  if (kf.hasKey('archive', 'zlib-level')) {
    const n = Number.parseInt(kf.getValue('archive', 'zlib-level'), 10);
    if (Number.isFinite(n)) zlibLevel = Math.min(9, Math.max(1, n));
  }
  return {
    mode,
    fsync: optionalBoolean(kf, 'core', 'fsync', true),
    disableXattrs: optionalBoolean(kf, 'core', 'disable-xattrs', false),
    tombstoneCommits: optionalBoolean(kf, 'core', 'tombstone-commits', false),
    collectionId: kf.hasKey('core', 'collection-id') ? kf.getValue('core', 'collection-id') : undefined,
    zlibLevel,
  };
}

/** The config `ostree init` writes: repo_version, mode, and collection-id if given. */
export function initialConfig(mode: RepoMode, collectionId?: string): KeyFile {
  const kf = new KeyFile();
  kf.setValue('core', 'repo_version', '1');
  kf.setValue('core', 'mode', repoModeConfigName(mode));
  if (collectionId !== undefined) kf.setValue('core', 'collection-id', collectionId);
  return kf;
}

/** The keyfile group name of a remote. */
export function remoteGroup(name: string): string {
  return `remote "${name}"`;
}
