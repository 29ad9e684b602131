/**
 * dirtree objects `(a(say)a(sayay))`: a directory listing, files then subdirectories, each
 * sorted by name bytewise (spec §2.3). Checksums stay as zero-copy byte views.
 * @module
 */
import { codec } from '@ostree-ts/gvariant';
import { CHECKSUM_BYTES } from '../checksum.js';
import { OstreeError } from '../errors.js';
import { fileNameProblem } from '../names.js';
import { compareUtf8 } from '../utf8-order.js';
import { decodeWith, type ObjectDecodeOptions } from './gvariant-object.js';

/** GVariant type of a dirtree object. */
export const DIRTREE_TYPE = '(a(say)a(sayay))';
const dirtreeCodec = codec(DIRTREE_TYPE);

/** A file (regular or symlink) entry: its name and content-object checksum (32 bytes). */
export interface DirTreeFile {
  readonly name: string;
  readonly checksum: Uint8Array;
}

/** A subdirectory entry: its name, dirtree checksum and dirmeta checksum (32 bytes each). */
export interface DirTreeDir {
  readonly name: string;
  readonly treeChecksum: Uint8Array;
  readonly metaChecksum: Uint8Array;
}

/** A directory listing. */
export interface DirTree {
  readonly files: readonly DirTreeFile[];
  readonly dirs: readonly DirTreeDir[];
}

/**
 * Why `tree` is not a valid dirtree, or `undefined`. Checks every name (no `..`, `/`, …), the
 * checksum lengths, the sort order, and that no name is both a file and a directory: a hostile
 * tree must be refused before anything is written from it.
 */
export function dirTreeProblem(tree: DirTree): string | undefined {
  const check = (names: readonly string[], kind: string): string | undefined => {
    for (let i = 0; i < names.length; i++) {
      const p = fileNameProblem(names[i]!);
      if (p !== undefined) return p;
      if (i > 0 && compareUtf8(names[i - 1]!, names[i]!) >= 0) {
        return `${kind} entries not sorted or duplicated at ${JSON.stringify(names[i])}`;
      }
    }
    return undefined;
  };
  for (const f of tree.files) if (f.checksum.length !== CHECKSUM_BYTES) return `bad checksum length for ${JSON.stringify(f.name)}`;
  for (const d of tree.dirs) {
    if (d.treeChecksum.length !== CHECKSUM_BYTES || d.metaChecksum.length !== CHECKSUM_BYTES) {
      return `bad checksum length for ${JSON.stringify(d.name)}`;
    }
  }
  const fileNames = tree.files.map((f) => f.name);
  const dirNames = tree.dirs.map((d) => d.name);
  const problem = check(fileNames, 'file') ?? check(dirNames, 'directory');
  if (problem !== undefined) return problem;
  // Both lists are sorted: a merge walk finds a name present in both.
  for (let i = 0, j = 0; i < fileNames.length && j < dirNames.length; ) {
    const c = compareUtf8(fileNames[i]!, dirNames[j]!);
    if (c === 0) return `${JSON.stringify(fileNames[i])} is both a file and a directory`;
    if (c < 0) i++;
    else j++;
  }
  return undefined;
}

/**
 * Serializes a dirtree.
 * @throws {OstreeError} INVALID_OBJECT when the tree breaks ostree's rules ({@link dirTreeProblem})
 */
export function encodeDirTree(tree: DirTree): Uint8Array {
  const problem = dirTreeProblem(tree);
  if (problem !== undefined) throw new OstreeError('INVALID_OBJECT', `invalid dirtree: ${problem}`);
  return dirtreeCodec.encode([
    tree.files.map((f) => [f.name, f.checksum] as [string, Uint8Array]),
    tree.dirs.map((d) => [d.name, d.treeChecksum, d.metaChecksum] as [string, Uint8Array, Uint8Array]),
  ]);
}

/**
 * Parses and validates a dirtree. Checksums are views into `bytes` (no copy).
 * @throws {OstreeError} INVALID_OBJECT when malformed or when {@link dirTreeProblem} finds a problem
 */
export function decodeDirTree(bytes: Uint8Array, options: ObjectDecodeOptions = {}): DirTree {
  const [files, dirs] = decodeWith(dirtreeCodec, bytes, 'dirtree', options);
  const tree: DirTree = {
    files: files.map(([name, checksum]) => ({ name, checksum })),
    dirs: dirs.map(([name, treeChecksum, metaChecksum]) => ({ name, treeChecksum, metaChecksum })),
  };
  const problem = dirTreeProblem(tree);
  if (problem !== undefined) throw new OstreeError('INVALID_OBJECT', `invalid dirtree: ${problem}`);
  return tree;
}
