/**
 * `--subpath` resolution inside a commit, reproducing OstreeRepoFile's rules exactly:
 * one leading `/` is dropped, each component keeps at most one trailing `/` stripped, an
 * absolute remainder restarts from the root (`d//e` is `/e`), `.` and `..` are plain names
 * (never found), and a trailing `/` after a file is "Not a directory".
 * @module
 */
import { OstreeError, checksumFromBytes, compareUtf8, type DirTree } from '@ostree-ts/core';

/** What a subpath names. @internal */
export type SubpathTarget =
  | { readonly kind: 'dir'; readonly name: string; readonly tree: string; readonly meta: string }
  | { readonly kind: 'file'; readonly name: string; readonly checksum: string }
  | { readonly kind: 'missing'; readonly message: string };

/** The chain of names (from the root) GFile resolution builds for `subpath`. @internal */
export function subpathComponents(subpath: string): string[] {
  const resolve = (chain: readonly string[], rel: string): string[] => {
    if (rel.startsWith('/')) {
      if (rel === '/') return [];
      // An absolute remainder below the root restarts from the root.
      if (chain.length > 0) return resolve([], rel.slice(1));
      rel = rel.slice(1);
    }
    const slash = rel.indexOf('/');
    let name = slash >= 0 ? rel.slice(0, slash + 1) : rel;
    if (name.endsWith('/')) name = name.slice(0, -1);
    const child = [...chain, name];
    return slash < 0 ? child : resolve(child, rel.slice(slash + 1));
  };
  return resolve([], subpath);
}

function lookup<T extends { readonly name: string }>(entries: readonly T[], name: string): T | undefined {
  // Entries are sorted bytewise and unique (decodeDirTree checks): binary search like ostree.
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareUtf8(entries[mid]!.name, name);
    if (c === 0) return entries[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * Resolves `subpath` from the commit's root tree. A missing component is reported as
 * `missing` with ostree's message (`No such file or directory: /a/b`) so `--allow-noent` can
 * accept it; a file used as a directory throws.
 * @throws {OstreeError} INVALID_ARGUMENT "Not a directory"
 */
export async function resolveSubpath(
  rootTree: string,
  rootMeta: string,
  subpath: string,
  loadTree: (checksum: string) => Promise<DirTree>,
): Promise<SubpathTarget> {
  const chain = subpathComponents(subpath);
  let current: SubpathTarget = { kind: 'dir', name: '/', tree: rootTree, meta: rootMeta };
  for (let i = 0; i < chain.length; i++) {
    if (current.kind !== 'dir') throw new OstreeError('INVALID_ARGUMENT', 'Not a directory');
    const name = chain[i]!;
    const tree = await loadTree(current.tree);
    const file = lookup(tree.files, name);
    if (file !== undefined) {
      current = { kind: 'file', name, checksum: checksumFromBytes(file.checksum) };
      continue;
    }
    const dir = lookup(tree.dirs, name);
    if (dir === undefined) return { kind: 'missing', message: `No such file or directory: /${chain.slice(0, i + 1).join('/')}` };
    current = { kind: 'dir', name, tree: checksumFromBytes(dir.treeChecksum), meta: checksumFromBytes(dir.metaChecksum) };
  }
  return current;
}
