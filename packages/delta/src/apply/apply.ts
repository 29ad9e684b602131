/**
 * Applying static deltas: from bytes as a pull downloads them ({@link applyStaticDelta}) or
 * from a delta directory on disk ({@link applyOfflineDelta}, `ostree static-delta
 * apply-offline`). Parts are verified before they are decompressed, executed one at a time
 * with bounded memory, and skipped when every object they create is already present.
 * @module
 */
import { OstreeError, defaultSha256, toHex, type Sha256Factory } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import type { Repo } from '@ostree-ts/repo';
import { checkDelta } from '../errors.js';
import { unwrapSuperblock, type SignedSuperblock } from '../signed.js';
import { decodeSuperblock, inlinePart, superblockCommitMeta, type DeltaFallback, type DeltaPartHeader, type DeltaSuperblock } from '../superblock.js';
import { DEFAULT_XZ_MEMLIMIT, defaultXz, type XzCodec } from '../xz.js';
import { executePart, type ApplyStats } from './execute.js';
import { openPart, type OpenedPart, type PartInput } from './open-part.js';

/** A superblock file, unwrapped and decoded. */
export interface OpenedSuperblock {
  readonly superblock: DeltaSuperblock;
  /** The signed wrapper, when the file was one (signatures not verified here). */
  readonly signed: SignedSuperblock | undefined;
  /** SHA-256 of the file bytes (what summaries and delta indexes list). */
  readonly digest: string;
}

/**
 * Decodes a superblock file (signed wrapper or not) and checks its structure: normal form,
 * checksum lengths, part versions, object lists, content-only fallbacks, and that the embedded
 * commit hashes to the target.
 * @param bytes - the `superblock` file
 * @param expectedDigest - if given (from the summary or a delta index), the file's SHA-256 must match
 * @throws {OstreeError} INVALID_DELTA when malformed; CHECKSUM_MISMATCH when a digest differs
 */
export function openDeltaSuperblock(bytes: Uint8Array, expectedDigest?: string, hash: Sha256Factory = defaultSha256): OpenedSuperblock {
  const digest = toHex(hash().update(bytes).digest());
  if (expectedDigest !== undefined && digest !== expectedDigest) {
    throw new OstreeError('CHECKSUM_MISMATCH', `delta superblock checksum ${digest} does not match the expected ${expectedDigest}`);
  }
  const { superblock, signed } = unwrapSuperblock(bytes);
  return { superblock: decodeSuperblock(superblock), signed, digest };
}

/** Progress after each part. */
export interface ApplyProgress {
  readonly part: number;
  readonly parts: number;
  readonly skipped: boolean;
}

/** Options of {@link applyStaticDelta}. */
export interface ApplyOptions {
  /**
   * Supplies part `index` (not called for inline parts or parts whose objects are all present).
   * Return the part file whole or as a stream of chunks; it is verified against `header` before
   * it is decompressed.
   */
  readonly readPart?: (index: number, header: DeltaPartHeader) => Promise<PartInput>;
  readonly signal?: AbortSignal;
  /** xz backend; default node-liblzma where it loads, else pure WASM. */
  readonly xz?: XzCodec;
  /**
   * Write the detached metadata and the commit object after the parts. Default true. When
   * fallback objects are still missing, the commit is marked partial
   * (`state/<to>.commitpartial`) until the caller has fetched them.
   */
  readonly writeCommit?: boolean;
  /** Largest LZMA2 dictionary accepted. Default 64 MiB. */
  readonly memlimit?: number;
  /** Largest decompressed part payload accepted. Default 4 GiB (payloads spill to `tmp/`). */
  readonly maxPayloadBytes?: number;
  /**
   * Bytes held in memory before spooling to a temporary file. Default 1 MiB: held chunks are
   * copies, so more only adds to peak RSS (8 MiB cost ~9-17 MiB of it in measurements).
   */
  readonly spillBytes?: number;
  readonly onProgress?: (progress: ApplyProgress) => void;
}

