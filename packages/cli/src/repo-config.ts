/**
 * Reading and rewriting a repository's `config` the way ostree does: GLib loads it without
 * comments (G_KEY_FILE_NONE), so any change rewrites the file without them.
 * @module
 */
import { join } from 'node:path';
import { KeyFile, KeyFileError } from '@ostree-ts/keyfile';
import type { Repo } from '@ostree-ts/repo';
import { CliError } from './errors.js';

/** A copy of the config as ostree holds it (ostree_repo_copy_config). */
export function copyConfig(repo: Repo): KeyFile {
  return KeyFile.parse(repo.config.toString(), { keepComments: false });
}

/** Replaces `config` atomically (ostree_repo_write_config). */
export async function writeConfig(repo: Repo, config: KeyFile): Promise<void> {
  const tmp = join(repo.tmpDir, `config-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  await repo.fs.writeFile(tmp, new TextEncoder().encode(config.toString()), { mode: 0o644 });
  await repo.fs.rename(tmp, join(repo.path, 'config'));
  repo.config = config;
}

/** GLib's GKeyFileError messages for lookups that fail. */
export function keyFileMessage(e: unknown, group: string, key: string): CliError {
  if (e instanceof KeyFileError) {
    if (e.code === 'KEYFILE_GROUP_NOT_FOUND') return new CliError(`Key file does not have group “${group}”`, { cause: e });
    if (e.code === 'KEYFILE_KEY_NOT_FOUND') return new CliError(`Key file does not have key “${key}” in group “${group}”`, { cause: e });
  }
  return new CliError((e as Error).message, { cause: e });
}
