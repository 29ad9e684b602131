/**
 * Commit metadata built the way `ostree commit` builds it, because the commit checksum covers
 * its exact serialization: a GVariantBuilder list in argument order (every
 * --add-metadata-string, then every --add-metadata, then --keep-metadata keys), then the
 * `ostree.ref-binding` list (sorted) and `ostree.collection-binding`, and for --bootable the
 * whole list passed through a GVariantDict (which reorders it by hash slot).
 * @module
 */
import { VariantDict, lookupMetadata, variant, type Metadata, type Variant } from '@ostree-ts/core';
import { CliError } from './errors.js';
import { VariantParseError, parseVariantText } from './gvariant/parse.js';
import type { RepoFile } from './repo-tree.js';

type Entry = readonly [string, Variant];

/** How a GVariant parse error of `KEY=VALUE` is worded (commit's wording by default). */
export type ParseErrorWording = (arg: string, value: string, message: string) => string;

const commitWording: ParseErrorWording = (arg, _value, message) => `Parsing ${arg}: ${message}`;

/** `KEY=VALUE` arguments as metadata entries; VALUE is a string or, with `asVariant`, GVariant text. */
export function keyValueEntries(args: readonly string[], asVariant: boolean, wording: ParseErrorWording = commitWording): Entry[] {
  return args.map((s) => {
    const eq = s.indexOf('=');
    if (eq < 0) throw new CliError(`Missing '=' in KEY=VALUE metadata '${s}'`);
    const key = s.slice(0, eq);
    const value = s.slice(eq + 1);
    if (!asVariant) return [key, variant('s', value)];
    try {
      return [key, parseVariantText(value)];
    } catch (e) {
      if (e instanceof VariantParseError) throw new CliError(wording(s, value, e.message), { cause: e });
      throw e;
    }
  });
}

/** Values of `keys` taken from a parent commit's metadata (--keep-metadata). */
export function keptEntries(parentMetadata: Metadata, parent: string, keys: readonly string[]): Entry[] {
  // g_variant_dict_init() over the parent's metadata: a later duplicate key wins.
  const dict = new VariantDict(parentMetadata);
  return keys.map((key) => {
    const value = dict.lookup(key);
    if (value === undefined) throw new CliError(`Missing metadata key '${key}' from commit '${parent}'`);
    return [key, value] as const;
  });
}

/** Sorted (strcmp) ref-binding entry from the branch and --bind-ref values. */
export function refBindingEntry(branch: string | undefined, bindRefs: readonly string[]): Entry {
  const refs = [...(branch === undefined ? [] : [branch]), ...bindRefs];
  const enc = new TextEncoder();
  refs.sort((a, b) => Buffer.compare(enc.encode(a), enc.encode(b)));
  return ['ostree.ref-binding', variant('as', refs)];
}

/**
 * fill_bindings(): the metadata with the ref binding appended and, unless the metadata already
 * has one, the repository's collection binding.
 */
export function withBindings(metadata: Metadata | undefined, branch: string | undefined, bindRefs: readonly string[], collectionId: string | undefined): Metadata {
  const out: Entry[] = [...(metadata ?? []), refBindingEntry(branch, bindRefs)];
  const hasCollectionBinding = metadata !== undefined && lookupMetadata(metadata, 'ostree.collection-binding') !== undefined;
  if (!hasCollectionBinding && collectionId !== undefined) out.push(['ostree.collection-binding', variant('s', collectionId)]);
  return out;
}

/**
 * The kernel version of a committed tree: the one directory under usr/lib/modules holding a
 * `vmlinuz` (ostree_commit_metadata_for_bootable looks at the committed root, not the source).
 * @throws {CliError} ostree's messages when there is none or more than one
 */
export async function findKernelInTree(root: RepoFile): Promise<string> {
  const modules = root.resolveRelative('usr/lib/modules');
  // ostree's enumeration reports a missing path without its "Opening usr/lib/modules" prefix.
  const entries = await modules.children();
  let found: string | undefined;
  for (const child of entries) {
    if ((await child.info()).type !== 'directory') continue;
    const kernel = child.child('vmlinuz');
    try {
      await kernel.resolve();
    } catch {
      continue;
    }
    if (found !== undefined) throw new CliError('Multiple kernels found in /usr/lib/modules');
    found = child.name;
  }
  if (found === undefined) throw new CliError('No kernel found in /usr/lib/modules');
  return found;
}

/** The metadata with `ostree.bootable` and `ostree.linux` added through a GVariantDict. */
export function withBootable(metadata: Metadata | undefined, kernelVersion: string): Metadata {
  const dict = new VariantDict(metadata ?? []);
  dict.insert('ostree.bootable', variant('b', true));
  dict.insert('ostree.linux', variant('s', kernelVersion));
  return dict.end();
}
