/**
 * Remotes as ostree reads them from the repository config: groups named `remote "NAME"`.
 * (ostree also reads remotes.d/ directories for system repositories; ostree-ts does not.)
 * @module
 */
import type { KeyFile } from '@ostree-ts/keyfile';
import { remoteGroup } from '@ostree-ts/repo';
import { CliError } from './errors.js';

/** Remote names defined in `config`, sorted with strcmp (ostree_repo_remote_list). */
export function remoteNames(config: KeyFile): string[] {
  const names: string[] = [];
  for (const g of config.groups()) {
    const m = /^remote "(.+)"$/s.exec(g);
    if (m !== null) names.push(m[1]!);
  }
  const enc = new TextEncoder();
  return names.sort((a, b) => Buffer.compare(enc.encode(a), enc.encode(b)));
}

/** True if the remote is defined. */
export function hasRemote(config: KeyFile, name: string): boolean {
  return config.hasGroup(remoteGroup(name));
}

/**
 * A remote's URL (ostree_repo_remote_get_url); `file://` names are their own URL.
 * @throws {CliError} `Remote "X" not found`, `No "url" option in remote "X"`
 */
export function remoteUrl(config: KeyFile, name: string): string {
  if (name.startsWith('file://')) return name;
  const group = remoteGroup(name);
  if (!config.hasGroup(group)) throw new CliError(`Remote "${name}" not found`);
  if (!config.hasKey(group, 'url')) throw new CliError(`No "url" option in remote "${name}"`);
  return config.getString(group, 'url');
}
