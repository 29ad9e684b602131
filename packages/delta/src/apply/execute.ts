/**
 * Executing one part's operations (spec §5.8) against a repository. Content objects stream
 * into the repository's object writer, which hashes them and renames them into place only
 * when the checksum matches the part header's list; nothing unverified is ever stored.
 * Data comes from the payload blob and from read sources by positional reads, and bspatch
 * streams too, so memory does not grow with file size.
 * @module
 */
import {
  OstreeError,
  decodeDirMeta,
  decodeDirTree,
  isOstreeError,
  isRegularMode,
  isSymlinkMode,
  checksumFromBytes,
  type FileHeader,
} from '@ostree-ts/core';
import { bspatchStream, isBsdiffError } from '@ostree-ts/bsdiff';
import type { Repo } from '@ostree-ts/repo';
import { checkDelta, invalidDelta } from '../errors.js';
import { readOps, type DeltaOp } from '../ops.js';
import type { DeltaObjectRef } from '../superblock.js';
import type { OpenedPart } from './open-part.js';
import { openReadSource } from './read-source.js';
import { readRange, streamRange, type RandomAccess } from './random-access.js';

/** Counters of what an apply did. */
export interface ApplyStats {
  /** Objects written. */
  objectsWritten: number;
  /** Objects the operations would have created that were already present. */
  objectsSkipped: number;
  /** Parts skipped because every object they create was present. */
  partsSkipped: number;
  /** Parts executed. */
  partsApplied: number;
}

/** What part execution needs. */
export interface ExecuteContext {
  readonly repo: Repo;
  /** Bytes of an inflated archive read source kept in memory before spilling to a file. */
  readonly spillBytes: number;
  readonly signal?: AbortSignal;
  readonly stats: ApplyStats;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Resolves after pending I/O callbacks had a turn (a macrotask, not a microtask). */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) => (g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new OstreeError('ABORTED', 'static delta apply cancelled', { cause: signal.reason });
}

/** Maps lower-level failures on delta-supplied data to INVALID_DELTA. */
function asDeltaError(e: unknown, what: string): unknown {
  if (isBsdiffError(e)) return invalidDelta(`${what}: bspatch failed: ${e.message}`, e);
  if (isOstreeError(e, 'INVALID_ARGUMENT') || isOstreeError(e, 'INVALID_OBJECT') || isOstreeError(e, 'INVALID_MODE') || isOstreeError(e, 'INVALID_XATTRS')) {
    return invalidDelta(`${what}: ${e.message}`, e);
  }
  return e;
}

class PartExecution {
  private index = 0;
  private readSourceChecksum: string | undefined;
  private readSource: RandomAccess | undefined;
  private readonly ops: Iterator<DeltaOp>;

  constructor(
    private readonly ctx: ExecuteContext,
    private readonly objects: readonly DeltaObjectRef[],
    private readonly part: OpenedPart,
  ) {
    this.ops = readOps(part.operations, (i) => {
      const obj = objects[i];
      if (obj === undefined) throw invalidDelta(`operations create more than the ${objects.length} objects the part header lists`);
      return obj.type !== 'file';
    });
  }

  async run(): Promise<void> {
    try {
      let count = 0;
      for (let next = this.ops.next(); !next.done; next = this.ops.next()) {
        checkAborted(this.ctx.signal);
        await this.dispatch(next.value);
        // Let I/O callbacks run now and then (the next part decompresses meanwhile).
        if (++count % 16 === 0) await yieldToEventLoop();
      }
      checkDelta(this.index === this.objects.length, `operations created ${this.index} of the ${this.objects.length} objects the part header lists`);
    } finally {
      await this.unsetReadSource();
    }
  }

  private current(): DeltaObjectRef {
    const obj = this.objects[this.index];
    if (obj === undefined) throw invalidDelta(`operations create more than the ${this.objects.length} objects the part header lists`);
    return obj;
  }

  private blobRange(offset: number, length: number, what: string): [number, number] {
    const size = this.part.blob.size;
    checkDelta(offset <= size && length <= size - offset, `${what}: invalid offset/length ${offset}/${length} (payload is ${size} bytes)`);
    return [offset, offset + length];
  }

