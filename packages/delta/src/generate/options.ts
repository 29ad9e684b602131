/**
 * Options of static-delta generation, with ostree's defaults.
 * @module
 */
import type { Metadata } from '@ostree-ts/core';
import type { DeltaEndianness } from '../superblock.js';
import type { PartCompressor } from './compress.js';

/** Computes a raw bsdiff stream (ostree's format: no header, no compression) from old to new. */
export type BsdiffFunction = (oldBytes: Uint8Array, newBytes: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/**
 * Turns the finished superblock bytes into the bytes to store (e.g. a signed superblock
 * `(taya{sv})`). The summary and delta indexes digest what this returns.
 */
export type SuperblockTransform = (superblock: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** Options for {@link generateDelta}. Sizes are in bytes (the CLI converts ostree's MB). */
export interface GenerateDeltaOptions {
  /** Source commit; undefined for a scratch delta (from nothing). */
  readonly from: string | undefined;
  /** Target commit. */
  readonly to: string;
  /** Put the parts inside the superblock (`--inline`). */
  readonly inline?: boolean;
  /** New regular files larger than this become fallbacks; 0 disables fallbacks. Default 4 000 000. */
  readonly minFallbackSize?: number;
  /** bsdiff is used only when old+new sizes are at most this. Default 128 000 000. */
  readonly maxBsdiffSize?: number;
  /** A new part starts when the payload would exceed this. Default 32 000 000. */
  readonly maxChunkSize?: number;
  /** Never use bsdiff (`--disable-bsdiff`). */
  readonly disableBsdiff?: boolean;
  /**
   * For changed files whose old+new size exceeds `maxBsdiffSize`: bsdiff them window by
   * window (each window pair within the limit) instead of rollsum copies. Much smaller deltas
   * for large binaries; the client's bspatch then needs the whole file in memory (ostree
   * allocates it), which is why it is off by default.
   */
  readonly bsdiffWindows?: boolean;
  /**
   * Choose diff sources and methods exactly by ostree's rules (no same-path matches; rollsum
   * tried before bsdiff). For comparisons; the default rules give smaller deltas.
   */
  readonly ostreeRules?: boolean;
  /** Never use rollsum copies. */
  readonly disableRollsum?: boolean;
  /** Byte order of part-header and fallback integers. Default little (the host order of every supported platform). */
  readonly endianness?: DeltaEndianness;
  /**
   * Write the superblock to this path and the parts beside it (`--filename`), instead of
   * `deltas/…` in the repository.
   */
  readonly filename?: string;
  /** Caller metadata, written first in the superblock metadata (as ostree does). */
  readonly metadata?: Metadata;
  /** Clock for the superblock timestamp (ms since the epoch). Default Date.now. */
  readonly now?: () => number;
  /** bsdiff implementation; default `bsdiff` from @ostree-ts/bsdiff (WebAssembly). */
  readonly bsdiff?: BsdiffFunction;
  /** Part compressor; default xz with CRC64 at the smallest of presets 6–8 whose dictionary covers the part (`ostreePresetCompressPart`: always 8, as ostree). */
  readonly compress?: PartCompressor;
  /** Hook for signing: transforms the superblock bytes before they are written. */
  readonly transformSuperblock?: SuperblockTransform;
  /** Progress lines (ostree prints similar ones to stderr). */
  readonly log?: (line: string) => void;
}

/** ostree's default fallback threshold, 4 MB. */
export const DEFAULT_MIN_FALLBACK_SIZE = 4_000_000;
/** ostree's default bsdiff input limit, 128 MB. */
export const DEFAULT_MAX_BSDIFF_SIZE = 128_000_000;
/** ostree's default part size, 32 MB. */
export const DEFAULT_MAX_CHUNK_SIZE = 32_000_000;
