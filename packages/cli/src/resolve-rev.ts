/**
 * Revision lookup as ostree_repo_resolve_rev does it: a full checksum; a unique prefix of a
 * commit checksum; `REV^` for the parent; `[REMOTE:]REF` read from refs/heads or
 * refs/remotes, falling back to `refs/remotes/REF` and then every remote.
 * @module
 */
import { join } from 'node:path';
import { isChecksum } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import type { Repo } from '@ostree-ts/repo';
import { readdirInOsOrder } from './dir-order.js';
import { errnoOf, strerror } from './errno.js';
import { readFileFollowing } from './fs-follow.js';
import { CliError } from './errors.js';
import { loadCommitOrThrow } from './object-load.js';
import { parseRefspec, validateChecksumArgument } from './refspec.js';

/** Options for {@link resolveRev}. */
export interface ResolveOptions {
  /** Return undefined instead of failing when a ref does not exist. */
  readonly allowNoent?: boolean;
  /** Look in remotes when a local ref is missing (default true; false is resolve_rev_ext). */
  readonly fallbackRemote?: boolean;
}

/** A ref path exists but is a directory (callers writing a ref may replace it). */
export class RefIsDirectoryError extends CliError {}

const decoder = new TextDecoder('utf-8', { fatal: true });

async function readRefFile(fs: Fs, path: string, ref: string): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFileFollowing(fs, path);
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') throw new RefIsDirectoryError(`Couldn't open ref '${ref}': read: Is a directory`, { cause: e });
    throw new CliError(`Couldn't open ref '${ref}': ${strerror(e)}`, { cause: e });
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (cause) {
    throw new CliError(`Couldn't open ref '${ref}': Invalid UTF-8`, { cause });
  }
  const csum = text.replace(/[ \t\n\v\f\r]+$/, '');
  validateChecksumArgument(csum);
  return csum;
}

async function readdirIfExists(fs: Fs, path: string, osOrder = false): Promise<string[]> {
  try {
    return osOrder ? await readdirInOsOrder(fs, path) : await fs.readdir(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return [];
    throw e;
  }
}

/** Commit objects whose checksum starts with `prefix` (loose objects only). */
export async function listCommitsStartingWith(repo: Repo, prefix: string): Promise<string[]> {
  const objects = join(repo.path, 'objects');
  const dirs = prefix.length >= 2 ? [prefix.slice(0, 2)] : (await readdirIfExists(repo.fs, objects)).filter((d) => /^[0-9a-f]{2}$/.test(d) && d.startsWith(prefix));
  const found: string[] = [];
  for (const d of dirs) {
    for (const name of await readdirIfExists(repo.fs, join(objects, d))) {
      if (!name.endsWith('.commit')) continue;
      const csum = d + name.slice(0, -'.commit'.length);
      if (isChecksum(csum) && csum.startsWith(prefix)) found.push(csum);
    }
  }
  return found;
}

async function resolveRefspec(repo: Repo, remote: string | undefined, ref: string, o: Required<ResolveOptions>): Promise<string | undefined> {
  if (isChecksum(ref)) return ref;
  const { fs, path } = repo;
  let csum: string | undefined;
  if (remote !== undefined) {
    csum = await readRefFile(fs, join(path, 'refs/remotes', remote, ref), ref);
  } else {
    csum = await readRefFile(fs, join(path, 'refs/heads', ref), ref);
    if (csum === undefined && o.fallbackRemote) {
      csum = await readRefFile(fs, join(path, 'refs/remotes', ref), ref);
      if (csum === undefined) {
        for (const r of await readdirIfExists(fs, join(path, 'refs/remotes'), true)) {
          const st = await fs.lstat(join(path, 'refs/remotes', r)).catch(() => undefined);
          if (st?.type !== 'directory') continue;
          csum = await readRefFile(fs, join(path, 'refs/remotes', r, ref), ref);
          if (csum !== undefined) break;
        }
      }
    }
  }
  if (csum === undefined && !o.allowNoent) {
    throw new CliError(`Refspec '${remote === undefined ? '' : `${remote}:`}${ref}' not found`);
  }
  return csum;
}

/**
 * Resolves `rev` to a commit checksum.
 * @returns undefined only with `allowNoent` when the ref does not exist
 * @throws {CliError} ostree's messages: `Refspec 'X' not found`, `Refspec X not unique`,
 *   `Invalid refspec X`, `Commit C has no parent`
 */
export async function resolveRev(repo: Repo, rev: string, options: ResolveOptions = {}): Promise<string | undefined> {
  const o: Required<ResolveOptions> = { allowNoent: options.allowNoent ?? false, fallbackRemote: options.fallbackRemote ?? true };
  if (isChecksum(rev)) return rev;
  if (/^[0-9a-f]{0,64}$/.test(rev)) {
    const matches = await listCommitsStartingWith(repo, rev);
    if (matches.length > 1) throw new CliError(`Refspec ${rev} not unique`);
    if (matches.length === 1) return matches[0];
  }
  if (rev.endsWith('^')) {
    const child = await resolveRev(repo, rev.slice(0, -1), o);
    if (child === undefined) return undefined;
    const parent = (await loadCommitOrThrow(repo, child)).parent;
    if (parent === undefined) throw new CliError(`Commit ${child} has no parent`);
    return parent;
  }
  const { remote, ref } = parseRefspec(rev);
  return resolveRefspec(repo, remote, ref, o);
}

/** Resolves a rev that must exist. */
export async function resolveRevRequired(repo: Repo, rev: string): Promise<string> {
  return (await resolveRev(repo, rev))!;
}
