/**
 * Reading a remote's settings from the repository config (`[remote "NAME"]`): URLs and the
 * verification it requires.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { hasErrorCode, type Fs } from '@ostree-ts/io';
import type { KeyFile } from '@ostree-ts/keyfile';
import { remoteGroup, type Repo } from '@ostree-ts/repo';
import {
  loadSystemTrustedKeys,
  remoteSignVerification,
  type KeyFileReader,
  type SignType,
  type TrustedKeys,
} from '@ostree-ts/sign';

/** Where and how to pull from. */
export interface RemoteSpec {
  /** The remote's name, when pulling from a configured remote. */
  readonly name: string | undefined;
  /** Base URL for summary, config, refs and commit metadata. */
  readonly url: string;
  /** Base URL for the other objects (`contenturl`, default `url`). */
  readonly contentUrl: string;
  /** The remote's `collection-id`: commits must carry the matching collection binding. */
  readonly collectionId?: string;
  /** `sign-verify`: commits must carry a signature that verifies with these keys. */
  readonly commitVerification?: Verification;
  /** `sign-verify-summary`: `summary.sig` must verify the summary with these keys. */
  readonly summaryVerification?: Verification;
}

/** Signature types to accept and the keys to trust. */
export interface Verification {
  readonly types: readonly SignType[];
  readonly keys: TrustedKeys;
}

/** The system trust store (`/etc/ostree`, `/usr/share/ostree`) read through the repo's Fs. */
function fsKeyReader(fs: Fs): KeyFileReader {
  return {
    async readText(path) {
      const st = await fs.lstatIfExists(path);
      if (st === undefined || st.type !== 'file') return undefined;
      return new TextDecoder().decode(await fs.readFile(path));
    },
    async list(path) {
      try {
        return await fs.readdir(path);
      } catch (e) {
        if (hasErrorCode(e, 'ENOENT') || hasErrorCode(e, 'ENOTDIR')) return undefined;
        throw e;
      }
    },
  };
}

/** Reads `sign-verify` / `sign-verify-summary` and the remote's keys (ostree's rules). */
async function signVerification(repo: Repo, group: string, key: 'sign-verify' | 'sign-verify-summary'): Promise<Verification | undefined> {
  const kf = repo.config;
  const value = kf.hasKey(group, key) ? kf.getValue(group, key).trim() : undefined;
  const ed25519Key = kf.hasKey(group, 'verification-ed25519-key') ? kf.getValue(group, 'verification-ed25519-key') : undefined;
  let ed25519File: string | undefined;
  let ed25519FileName: string | undefined;
  if (kf.hasKey(group, 'verification-ed25519-file')) {
    ed25519FileName = kf.getValue(group, 'verification-ed25519-file');
    try {
      ed25519File = new TextDecoder().decode(await repo.fs.readFile(ed25519FileName));
    } catch (cause) {
      throw new OstreeError('INVALID_CONFIG', `Failed loading 'ed25519' keys from '${ed25519FileName}'`, { cause });
    }
  }
  const v = remoteSignVerification(value, {
    ...(ed25519Key !== undefined ? { ed25519Key } : {}),
    ...(ed25519File !== undefined ? { ed25519File } : {}),
    ...(ed25519FileName !== undefined ? { ed25519FileName } : {}),
  });
  if (v === undefined) return undefined;
  // The dummy signer is a test device: never trusted by a pull.
  const types = v.types.filter((t) => t !== 'dummy');
  let keys = v.keys;
  if (v.needsSystemKeys) {
    const system = await loadSystemTrustedKeys(fsKeyReader(repo.fs));
    keys = { ...keys, ed25519: [...(keys.ed25519 ?? []), ...(system.ed25519 ?? [])], revokedEd25519: [...(keys.revokedEd25519 ?? []), ...(system.revokedEd25519 ?? [])] };
  }
  if (types.length === 0) throw new OstreeError('UNSUPPORTED', `No usable signature type in ${key}=${value ?? ''}`);
  return { types, keys };
}

/** Reads an ostree boolean key with a default (INVALID_CONFIG when malformed). */
export function configBoolean(kf: KeyFile, group: string, key: string, fallback: boolean): boolean {
  if (!kf.hasKey(group, key)) return fallback;
  try {
    return kf.getBoolean(group, key);
  } catch (cause) {
    throw new OstreeError('INVALID_CONFIG', `Invalid boolean ${key} for ${group}`, { cause });
  }
}

/**
 * The remote to pull from: `url` (and `contenturl`) from the config of `name`, unless `url`
 * overrides it. Remotes wanting GPG verification are refused (not implemented, and pulling
 * them unverified would silently weaken security).
 */
export async function resolveRemote(repo: Repo, name: string | undefined, urlOverride: string | undefined): Promise<RemoteSpec> {
  const kf = repo.config;
  let url: string;
  let contentUrl: string;
  if (name === undefined) {
    if (urlOverride === undefined) throw new OstreeError('INVALID_ARGUMENT', 'pull needs a remote or a url');
    return { name, url: urlOverride, contentUrl: urlOverride };
  }
  const group = remoteGroup(name);
  if (!kf.hasGroup(group)) throw new OstreeError('REF_NOT_FOUND', `Remote "${name}" not found`);
  if (kf.hasKey(group, 'unconfigured-state')) {
    throw new OstreeError('INVALID_CONFIG', `remote unconfigured-state: ${kf.getValue(group, 'unconfigured-state')}`);
  }
  if (urlOverride !== undefined) {
    url = urlOverride;
    contentUrl = urlOverride;
  } else {
    if (!kf.hasKey(group, 'url')) throw new OstreeError('INVALID_CONFIG', `No "url" option in remote "${name}"`);
    url = kf.getValue(group, 'url');
    contentUrl = kf.hasKey(group, 'contenturl') ? kf.getValue(group, 'contenturl') : url;
  }
  for (const u of [url, contentUrl]) {
    if (u.startsWith('mirrorlist=')) throw new OstreeError('UNSUPPORTED', `mirrorlist URLs are not supported yet (remote "${name}")`);
  }
  if (configBoolean(kf, group, 'gpg-verify', true) || configBoolean(kf, group, 'gpg-verify-summary', false)) {
    throw new OstreeError('UNSUPPORTED', `GPG verification is not implemented; remote "${name}" needs gpg-verify=false`);
  }
  const commitVerification = await signVerification(repo, group, 'sign-verify');
  const summaryVerification = await signVerification(repo, group, 'sign-verify-summary');
  const collectionId = kf.hasKey(group, 'collection-id') ? kf.getValue(group, 'collection-id').trim() : '';
  return {
    name,
    url,
    contentUrl,
    ...(collectionId !== '' ? { collectionId } : {}),
    ...(commitVerification !== undefined ? { commitVerification } : {}),
    ...(summaryVerification !== undefined ? { summaryVerification } : {}),
  };
}

/** The local path of a `file://` URL, or undefined for other schemes. */
export function fileUrlPath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new OstreeError('INVALID_CONFIG', `Invalid URL '${url}'`, { cause });
  }
  return decodeURIComponent(u.pathname);
}
