/**
 * One delta part being assembled: the objects it creates (in creation order), its mode and
 * xattr tables, its payload blob and its operation stream (spec §5.7, §5.8), using the
 * encodings of ops.ts the way ostree's compiler lays objects out.
 * @module
 */
import { checksumToBytes, type FileHeader, type Xattr } from '@ostree-ts/core';
import { OpWriter } from '../ops.js';
import type { DeltaMode, PartPayload } from '../part.js';
import type { DeltaObjectRef } from '../superblock.js';
import type { RollsumPiece } from './rollsum.js';

/** A finished part, before compression. */
export interface BuiltPart {
  readonly payload: PartPayload;
  /** The objects it creates, in operation order. */
  readonly objects: readonly DeltaObjectRef[];
  /** What ostree records as uncompressed size: content payload sizes plus metadata lengths. */
  readonly usize: number;
}


function xattrKey(xattrs: readonly Xattr[]): string {
  let s = '';
  for (const [n, v] of xattrs) s += `${n.join(',')}=${v.join(',')};`;
  return s;
}

/** Accumulates one part. */
export class PartBuilder {
  private readonly modeIndex = new Map<string, number>();
  private readonly modes: DeltaMode[] = [];
  private readonly xattrIndex = new Map<string, number>();
  private readonly xattrSets: (readonly Xattr[])[] = [];
  private readonly blobChunks: Uint8Array[] = [];
  private readonly ops = new OpWriter();
  private readonly objects: DeltaObjectRef[] = [];
  private usize = 0;
  /** Bytes in the payload blob so far. */
  blobLength = 0;

  /** Objects in the part so far. */
  get objectCount(): number {
    return this.objects.length;
  }

  private append(bytes: Uint8Array): number {
    const offset = this.blobLength;
    if (bytes.length > 0) this.blobChunks.push(bytes);
    this.blobLength += bytes.length;
    return offset;
  }

  private addObject(type: DeltaObjectRef['type'], checksum: string, usize: number): void {
    this.objects.push({ type, checksum });
    this.usize += usize;
  }

  private modeAndXattrs(header: FileHeader): [number, number] {
    const mk = `${header.uid}:${header.gid}:${header.mode}`;
    let mi = this.modeIndex.get(mk);
    if (mi === undefined) {
      mi = this.modes.length;
      this.modes.push({ uid: header.uid, gid: header.gid, mode: header.mode });
      this.modeIndex.set(mk, mi);
    }
    const xk = xattrKey(header.xattrs);
    let xi = this.xattrIndex.get(xk);
    if (xi === undefined) {
      xi = this.xattrSets.length;
      this.xattrSets.push(header.xattrs);
      this.xattrIndex.set(xk, xi);
    }
    return [mi, xi];
  }

  /** A metadata object spliced whole: `S size offset`. */
  addMetadata(type: 'dirtree' | 'dirmeta', checksum: string, bytes: Uint8Array): void {
    this.addObject(type, checksum, bytes.length);
    this.ops.spliceMetadata(bytes.length, this.append(bytes));
  }

  /**
   * A content object spliced whole: `S mode xattrs size offset`. `data` is the file's bytes,
   * or the target of a symlink (which counts 0 towards the part's size, as in ostree).
   */
  addPlainContent(checksum: string, header: FileHeader, size: number, data: readonly Uint8Array[]): void {
    const [mi, xi] = this.modeAndXattrs(header);
    this.addObject('file', checksum, size);
    const offset = this.blobLength;
    let length = 0;
    for (const d of data) {
      this.append(d);
      length += d.length;
    }
    this.ops.spliceContent(mi, xi, length, offset);
  }

  /** A regular file rebuilt from `fromChecksum` with a bsdiff patch: `r o B c R`. */
  addBsdiff(checksum: string, header: FileHeader, size: number, fromChecksum: string, patch: Uint8Array): void {
    const [mi, xi] = this.modeAndXattrs(header);
    this.addObject('file', checksum, size);
    this.ops.setReadSource(this.append(checksumToBytes(fromChecksum)));
    this.ops.open(mi, xi, size);
    const patchOffset = this.append(patch);
    this.ops.bspatch(patchOffset, patch.length);
    this.ops.close();
    this.ops.unsetReadSource();
  }

  /**
   * A regular file assembled from ranges of `fromChecksum` and literal bytes (rollsum): `o`,
   * then `r w…` for copies and `R w…` for literal data, then `c`.
   */
  addRollsum(checksum: string, header: FileHeader, size: number, fromChecksum: string, pieces: Iterable<RollsumPiece>): void {
    const [mi, xi] = this.modeAndXattrs(header);
    this.addObject('file', checksum, size);
    const sourceOffset = this.append(checksumToBytes(fromChecksum));
    this.ops.open(mi, xi, size);
    let readingSource = false;
    for (const p of pieces) {
      if ('data' in p) {
        if (readingSource) {
          this.ops.unsetReadSource();
          readingSource = false;
        }
        this.ops.write(p.data.length, this.append(p.data));
      } else {
        if (!readingSource) {
          this.ops.setReadSource(sourceOffset);
          readingSource = true;
        }
        this.ops.write(p.length, p.fromStart);
      }
    }
    if (readingSource) this.ops.unsetReadSource();
    this.ops.close();
  }

  /** The finished part; the builder must not be used afterwards. */
  finish(): BuiltPart {
    let blob: Uint8Array;
    if (this.blobChunks.length === 1) blob = this.blobChunks[0]!;
    else {
      blob = new Uint8Array(this.blobLength);
      let pos = 0;
      for (const c of this.blobChunks) {
        blob.set(c, pos);
        pos += c.length;
      }
    }
    this.blobChunks.length = 0;
    return {
      payload: { modes: this.modes, xattrs: this.xattrSets, blob, operations: this.ops.bytes() },
      objects: this.objects,
      usize: this.usize,
    };
  }
}
