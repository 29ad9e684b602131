/**
 * Moving, deleting and aliasing refs with ostree's checks and messages
 * (ostree_repo_set_ref_immediate, ostree_repo_set_alias_ref_immediate).
 * @module
 */
import { dirname, join } from 'node:path';
import { isChecksum } from '@ostree-ts/core';
import type { Repo } from '@ostree-ts/repo';
import { errnoOf } from './errno.js';
import { CliError } from './errors.js';
import { listRefs } from './ref-listing.js';
import { validateChecksumArgument, validateRefName, validateRemoteName } from './refspec.js';

function refsDir(repo: Repo, remote: string | undefined): string {
  return remote === undefined ? join(repo.path, 'refs/heads') : join(repo.path, 'refs/remotes', remote);
}

// The repository's mtime tells clients its refs changed (_ostree_repo_update_mtime).
async function touchRepo(repo: Repo): Promise<void> {
  const now = Date.now();
  await repo.fs.lutimes(repo.path, now, now);
}

// write_checksum_file_at: a directory in the way is replaced if no ref lives under it.
async function clearDirectoryInTheWay(repo: Repo, remote: string | undefined, ref: string): Promise<void> {
  const path = join(refsDir(repo, remote), ref);
  const st = await repo.fs.lstatIfExists(path);
  if (st?.type !== 'directory') return;
  const refs = await listRefs(repo.fs, repo.path, { prefix: ref, cutPrefix: true });
  for (const name of refs.keys()) {
    if (name !== ref) throw new CliError(`Conflict: ${name} exists under ${ref} when attempting write`);
  }
  await repo.fs.removeTree(path);
}

/**
 * Points `[remote:]ref` at `checksum`, or deletes it when `checksum` is undefined.
 * @throws {CliError} ostree's validation messages
 */
export async function setRef(repo: Repo, remote: string | undefined, ref: string, checksum: string | undefined): Promise<void> {
  if (remote !== undefined) validateRemoteName(remote);
  validateRefName(ref);
  if (checksum === undefined) {
    try {
      await repo.fs.unlink(join(refsDir(repo, remote), ref));
    } catch (e) {
      const code = errnoOf(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    }
  } else {
    validateChecksumArgument(checksum);
    if (isChecksum(ref)) throw new CliError(`Rev name '${ref}' looks like a checksum`);
    await clearDirectoryInTheWay(repo, remote, ref);
    await repo.setRef({ remote, ref }, checksum);
  }
  await touchRepo(repo);
}

/** `../` once per directory level of `ref`, then `target` (relative_symlink_to). */
function relativeSymlinkTo(ref: string, target: string): string {
  return '../'.repeat(ref.split('/').length - 1) + target;
}

/** Makes local ref `ref` a symlink to local ref `target` (an alias). */
export async function setAlias(repo: Repo, ref: string, target: string): Promise<void> {
  validateRefName(ref);
  const path = join(repo.path, 'refs/heads', ref);
  await repo.fs.mkdir(dirname(path), { recursive: true, mode: 0o775 });
  const tmp = join(repo.tmpDir, `alias-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  await repo.fs.symlink(relativeSymlinkTo(ref, target), tmp);
  await repo.fs.rename(tmp, path);
  await touchRepo(repo);
}