  private header(modeIndex: number, xattrIndex: number, symlinkTarget = ''): FileHeader {
    const mode = this.part.modes[modeIndex];
    const xattrs = this.part.xattrs[xattrIndex];
    checkDelta(mode !== undefined, `mode index ${modeIndex} outside the part's ${this.part.modes.length} modes`);
    checkDelta(xattrs !== undefined, `xattr index ${xattrIndex} outside the part's ${this.part.xattrs.length} xattr sets`);
    return { uid: mode.uid, gid: mode.gid, mode: mode.mode, rdev: 0, symlinkTarget, xattrs };
  }

  private async closeObject(written: boolean): Promise<void> {
    if (written) this.ctx.stats.objectsWritten++;
    else this.ctx.stats.objectsSkipped++;
    await this.unsetReadSource();
    this.index++;
  }

  private async dispatch(op: DeltaOp): Promise<void> {
    switch (op.op) {
      case 'S-meta':
        return this.spliceMetadata(op.size, op.offset);
      case 'S-content':
        return this.spliceContent(op.modeIndex, op.xattrIndex, op.size, op.offset);
      case 'open':
        return this.openObject(op.modeIndex, op.xattrIndex, op.size);
      case 'set-read-source':
        return this.setReadSource(op.offset);
      case 'unset-read-source':
        return this.unsetReadSource();
      default:
        throw invalidDelta(`operation ${op.op} with no open object (object ${this.index})`);
    }
  }

  private async spliceMetadata(size: number, offset: number): Promise<void> {
    const obj = this.current();
    const [start, end] = this.blobRange(offset, size, 'open-splice-and-close');
    const have = await this.ctx.repo.hasObject(obj.checksum, obj.type);
    if (!have) {
      const bytes = await readRange(this.part.blob, start, end);
      try {
        if (obj.type === 'dirtree') decodeDirTree(bytes);
        else if (obj.type === 'dirmeta') decodeDirMeta(bytes);
        else throw invalidDelta(`part creates a ${obj.type} object; only dirtree and dirmeta objects may be in parts`);
      } catch (e) {
        throw asDeltaError(e, `${obj.type} ${obj.checksum}`);
      }
      await this.ctx.repo.writeMetadata(obj.type, Uint8Array.from(bytes), obj.checksum);
    }
    await this.closeObject(!have);
  }

  private async spliceContent(modeIndex: number, xattrIndex: number, size: number, offset: number): Promise<void> {
    const obj = this.current();
    const base = this.header(modeIndex, xattrIndex);
    const [start, end] = this.blobRange(offset, size, 'open-splice-and-close');
    const have = await this.ctx.repo.hasObject(obj.checksum, 'file');
    if (!have) {
      let header: FileHeader;
      let payload: AsyncIterable<Uint8Array> | Uint8Array;
      let payloadSize: number;
      if (isSymlinkMode(base.mode)) {
        let target: string;
        try {
          target = utf8.decode(await readRange(this.part.blob, start, end));
        } catch (cause) {
          throw invalidDelta(`symlink ${obj.checksum}: target is not UTF-8`, cause);
        }
        checkDelta(target.length > 0 && !target.includes('\0'), `symlink ${obj.checksum}: invalid target`);
        header = { ...base, symlinkTarget: target };
        payload = new Uint8Array(0);
        payloadSize = 0;
      } else {
        checkDelta(isRegularMode(base.mode), `content object ${obj.checksum}: mode 0${base.mode.toString(8)} is neither a regular file nor a symlink`);
        header = base;
        payload = streamRange(this.part.blob, start, end);
        payloadSize = size;
      }
      await this.writeContent(obj, { header, size: payloadSize, payload });
    }
    await this.closeObject(!have);
  }

  private async writeContent(obj: DeltaObjectRef, input: { header: FileHeader; size: number; payload: AsyncIterable<Uint8Array> | Uint8Array }): Promise<void> {
    try {
      await this.ctx.repo.writeContent(input, { expectedChecksum: obj.checksum });
    } catch (e) {
      throw asDeltaError(e, `content object ${obj.checksum}`);
    }
  }