/** Result of applying a delta. */
export interface ApplyResult {
  /** The target commit. */
  readonly to: string;
  /** Fallback objects not in the repository: the caller fetches them as plain `.filez` objects. */
  readonly missingFallbacks: readonly DeltaFallback[];
  /** True if the commit object was written by this call. */
  readonly commitWritten: boolean;
  readonly stats: ApplyStats;
}

const MiB = 1024 * 1024;

/**
 * Applies a decoded delta to `repo`: the source commit must be present; parts are fetched
 * through `readPart` as needed and executed in order; every object is verified before it is
 * stored. Returns the fallback objects the caller still has to fetch.
 * @throws {OstreeError} OBJECT_NOT_FOUND when the source commit is missing; INVALID_DELTA,
 *   CHECKSUM_MISMATCH for bad deltas; ABORTED when `signal` fires
 */
export async function applyStaticDelta(repo: Repo, superblock: DeltaSuperblock, options: ApplyOptions = {}): Promise<ApplyResult> {
  const { from, to } = superblock;
  if (from !== undefined && !(await repo.hasObject(from, 'commit'))) {
    throw new OstreeError('OBJECT_NOT_FOUND', `Commit ${from}, which is the delta source, is not in repository`);
  }
  const stats: ApplyStats = { objectsWritten: 0, objectsSkipped: 0, partsSkipped: 0, partsApplied: 0 };
  const spillBytes = options.spillBytes ?? MiB;
  const partCtx = {
    fs: repo.fs,
    tmpDir: repo.tmpDir,
    xz: options.xz ?? (await defaultXz()),
    memlimit: options.memlimit ?? DEFAULT_XZ_MEMLIMIT,
    maxPayloadBytes: options.maxPayloadBytes ?? 4096 * MiB,
    spillBytes,
    maxTableBytes: 64 * MiB,
  };
  const execCtx = { repo, spillBytes, stats, ...(options.signal ? { signal: options.signal } : {}) };
  const aborted = (): OstreeError => new OstreeError('ABORTED', 'static delta apply cancelled', { cause: options.signal?.reason });
  // Skips a complete part, or fetches, verifies and decompresses it.
  const prepare = async (i: number): Promise<OpenedPart | undefined> => {
    if (options.signal?.aborted) throw aborted();
    const header = superblock.parts[i]!;
    let haveAll = true;
    for (const obj of header.objects) {
      if (!(await repo.hasObject(obj.checksum, obj.type))) {
        haveAll = false;
        break;
      }
    }
    if (haveAll) return undefined;
    const inline = inlinePart(superblock, i);
    let input: PartInput | { inline: { compression: number; body: Uint8Array } };
    if (inline) input = { inline };
    else {
      if (!options.readPart) throw new OstreeError('INVALID_ARGUMENT', `delta part ${i} is not inline and no readPart was given`);
      input = await options.readPart(i, header);
    }
    return openPart(partCtx, i, header, input);
  };
  // Part i+1 is fetched and decompressed (xz runs off the main thread) while part i executes.
  const start = (i: number): Promise<OpenedPart | undefined> | undefined => {
    if (i >= superblock.parts.length) return undefined;
    const p = prepare(i);
    p.catch(() => undefined); // observed when awaited; never an unhandled rejection meanwhile
    return p;
  };
  const discard = async (p: Promise<OpenedPart | undefined> | undefined): Promise<void> => {
    await p?.then((part) => part?.close(), () => undefined);
  };
  let next = start(0);
  for (let i = 0; i < superblock.parts.length; i++) {
    const part = await next;
    next = start(i + 1);
    if (part === undefined) {
      stats.partsSkipped++;
      options.onProgress?.({ part: i, parts: superblock.parts.length, skipped: true });
      continue;
    }
    try {
      await executePart(execCtx, superblock.parts[i]!.objects, part);
    } catch (e) {
      await discard(next);
      if (e instanceof OstreeError && !e.message.startsWith('Executing delta part')) {
        throw new OstreeError(e.code, `Executing delta part ${i}: ${e.message}`, { cause: e });
      }
      throw e;
    } finally {
      await part.close();
    }
    stats.partsApplied++;
    options.onProgress?.({ part: i, parts: superblock.parts.length, skipped: false });
  }
  const missingFallbacks: DeltaFallback[] = [];
  for (const f of superblock.fallbacks) if (!(await repo.hasObject(f.checksum, f.type))) missingFallbacks.push(f);
  let commitWritten = false;
  if ((options.writeCommit ?? true) && !(await repo.hasObject(to, 'commit'))) {
    // Objects reach the disk before the commit that names them (ostree: syncfs at commit_transaction).
    await repo.sync();
    await writeDeltaCommit(repo, superblock, missingFallbacks.length > 0);
    commitWritten = true;
  }
  return { to, missingFallbacks, commitWritten, stats };
}

