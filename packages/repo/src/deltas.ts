/**
 * Finding the static deltas stored in a repository (`deltas/XX/REST/superblock`), for the
 * summary, delta indexes and prune. Generating and applying deltas live in @ostree-ts/delta.
 * @module
 */
import { parseDeltaDirectory, type DeltaName } from '@ostree-ts/core';
import { hasErrorCode } from '@ostree-ts/io';
import { joinPath } from './path.js';
import type { Repo } from './repo.js';

/** Every delta that has a superblock, in directory order. */
export async function listDeltas(repo: Repo): Promise<DeltaName[]> {
  const base = joinPath(repo.path, 'deltas');
  let prefixes: string[];
  try {
    prefixes = await repo.fs.readdir(base);
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT')) return [];
    throw e;
  }
  const out: DeltaName[] = [];
  for (const prefix of prefixes.sort()) {
    if (prefix.length !== 2) continue;
    for (const rest of (await repo.fs.readdir(joinPath(base, prefix))).sort()) {
      let name: DeltaName;
      try {
        name = parseDeltaDirectory(prefix, rest);
      } catch {
        continue; // not a delta directory
      }
      if ((await repo.fs.lstatIfExists(joinPath(base, prefix, rest, 'superblock'))) !== undefined) out.push(name);
    }
  }
  return out;
}
