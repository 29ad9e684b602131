/**
 * Static-delta generation.
 * @module
 */
export { generateDelta, type GenerateDeltaResult } from './generate.js';
export {
  DEFAULT_MAX_BSDIFF_SIZE,
  DEFAULT_MAX_CHUNK_SIZE,
  DEFAULT_MIN_FALLBACK_SIZE,
  type BsdiffFunction,
  type GenerateDeltaOptions,
  type SuperblockTransform,
} from './options.js';
export { xzCompressPart, ostreePresetCompressPart, readPartFilePayload, type PartCompressor } from './compress.js';
export { planDelta, type DeltaPlan, type PlanOptions } from './plan.js';
export { rollsumChunks, matchRollsumChunks, rollsumPieces, ROLLSUM_MAX_CHUNK, type RollsumChunk, type RollsumMatches, type RollsumPiece } from './rollsum.js';
