/**
 * Content checksums (spec §2.5): SHA-256 over `BE32(len H) ‖ 00000000 ‖ H ‖ payload`, where H
 * is the `(uuuusa(ayay))` header. No file on disk has these bytes, so they are synthesized.
 * @module
 */
import { OstreeError } from '../errors.js';
import { toHex } from '../hex.js';
import { isSymlinkMode } from '../mode.js';
import { defaultSha256, type Sha256Factory } from '../sha256.js';
import { encodeFileHeader, frameHeader, type FileHeader } from './file-header.js';

/** Computes a content checksum incrementally, for payloads streamed from disk or network. */
export interface ContentHasher {
  /** Feeds the next payload chunk. */
  update(chunk: Uint8Array): ContentHasher;
  /** Finishes and returns the hex checksum. */
  digest(): string;
}

/**
 * Starts a content checksum for `header`; feed the payload with `update`.
 * @throws {OstreeError} INVALID_ARGUMENT when a symlink is given payload bytes
 */
export function createContentHasher(header: FileHeader, hash: Sha256Factory = defaultSha256): ContentHasher {
  const h = hash().update(frameHeader(encodeFileHeader(header)));
  const symlink = isSymlinkMode(header.mode);
  const self: ContentHasher = {
    update(chunk) {
      if (symlink && chunk.length > 0) throw new OstreeError('INVALID_ARGUMENT', 'symlinks have no payload');
      h.update(chunk);
      return self;
    },
    digest: () => toHex(h.digest()),
  };
  return self;
}

/**
 * Content checksum of a whole object.
 * @param header - the object's metadata
 * @param payload - file bytes (empty for symlinks)
 */
export function contentChecksum(header: FileHeader, payload: Uint8Array = new Uint8Array(0), hash: Sha256Factory = defaultSha256): string {
  return createContentHasher(header, hash).update(payload).digest();
}
