/**
 * Reading a remote's settings from the repository config (`[remote "NAME"]`): URLs and the
 * verification it requires.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { KeyFile } from '@ostree-ts/keyfile';
import { remoteGroup, type Repo } from '@ostree-ts/repo';

/** Where and how to pull from. */
export interface RemoteSpec {
  /** The remote's name, when pulling from a configured remote. */
  readonly name: string | undefined;
  /** Base URL for summary, config, refs and commit metadata. */
  readonly url: string;
  /** Base URL for the other objects (`contenturl`, default `url`). */
  readonly contentUrl: string;
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
export function resolveRemote(repo: Repo, name: string | undefined, urlOverride: string | undefined): RemoteSpec {
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
  for (const key of ['sign-verify', 'sign-verify-summary']) {
    if (kf.hasKey(group, key) && !['false', '0'].includes(kf.getValue(group, key).trim())) {
      throw new OstreeError('UNSUPPORTED', `signature verification (${key}) is not implemented (remote "${name}")`);
    }
  }
  return { name, url, contentUrl };
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
