/**
 * Object kinds, repository storage modes, and loose-object paths (spec §2.1, §2.10).
 * @module
 */
import { assertChecksum } from '../checksum.js';

/** Every object type ostree knows; the string is also the loose file extension. */
export const OBJECT_TYPES = [
  'file',
  'dirtree',
  'dirmeta',
  'commit',
  'tombstone-commit',
  'commitmeta',
  'payload-link',
  'file-xattrs',
  'file-xattrs-link',
] as const;

/** An object type. */
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** The metadata object types, whose bytes are GVariants (ostree's "is meta"). */
export const METADATA_OBJECT_TYPES: readonly ObjectType[] = ['dirtree', 'dirmeta', 'commit', 'tombstone-commit', 'commitmeta'];

/** True for dirtree, dirmeta, commit, tombstone-commit and commitmeta. */
export function isMetadataObjectType(type: ObjectType): boolean {
  return METADATA_OBJECT_TYPES.includes(type);
}

/**
 * How a repository stores content objects. `archive` is what ostree writes as `archive-z2`
 * in the config; both spellings mean the same mode.
 */
export type RepoMode = 'bare' | 'bare-user' | 'bare-user-only' | 'archive' | 'bare-split-xattrs';

/** The file extension of a loose object: `filez` for content in archive repos, else the type. */
export function objectFileExtension(type: ObjectType, mode: RepoMode): string {
  return type === 'file' && mode === 'archive' ? 'filez' : type;
}

/**
 * Path of a loose object relative to the repo root: `objects/XX/REST.EXT`.
 * @throws {OstreeError} INVALID_CHECKSUM when `checksum` is not a checksum string
 */
export function looseObjectPath(checksum: string, type: ObjectType, mode: RepoMode): string {
  assertChecksum(checksum);
  return `objects/${checksum.slice(0, 2)}/${checksum.slice(2)}.${objectFileExtension(type, mode)}`;
}

/** An object's identity: its checksum and type. */
export interface ObjectName {
  readonly checksum: string;
  readonly type: ObjectType;
}

const LOOSE_RE = /^([0-9a-f]{62})\.([a-z-]+)$/;

/**
 * Parses a file name inside `objects/XX/` back into an {@link ObjectName}, or `undefined` if it
 * is not a loose object (temporary files, foreign files).
 * @param prefix - the two-hex-digit directory name
 * @param fileName - the file name within it
 */
export function parseLooseObjectName(prefix: string, fileName: string): ObjectName | undefined {
  if (!/^[0-9a-f]{2}$/.test(prefix)) return undefined;
  const m = LOOSE_RE.exec(fileName);
  if (!m) return undefined;
  const ext = m[2]!;
  const type = ext === 'filez' ? 'file' : (OBJECT_TYPES as readonly string[]).includes(ext) ? (ext as ObjectType) : undefined;
  return type === undefined ? undefined : { checksum: prefix + m[1]!, type };
}
