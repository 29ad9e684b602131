/**
 * OSTree static deltas: codec, generation, streaming bounded-memory apply.
 * @module
 */
export { invalidDelta } from './errors.js';
export { objectTypeByte, objectTypeFromByte } from './object-types.js';
export { deltaSuperblockPath, deltaPartPath, deltaCommitMetaKey } from './paths.js';
export {
  SUPERBLOCK_TYPE,
  PART_HEADER_TYPE,
  FALLBACK_TYPE,
  DELTA_PART_VERSION,
  ENDIANNESS_KEY,
  OBJECT_ENTRY_BYTES,
  superblockMetadata,
  encodeSuperblock,
  decodeSuperblock,
  decodeObjectList,
  inlinePart,
  superblockCommitMeta,
  type DeltaEndianness,
  type DeltaObjectRef,
  type DeltaPartHeader,
  type DeltaFallback,
  type DeltaSuperblock,
  type SuperblockInput,
  type SuperblockMetadataInput,
} from './superblock.js';
export {
  PART_COMPRESSION_NONE,
  PART_COMPRESSION_XZ,
  PART_PAYLOAD_TYPE,
  encodePartPayload,
  encodePartFile,
  decodePartPayload,
  partPayloadLayout,
  partPayloadTrailerBytes,
  decodeModeTable,
  decodeXattrTable,
  type DeltaMode,
  type PartPayload,
  type PartPayloadLayout,
} from './part.js';
export { OP, OpWriter, readOps, type DeltaOp } from './ops.js';
export {
  SIGNED_SUPERBLOCK_TYPE,
  SIGNED_SUPERBLOCK_MAGIC,
  SIGNATURE_KEY_PREFIX,
  isSignedSuperblock,
  decodeSignedSuperblock,
  encodeSignedSuperblock,
  unwrapSuperblock,
  type SignedSuperblock,
} from './signed.js';
export {
  STATIC_DELTAS_KEY,
  encodeDeltaList,
  decodeDeltaList,
  encodeDeltaIndex,
  decodeDeltaIndex,
  deltasInMetadata,
  findDelta,
  type DeltaDigest,
} from './delta-index.js';
export * from './generate/index.js';
export { DEFAULT_XZ_MEMLIMIT, defaultXz, checkXzHead, lzma2DictionarySize, type XzCodec, type XzDecodeLimits } from './xz.js';
export {
  openDeltaSuperblock,
  applyStaticDelta,
  applyOfflineDelta,
  writeDeltaCommit,
  type OpenedSuperblock,
  type ApplyOptions,
  type ApplyOfflineOptions,
  type ApplyProgress,
  type ApplyResult,
} from './apply/apply.js';
export type { ApplyStats } from './apply/execute.js';
export type { PartInput } from './apply/open-part.js';
