/**
 * Delta part operations (spec §5.8): one opcode byte followed by unsigned LEB128 arguments.
 * {@link OpWriter} builds an operations stream; {@link readOps} decodes one, checking only its
 * syntax (bounds against the payload are the executor's job).
 * @module
 */
import { decodeVarint, encodeVarint, isOstreeError } from '@ostree-ts/core';
import { invalidDelta } from './errors.js';

/** Operation bytes. */
export const OP = {
  /** `S`: create the next object in one step (metadata: size, offset; content: mode, xattr, size, offset). */
  openSpliceAndClose: 0x53,
  /** `o`: begin the next content object (mode, xattr, size). */
  open: 0x6f,
  /** `w`: append (size, offset) from the read source, or from the payload when none is set. */
  write: 0x77,
  /** `r`: set the read source to the content object whose checksum is at payload offset. */
  setReadSource: 0x72,
  /** `R`: clear the read source. */
  unsetReadSource: 0x52,
  /** `c`: finish the open object, clear the read source, advance to the next object. */
  close: 0x63,
  /** `B`: bspatch (offset, length) of the payload against the read source. */
  bspatch: 0x42,
} as const;

/** A decoded operation. Which fields are set depends on `op` (see {@link OP}). */
export type DeltaOp =
  | { readonly op: 'S-meta'; readonly size: number; readonly offset: number }
  | { readonly op: 'S-content'; readonly modeIndex: number; readonly xattrIndex: number; readonly size: number; readonly offset: number }
  | { readonly op: 'open'; readonly modeIndex: number; readonly xattrIndex: number; readonly size: number }
  | { readonly op: 'write'; readonly size: number; readonly offset: number }
  | { readonly op: 'set-read-source'; readonly offset: number }
  | { readonly op: 'unset-read-source' }
  | { readonly op: 'close' }
  | { readonly op: 'bspatch'; readonly offset: number; readonly length: number };

/** Builds an operations byte stream. */
export class OpWriter {
  private readonly chunks: number[] = [];

  private emit(op: number, ...args: number[]): this {
    this.chunks.push(op);
    for (const a of args) for (const b of encodeVarint(a)) this.chunks.push(b);
    return this;
  }

  /** `S` for a metadata object: `size` bytes at payload `offset`. */
  spliceMetadata(size: number, offset: number): this {
    return this.emit(OP.openSpliceAndClose, size, offset);
  }
  /** `S` for a content object: file data (or symlink target) of `size` bytes at payload `offset`. */
  spliceContent(modeIndex: number, xattrIndex: number, size: number, offset: number): this {
    return this.emit(OP.openSpliceAndClose, modeIndex, xattrIndex, size, offset);
  }
  /** `o`: open a regular file of `size` bytes. */
  open(modeIndex: number, xattrIndex: number, size: number): this {
    return this.emit(OP.open, modeIndex, xattrIndex, size);
  }
  /** `w`: append `size` bytes from `offset` (read source or payload). */
  write(size: number, offset: number): this {
    return this.emit(OP.write, size, offset);
  }
  /** `r`: the read source is the object whose 32-byte checksum is at payload `offset`. */
  setReadSource(offset: number): this {
    return this.emit(OP.setReadSource, offset);
  }
  /** `R`. */
  unsetReadSource(): this {
    return this.emit(OP.unsetReadSource);
  }
  /** `c`. */
  close(): this {
    return this.emit(OP.close);
  }
  /** `B`: patch of `length` bytes at payload `offset`. */
  bspatch(offset: number, length: number): this {
    return this.emit(OP.bspatch, offset, length);
  }
  /** Current length of the stream in bytes. */
  get length(): number {
    return this.chunks.length;
  }
  /** The operations bytes. */
  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/**
 * Decodes an operations stream. Whether an `S` is for metadata or content depends on the type
 * of the object it creates, so the caller says, through `isMetadata(objectIndex)`.
 * @throws {OstreeError} INVALID_DELTA on unknown opcodes or truncated varints
 */
export function* readOps(ops: Uint8Array, isMetadata: (objectIndex: number) => boolean): Generator<DeltaOp> {
  let pos = 0;
  let objectIndex = 0;
  const arg = (): number => {
    try {
      const { value, next } = decodeVarint(ops, pos);
      pos = next;
      return value;
    } catch (e) {
      if (isOstreeError(e, 'INVALID_OBJECT')) throw invalidDelta(`operation at byte ${pos}: ${e.message}`, e);
      throw e;
    }
  };
  while (pos < ops.length) {
    const at = pos;
    const code = ops[pos++]!;
    switch (code) {
      case OP.openSpliceAndClose:
        if (isMetadata(objectIndex++)) {
          const size = arg();
          yield { op: 'S-meta', size, offset: arg() };
        } else {
          const modeIndex = arg();
          const xattrIndex = arg();
          const size = arg();
          yield { op: 'S-content', modeIndex, xattrIndex, size, offset: arg() };
        }
        break;
      case OP.open: {
        const modeIndex = arg();
        const xattrIndex = arg();
        yield { op: 'open', modeIndex, xattrIndex, size: arg() };
        break;
      }
      case OP.write: {
        const size = arg();
        yield { op: 'write', size, offset: arg() };
        break;
      }
      case OP.setReadSource:
        yield { op: 'set-read-source', offset: arg() };
        break;
      case OP.unsetReadSource:
        yield { op: 'unset-read-source' };
        break;
      case OP.close:
        objectIndex++;
        yield { op: 'close' };
        break;
      case OP.bspatch: {
        const offset = arg();
        yield { op: 'bspatch', offset, length: arg() };
        break;
      }
      default:
        throw invalidDelta(`Unknown opcode ${code} at byte ${at}`);
    }
  }
}
