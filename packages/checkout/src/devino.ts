/**
 * The (device, inode) → checksum cache that lets a commit of a hardlink checkout skip
 * re-reading every file (`ostree commit --link-checkout-speedup`, libostree's
 * `OstreeRepoDevInoCache`).
 * @module
 */
import { isChecksum } from '@ostree-ts/core';
import type { Stat } from '@ostree-ts/io';
import { joinPath, type Repo } from '@ostree-ts/repo';
import { Limiter } from '@ostree-ts/repo';

/** One entry of a {@link DevinoCache}. */
export interface DevinoEntry {
  readonly dev: bigint;
  readonly ino: bigint;
  /** Content checksum of the object the inode belongs to. */
  readonly checksum: string;
}

/**
 * Maps a file's (st_dev, st_ino) to the checksum of the repository object it is a hardlink
 * of. Filled by {@link checkout} (option `devinoCache`) for every file it hardlinks, or by
 * {@link scanHardlinks}; read by a commit with {@link devinoLookup}.
 */
export class DevinoCache {
  readonly #map = new Map<string, string>();

  /** Records that the inode (`dev`, `ino`) holds the content object `checksum`. */
  add(dev: bigint, ino: bigint, checksum: string): void {
    this.#map.set(`${dev}:${ino}`, checksum);
  }

  /** The checksum recorded for (`dev`, `ino`), if any. */
  get(dev: bigint, ino: bigint): string | undefined {
    return this.#map.get(`${dev}:${ino}`);
  }

  /** Number of inodes recorded. */
  get size(): number {
    return this.#map.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.#map.clear();
  }

  /** Every entry, in insertion order. */
  *[Symbol.iterator](): IterableIterator<DevinoEntry> {
    for (const [key, checksum] of this.#map) {
      const colon = key.indexOf(':');
      yield { dev: BigInt(key.slice(0, colon)), ino: BigInt(key.slice(colon + 1)), checksum };
    }
  }
}

/**
 * The checksum of the object a file is a hardlink of, from its lstat, or `undefined` when the
 * inode is not in the cache (or there is no cache). This is what a commit calls for every
 * regular file and symlink before reading it.
 */
export function devinoLookup(cache: DevinoCache | undefined, stat: Pick<Stat, 'dev' | 'ino'>): string | undefined {
  return cache?.get(stat.dev, stat.ino);
}

/**
 * Fills a cache with every loose content object of `repo` (libostree's
 * `ostree_repo_scan_hardlinks`, used by `ostree commit --link-checkout-speedup`): a file of a
 * checkout that is still a hardlink into the repo then resolves to its checksum. Archive
 * repos are scanned in `uncompressed-objects-cache/` as well, as ostree does.
 * @param cache - cache to add to (default: a new one)
 */
export async function scanHardlinks(repo: Repo, cache: DevinoCache = new DevinoCache(), concurrency = 16): Promise<DevinoCache> {
  const fs = repo.fs;
  const limiter = new Limiter(concurrency);
  const scanRoot = async (root: string): Promise<void> => {
    let prefixes: string[];
    try {
      prefixes = await fs.readdir(root);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ENOENT') return;
      throw e;
    }
    await Promise.all(
      prefixes
        .filter((p) => p.length === 2)
        .map(async (prefix) => {
          const dir = joinPath(root, prefix);
          const names = await limiter.run(() => fs.readdir(dir));
          await Promise.all(
            names.map(async (name) => {
              if (!name.endsWith('.file') || name.length !== 62 + '.file'.length) return;
              const checksum = prefix + name.slice(0, 62);
              if (!isChecksum(checksum)) return;
              const st = await limiter.run(() => fs.lstat(joinPath(dir, name)));
              cache.add(st.dev, st.ino, checksum);
            }),
          );
        }),
    );
  };
  if (repo.mode === 'archive') await scanRoot(joinPath(repo.path, 'uncompressed-objects-cache'));
  await scanRoot(joinPath(repo.path, 'objects'));
  return cache;
}
