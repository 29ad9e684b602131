/**
 * Listing refs exactly as ostree's _ostree_repo_list_refs_internal does, because `ostree refs`
 * prints the keys it produces: refs/heads recursively, then every remote as `REMOTE:REF`;
 * names that are not valid ref components skipped; with a prefix, the prefix cut off (or not,
 * for `--list`); symlinks (aliases) listed as refs or, with `aliasesOnly`, as alias → target.
 * The result is in GHashTable order, which is what ostree prints.
 * @module
 */
import { join } from 'node:path';
import type { Fs } from '@ostree-ts/io';
import { readdirInOsOrder } from './dir-order.js';
import { errnoOf } from './errno.js';
import { readFileFollowing } from './fs-follow.js';
import { CliError, withErrorPrefix } from './errors.js';
import { hashTableOrder } from './hash-order.js';
import { isValidRefFragment, parseRefspec, validateRemoteName } from './refspec.js';

/** Options for {@link listRefs}. */
export interface ListRefsOptions {
  /** Only refs under this refspec prefix. */
  readonly prefix?: string | undefined;
  /** Strip the prefix from the names (ostree_repo_list_refs); false for list_refs_ext. */
  readonly cutPrefix: boolean;
  /** Only aliases (symlinks), mapped to their target ref. */
  readonly aliasesOnly?: boolean;
}

async function readdirOrEmpty(fs: Fs, path: string): Promise<string[]> {
  try {
    return await readdirInOsOrder(fs, path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return [];
    throw e;
  }
}

async function readRefContents(fs: Fs, path: string): Promise<string> {
  try {
    return new TextDecoder().decode(await readFileFollowing(fs, path)).replace(/[ \t\n\v\f\r]+$/, '');
  } catch (e) {
    throw new CliError(`Opening ${path}: ${(e as Error).message}`, { cause: e });
  }
}

class Lister {
  readonly found = new Map<string, string>();

  constructor(
    readonly fs: Fs,
    readonly aliasesOnly: boolean,
  ) {}

  private add(remote: string | undefined, name: string, value: string): void {
    this.found.set(remote === undefined ? name : `${remote}:${name}`, value);
  }

  /** enumerate_refs_recurse: `dir` on disk, names prefixed with `base`. */
  async walk(remote: string | undefined, dir: string, base: string): Promise<void> {
    for (const name of await readdirOrEmpty(this.fs, dir)) {
      if (!isValidRefFragment(name)) continue;
      const path = join(dir, name);
      const st = await this.fs.lstat(path).catch(() => undefined);
      if (st === undefined) continue;
      if (st.type === 'directory') await this.walk(remote, path, `${base}${name}/`);
      else if (this.aliasesOnly && st.type === 'symlink') {
        let target = await this.fs.readlink(path);
        while (target.startsWith('../')) target = target.slice(3);
        this.add(remote, base + name, target);
      } else if ((!this.aliasesOnly && st.type === 'file') || st.type === 'symlink') {
        this.add(remote, base + name, await readRefContents(this.fs, path));
      }
    }
  }

  async addFile(remote: string | undefined, path: string, name: string): Promise<void> {
    this.add(remote, name, await readRefContents(this.fs, path));
  }
}

/**
 * Refs as ostree lists them: name → checksum (or alias target), in ostree's print order.
 * @throws {CliError} `Listing refs: Invalid refspec X` for a bad prefix
 */
export function listRefs(fs: Fs, repoPath: string, options: ListRefsOptions): Promise<Map<string, string>> {
  return withErrorPrefix('Listing refs', async () => {
    const lister = new Lister(fs, options.aliasesOnly ?? false);
    const prefix = options.prefix;
    if (prefix !== undefined) {
      let remote: string | undefined;
      let refPrefix: string | undefined;
      if (prefix.endsWith(':') || prefix.endsWith(':.')) {
        const r = prefix.slice(0, prefix.lastIndexOf(':'));
        let valid = true;
        try {
          validateRemoteName(r);
        } catch {
          valid = false;
        }
        if (valid) {
          remote = r;
          refPrefix = '.';
        }
      }
      if (refPrefix === undefined) ({ remote, ref: refPrefix } = parseRefspec(prefix));
      const prefixPath = remote === undefined ? join(repoPath, 'refs/heads') : join(repoPath, 'refs/remotes', remote);
      const path = join(prefixPath, refPrefix);
      const st = await fs.stat(path).catch((e: unknown) => {
        if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return undefined;
        throw e;
      });
      if (st?.type === 'directory') {
        await lister.walk(remote, path, options.cutPrefix ? '' : `${refPrefix}/`);
      } else if (st !== undefined) {
        await lister.addFile(remote, path, refPrefix);
      }
    } else {
      await lister.walk(undefined, join(repoPath, 'refs/heads'), '');
      const remotes = join(repoPath, 'refs/remotes');
      for (const r of await readdirOrEmpty(fs, remotes)) {
        const st = await fs.lstat(join(remotes, r)).catch(() => undefined);
        if (st?.type === 'directory') await lister.walk(r, join(remotes, r), '');
      }
    }
    const ordered = new Map<string, string>();
    for (const k of hashTableOrder(lister.found.keys())) ordered.set(k, lister.found.get(k)!);
    return ordered;
  });
}