/**
 * Writes the delta's target commit: its detached metadata from the superblock (if any), then
 * the commit object (verified against `to`).
 * @param partial - also mark the commit partial (objects still to fetch)
 */
export async function writeDeltaCommit(repo: Repo, superblock: DeltaSuperblock, partial = false): Promise<void> {
  const meta = superblockCommitMeta(superblock);
  if (partial) await repo.setCommitPartial(superblock.to, true);
  if (meta !== undefined) await repo.writeCommitMeta(superblock.to, meta);
  await repo.writeMetadata('commit', superblock.commitBytes, superblock.to);
}

/** Options of {@link applyOfflineDelta}. */
export interface ApplyOfflineOptions extends Omit<ApplyOptions, 'readPart' | 'writeCommit'> {
  /**
   * Verifies a signed superblock; return false to reject it. Without it, signatures are not
   * checked, unless the repo sets `core.sign-verify-deltas=true`, which then refuses signed deltas.
   */
  readonly verifySignature?: (signed: SignedSuperblock) => Promise<boolean>;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

/**
 * `ostree static-delta apply-offline PATH`: applies the delta in directory `path` (or whose
 * superblock file is `path`), with parts read from beside the superblock. Deltas with fallback
 * objects are refused, as in ostree.
 * @param fs - the filesystem holding the delta (usually the repo's)
 * @throws {OstreeError} INVALID_DELTA, CHECKSUM_MISMATCH, OBJECT_NOT_FOUND, SIGNATURE_MISSING, SIGNATURE_INVALID
 */
export async function applyOfflineDelta(repo: Repo, path: string, fs: Fs = repo.fs, options: ApplyOfflineOptions = {}): Promise<ApplyResult> {
  const st = await fs.stat(path);
  const dir = st.type === 'directory' ? path : dirname(path);
  const superblockPath = st.type === 'directory' ? `${path}/superblock` : path;
  const { superblock, signed } = openDeltaSuperblock(await fs.readFile(superblockPath));
  if (signed) {
    const mandatory = repo.config.hasKey('core', 'sign-verify-deltas') && repo.config.getBoolean('core', 'sign-verify-deltas');
    if (options.verifySignature) {
      if (!(await options.verifySignature(signed))) throw new OstreeError('SIGNATURE_INVALID', 'Delta signature verification failed');
    } else if (mandatory) {
      throw new OstreeError('SIGNATURE_MISSING', 'Key is mandatory to check delta signature');
    }
  }
  if (superblock.from !== undefined && !(await repo.hasObject(superblock.from, 'commit'))) {
    throw new OstreeError('OBJECT_NOT_FOUND', `Commit ${superblock.from}, which is the delta source, is not in repository`);
  }
  checkDelta(superblock.fallbacks.length === 0, 'Cannot execute delta offline: contains nonempty http fallback entries');
  return applyStaticDelta(repo, superblock, {
    ...options,
    readPart: async (index) => ({ fs, path: `${dir}/${index}` }),
  });
}