  private async openObject(modeIndex: number, xattrIndex: number, size: number): Promise<void> {
    const obj = this.current();
    checkDelta(obj.type === 'file', `open operation for a ${obj.type} object`);
    const header = this.header(modeIndex, xattrIndex);
    checkDelta(isRegularMode(header.mode), `open operation for content object ${obj.checksum} with mode 0${header.mode.toString(8)}`);
    const have = await this.ctx.repo.hasObject(obj.checksum, 'file');
    if (have) {
      for await (const _ of this.objectBody(size, false)) void _;
    } else {
      await this.writeContent(obj, { header, size, payload: this.objectBody(size, true) });
    }
    await this.closeObject(!have);
  }

  /** Runs the operations up to `close`, yielding the object's data (or only checking them). */
  private async *objectBody(size: number, produce: boolean): AsyncIterable<Uint8Array> {
    let written = 0;
    const emit = (n: number): void => {
      written += n;
      checkDelta(written <= size, `operations write more than the ${size} bytes the open operation declared`);
    };
    for (;;) {
      checkAborted(this.ctx.signal);
      const next = this.ops.next();
      if (next.done) throw invalidDelta('operations end inside an open object');
      const op = next.value;
      switch (op.op) {
        case 'write': {
          const source = this.readSourceChecksum === undefined ? undefined : await this.openedReadSource();
          if (source) {
            checkDelta(op.offset <= source.size && op.size <= source.size - op.offset, `write: ${op.size} bytes at ${op.offset} past the end of read source ${this.readSourceChecksum} (${source.size} bytes)`);
          } else {
            this.blobRange(op.offset, op.size, 'write');
          }
          emit(op.size);
          if (produce) yield* streamRange(source ?? this.part.blob, op.offset, op.offset + op.size);
          break;
        }
        case 'bspatch': {
          const [start, end] = this.blobRange(op.offset, op.length, 'bspatch');
          checkDelta(this.readSourceChecksum !== undefined, 'bspatch with no read source');
          // bspatch produces the whole object, as in ostree.
          checkDelta(written === 0, 'bspatch after other data was written to the object');
          emit(size);
          if (produce) {
            const old = await this.openedReadSource();
            try {
              yield* bspatchStream(old, streamRange(this.part.blob, start, end), size);
            } catch (e) {
              throw asDeltaError(e, 'bspatch');
            }
          }
          break;
        }
        case 'set-read-source':
          await this.setReadSource(op.offset);
          break;
        case 'unset-read-source':
          await this.unsetReadSource();
          break;
        case 'close':
          checkDelta(written === size, `object closed after ${written} of its ${size} bytes`);
          return;
        default:
          throw invalidDelta(`operation ${op.op} while object ${this.index} is open`);
      }
    }
  }

  private async setReadSource(offset: number): Promise<void> {
    const [start, end] = this.blobRange(offset, 32, 'set-read-source');
    await this.unsetReadSource();
    this.readSourceChecksum = checksumFromBytes(Uint8Array.from(await readRange(this.part.blob, start, end)));
  }

  // Opened on first use: a skipped object never needs its source.
  private async openedReadSource(): Promise<RandomAccess> {
    if (this.readSource === undefined) this.readSource = await openReadSource(this.ctx.repo, this.readSourceChecksum!, this.ctx.spillBytes);
    return this.readSource;
  }

  private async unsetReadSource(): Promise<void> {
    const source = this.readSource;
    this.readSource = undefined;
    this.readSourceChecksum = undefined;
    await source?.close();
  }
}

/**
 * Executes an opened part: creates, in order, exactly the objects its header lists.
 * @throws {OstreeError} INVALID_DELTA for malformed or hostile operations; CHECKSUM_MISMATCH
 *   when an object's data does not hash to its listed checksum; OBJECT_NOT_FOUND when a read
 *   source is missing; ABORTED when `signal` fires
 */
export async function executePart(ctx: ExecuteContext, objects: readonly DeltaObjectRef[], part: OpenedPart): Promise<void> {
  await new PartExecution(ctx, objects, part).run();
}
