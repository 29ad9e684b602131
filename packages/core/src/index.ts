/**
 * The OSTree object model as pure code: object kinds and their GVariant schemas, checksums,
 * names and validation. No filesystem or network; runs in any JS runtime.
 * @module
 */
export { OstreeError, isOstreeError, type OstreeErrorCode } from './errors.js';
export { toHex, fromHex } from './hex.js';
export { sha256, defaultSha256, nodeSha256, nobleSha256, type Sha256, type Sha256Factory } from './sha256.js';
export {
  CHECKSUM_BYTES,
  CHECKSUM_HEX_LENGTH,
  isChecksum,
  assertChecksum,
  checksumToBytes,
  checksumFromBytes,
  metadataChecksum,
  assertChecksumMatches,
} from './checksum.js';
export {
  S_IFMT,
  S_IFREG,
  S_IFDIR,
  S_IFLNK,
  PERMISSION_BITS,
  isRegularMode,
  isDirectoryMode,
  isSymlinkMode,
  assertFileMode,
  assertDirectoryMode,
} from './mode.js';
export {
  isValidRef,
  assertValidRef,
  isValidRemoteName,
  assertValidRemoteName,
  parseRefspec,
  formatRefspec,
  fileNameProblem,
  assertValidFileName,
  type Refspec,
} from './names.js';
export { compareUtf8, compareBytes } from './utf8-order.js';
export { bswap32, bswap64 } from './endian.js';
export { concatBytes } from './bytes.js';
export { xattr, xattrName, assertCanonicalXattrs, canonicalXattrs, type Xattr } from './xattrs.js';
export { encodeVarint, decodeVarint, type VarintRead } from './varint.js';
export {
  checksumToModifiedBase64,
  checksumFromModifiedBase64,
  deltaDirectory,
  deltaIndexPath,
  formatDeltaName,
  parseDeltaName,
  parseDeltaDirectory,
  type DeltaName,
} from './delta-names.js';
export {
  OBJECT_TYPES,
  METADATA_OBJECT_TYPES,
  isMetadataObjectType,
  objectFileExtension,
  looseObjectPath,
  parseLooseObjectName,
  type ObjectType,
  type RepoMode,
  type ObjectName,
} from './objects/types.js';
export type { ObjectDecodeOptions } from './objects/gvariant-object.js';
export {
  METADATA_TYPE,
  encodeMetadata,
  decodeMetadata,
  lookupMetadata,
  lookupTyped,
  withMetadata,
  variant,
  type Metadata,
  type Variant,
} from './objects/metadata.js';
export { DIRMETA_TYPE, encodeDirMeta, decodeDirMeta, type DirMeta } from './objects/dirmeta.js';
export {
  DIRTREE_TYPE,
  encodeDirTree,
  decodeDirTree,
  dirTreeProblem,
  type DirTree,
  type DirTreeFile,
  type DirTreeDir,
} from './objects/dirtree.js';
export { COMMIT_TYPE, encodeCommit, decodeCommit, commitChecksum, commitContentChecksum, type Commit } from './objects/commit.js';
export {
  FILE_HEADER_TYPE,
  ARCHIVE_HEADER_TYPE,
  BARE_USER_META_TYPE,
  MAX_HEADER_BYTES,
  HEADER_FRAME_BYTES,
  encodeFileHeader,
  decodeFileHeader,
  encodeArchiveHeader,
  decodeArchiveHeader,
  encodeBareUserMeta,
  decodeBareUserMeta,
  frameHeader,
  readHeaderFrame,
  parseArchiveObject,
  type FileHeader,
  type ArchiveHeader,
  type BareUserMeta,
  type ArchiveObjectPrefix,
} from './objects/file-header.js';
export { createContentHasher, contentChecksum, type ContentHasher } from './objects/content.js';
export { encodeCommitMeta, decodeCommitMeta, encodeTombstone, decodeTombstone } from './objects/detached.js';
export { VariantDict, glibStrHash } from './objects/variant-dict.js';
export { SUMMARY_TYPE, encodeSummary, decodeSummary, type Summary, type SummaryRef } from './objects/summary.js';
