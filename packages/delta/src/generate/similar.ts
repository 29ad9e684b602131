/**
 * Finding, for each new regular file, an old file it probably is a new version of (the
 * source for bsdiff or rollsum). ostree's rules: a source of size within ±30% that shares a
 * basename (first pass: exact name; second pass: the part before the first `.` when both
 * names have one), never the empty file, never `*.xz`/`*.bz2`. Added here, tried first: the
 * file at the same path in the source commit, with any size from half to double.
 * @module
 */
import { checksumFromBytes, isRegularMode } from '@ostree-ts/core';
import type { Repo } from '@ostree-ts/repo';

/** ostree's CONTENT_SIZE_SIMILARITY_THRESHOLD_PERCENT. */
const SIMILARITY_PERCENT = 30;

interface SizeNames {
  readonly checksum: string;
  readonly size: number;
  readonly basenames: string[];
}

/** Every (path, content checksum) of a commit's tree, depth first. */
async function* walkFiles(repo: Repo, commit: string): AsyncIterable<{ path: string; name: string; checksum: string }> {
  const root = (await repo.loadCommit(commit)).rootTree;
  const stack: { tree: string; prefix: string }[] = [{ tree: root, prefix: '/' }];
  while (stack.length > 0) {
    const { tree, prefix } = stack.pop()!;
    const dt = await repo.loadDirTree(tree);
    for (const f of dt.files) yield { path: prefix + f.name, name: f.name, checksum: checksumFromBytes(f.checksum) };
    for (const d of dt.dirs) stack.push({ tree: checksumFromBytes(d.treeChecksum), prefix: `${prefix}${d.name}/` });
  }
}

/**
 * Regular files of a commit by checksum, with sizes and every basename they appear under,
 * plus a path → checksum map. `sizeOf` answers sizes already known.
 */
async function sizeNames(
  repo: Repo,
  commit: string,
  include: ((checksum: string) => boolean) | undefined,
  knownSize: ReadonlyMap<string, number>,
): Promise<{ byChecksum: Map<string, SizeNames>; byPath: Map<string, string> }> {
  const byChecksum = new Map<string, SizeNames>();
  const notRegular = new Set<string>();
  const byPath = new Map<string, string>();
  for await (const f of walkFiles(repo, commit)) {
    if (include !== undefined && !include(f.checksum)) continue;
    if (notRegular.has(f.checksum)) continue;
    let entry = byChecksum.get(f.checksum);
    if (entry === undefined) {
      let size = knownSize.get(f.checksum);
      if (size === undefined) {
        const obj = await repo.loadContent(f.checksum);
        if (!isRegularMode(obj.header.mode)) {
          notRegular.add(f.checksum);
          continue;
        }
        size = obj.size;
      }
      entry = { checksum: f.checksum, size, basenames: [] };
      byChecksum.set(f.checksum, entry);
    }
    entry.basenames.push(f.name);
    byPath.set(f.path, f.checksum);
  }
  return { byChecksum, byPath };
}

function isCandidate(s: SizeNames): boolean {
  if (s.size === 0) return false;
  for (const name of s.basenames) {
    const dot = name.lastIndexOf('.');
    if (dot < 0) continue;
    const ext = name.slice(dot + 1);
    if (ext === 'xz' || ext === 'bz2') return false;
  }
  return true;
}

function namesIntersect(a: readonly string[], b: readonly string[], fuzzy: boolean): boolean {
  for (const x of a) {
    const xd = x.indexOf('.');
    for (const y of b) {
      const yd = y.indexOf('.');
      if (fuzzy && xd > 0 && yd > 0 && xd === yd) {
        if (x.slice(0, xd) === y.slice(0, yd)) return true;
      } else if (x === y) return true;
    }
  }
  return false;
}

/** Options for {@link findSimilarFiles}. */
export interface SimilarOptions {
  /** Also match files at the same path (any size from half to double). Default true. */
  readonly samePath?: boolean;
}

/**
 * Map of new regular file checksum → source checksum in `from`.
 * @param newRegular - new regular files of the target, with their sizes
 */
export async function findSimilarFiles(
  repo: Repo,
  from: string,
  to: string,
  newRegular: ReadonlyMap<string, number>,
  options: SimilarOptions = {},
): Promise<Map<string, string>> {
  const fromInfo = await sizeNames(repo, from, undefined, new Map());
  const toInfo = await sizeNames(repo, to, (c) => newRegular.has(c), newRegular);
  const out = new Map<string, string>();

  if (options.samePath ?? true) {
    for (const [path, toChecksum] of toInfo.byPath) {
      if (out.has(toChecksum)) continue;
      const fromChecksum = fromInfo.byPath.get(path);
      if (fromChecksum === undefined) continue;
      const f = fromInfo.byChecksum.get(fromChecksum);
      const t = toInfo.byChecksum.get(toChecksum)!;
      if (f === undefined || !isCandidate(f) || !isCandidate(t)) continue;
      if (f.size * 2 < t.size || t.size * 2 < f.size) continue;
      out.set(toChecksum, fromChecksum);
    }
  }

  const fromSorted = [...fromInfo.byChecksum.values()].sort((a, b) => a.size - b.size || (a.checksum < b.checksum ? -1 : 1));
  const toSorted = [...toInfo.byChecksum.values()].sort((a, b) => a.size - b.size || (a.checksum < b.checksum ? -1 : 1));
  let lower = 0;
  for (const t of toSorted) {
    if (out.has(t.checksum) || !isCandidate(t)) continue;
    const min = Math.floor(t.size * (1 - SIMILARITY_PERCENT / 100));
    const max = Math.floor(t.size * (1 + SIMILARITY_PERCENT / 100));
    // Targets come in ascending size, so sources below this one's minimum never match again.
    while (lower < fromSorted.length && fromSorted[lower]!.size < min) lower++;
    let found = false;
    for (let fuzzy = 0; fuzzy < 2 && !found; fuzzy++) {
      for (let j = lower; j < fromSorted.length; j++) {
        const f = fromSorted[j]!;
        if (f.size > max) break;
        if (!isCandidate(f)) continue;
        if (!namesIntersect(f.basenames, t.basenames, fuzzy === 1)) continue;
        out.set(t.checksum, f.checksum);
        found = true;
        break;
      }
    }
  }
  return out;
}
