/**
 * `ostree static-delta generate`: plans a delta, writes its parts (xz-compressed, split by
 * size) and its superblock, in the repository's `deltas/` or beside `--filename`.
 * @module
 */
import { OstreeError, deltaDirectory, toHex, type Metadata } from '@ostree-ts/core';
import { bsdiff as wasmBsdiff } from '@ostree-ts/bsdiff';
import { joinPath, type Repo } from '@ostree-ts/repo';
import { PART_COMPRESSION_XZ, encodePartFile, encodePartPayload } from '../part.js';
import { DELTA_PART_VERSION, encodeSuperblock, superblockMetadata, type DeltaFallback, type DeltaPartHeader } from '../superblock.js';
import { xzCompressPart, type PartCompressor } from './compress.js';
import {
  DEFAULT_MAX_BSDIFF_SIZE,
  DEFAULT_MAX_CHUNK_SIZE,
  DEFAULT_MIN_FALLBACK_SIZE,
  type BsdiffFunction,
  type GenerateDeltaOptions,
} from './options.js';
import { PartBuilder, type BuiltPart } from './part-builder.js';
import { planDelta, type DeltaPlan } from './plan.js';
import { rollsumPieces, type RollsumMatches } from './rollsum.js';
import { windowedBsdiff } from './windowed-bsdiff.js';

/** What {@link generateDelta} wrote. */
export interface GenerateDeltaResult {
  /** Path of the superblock file. */
  readonly superblockPath: string;
  /** The superblock file bytes (after `transformSuperblock`). */
  readonly superblock: Uint8Array;
  readonly parts: readonly DeltaPartHeader[];
  readonly fallbacks: readonly DeltaFallback[];
  /** How many objects went each way. */
  readonly counts: { readonly metadata: number; readonly plain: number; readonly symlinks: number; readonly bsdiff: number; readonly rollsum: number; readonly fallback: number };
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

/** Writes `bytes` to `path` through a temporary file in the same directory, mode 0644. */
async function writeAtomically(repo: Repo, path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${dirnameOf(path)}/.tmp-${basenameOf(path)}-${Math.random().toString(36).slice(2)}`;
  await repo.fs.writeFile(tmp, bytes, { mode: 0o644 });
  try {
    await repo.fs.rename(tmp, path);
  } catch (e) {
    await repo.fs.unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Collects parts: starts new ones when full, compresses and stores finished ones. */
class PartWriter {
  current = new PartBuilder();
  readonly headers: DeltaPartHeader[] = [];
  readonly inlineFiles: Uint8Array[] = [];

  constructor(
    private readonly repo: Repo,
    private readonly dir: string,
    private readonly inline: boolean,
    private readonly maxChunkSize: number,
    private readonly compress: PartCompressor,
    private readonly log: ((line: string) => void) | undefined,
  ) {}

  /** Starts a new part if the current one has objects and `fits` says it is full. */
  async splitIf(full: boolean): Promise<void> {
    if (this.current.objectCount > 0 && full) {
      await this.finishPart();
      this.current = new PartBuilder();
    }
  }

  /** ostree's rule for whole objects: split before the payload would exceed the limit. */
  splitBefore(size: number): Promise<void> {
    return this.splitIf(this.current.blobLength + size > this.maxChunkSize);
  }

  /** ostree's rule for diffed objects: split once the payload already exceeds the limit. */
  splitIfOver(): Promise<void> {
    return this.splitIf(this.current.blobLength > this.maxChunkSize);
  }

  /** The current part serialized; its blob is dropped here so only the serialized copy stays alive while compressing. */
  private serializeCurrent(): { objects: BuiltPart['objects']; usize: number; serialized: { bytes: Uint8Array } } {
    const built = this.current.finish();
    return { objects: built.objects, usize: built.usize, serialized: { bytes: encodePartPayload(built.payload) } };
  }

  async finishPart(): Promise<void> {
    const { objects, usize, serialized } = this.serializeCurrent();
    const body = await this.compress(serialized.bytes);
    serialized.bytes = new Uint8Array(0);
    const file = encodePartFile(PART_COMPRESSION_XZ, body);
    const index = this.headers.length;
    const checksum = toHex(this.repo.hash().update(file).digest());
    this.headers.push({ version: DELTA_PART_VERSION, checksum, size: BigInt(file.length), uncompressedSize: BigInt(usize), objects });
    this.log?.(`part ${index + 1} n:${objects.length} compressed:${file.length} uncompressed:${usize}`);
    if (this.inline) this.inlineFiles.push(file);
    else await writeAtomically(this.repo, joinPath(this.dir, String(index)), file);
  }
}

/** A windowed bsdiff patch; the old file goes to a temporary file so windows can be read by position. */
async function windowedPatch(repo: Repo, from: string, to: string, matches: RollsumMatches, maxBsdiffSize: number, bsdiff: BsdiffFunction): Promise<Uint8Array> {
  const old = await repo.loadContent(from);
  const tmp = joinPath(repo.tmpDir, `delta-bsdiff-old-${Math.random().toString(36).slice(2)}`);
  const out = await repo.fs.openWrite(tmp, { mode: 0o600 });
  try {
    try {
      for await (const c of old.chunks()) await out.write(c);
    } finally {
      await out.close();
    }
    const handle = await repo.fs.openRead(tmp);
    try {
      const target = await repo.loadContent(to);
      return await windowedBsdiff({ old: handle, oldSize: old.size, newStream: target.chunks(), newSize: target.size, matches: matches.matches, maxBsdiffSize, bsdiff });
    } finally {
      await handle.close();
    }
  } finally {
    await repo.fs.unlink(tmp).catch(() => undefined);
  }
}

async function emitParts(repo: Repo, plan: DeltaPlan, writer: PartWriter, bsdiff: BsdiffFunction | undefined, maxBsdiffSize: number): Promise<void> {
  for (const m of plan.metadata) {
    const bytes = await repo.readMetadata(m.type, m.checksum);
    await writer.splitBefore(bytes.length);
    writer.current.addMetadata(m.type, m.checksum, bytes);
  }
  for (const r of plan.rollsum) {
    await writer.splitIfOver();
    const pieces = await rollsumPieces(r.toChunks, r.matches, (await repo.loadContent(r.to.checksum)).chunks());
    if (pieces.reduce((n, p) => n + ('data' in p ? p.data.length : p.length), 0) !== r.to.size) {
      throw new OstreeError('INVALID_OBJECT', `content object ${r.to.checksum} changed size while generating a delta`);
    }
    writer.current.addRollsum(r.to.checksum, r.to.header, r.to.size, r.from, pieces);
  }
  for (const d of plan.bsdiff) {
    await writer.splitIfOver();
    const patch = d.windows ? await windowedPatch(repo, d.from, d.to.checksum, d.windows, maxBsdiffSize, bsdiff!) : await bsdiff!(await (await repo.loadContent(d.from)).readAll(), await (await repo.loadContent(d.to.checksum)).readAll());
    writer.current.addBsdiff(d.to.checksum, d.to.header, d.to.size, d.from, patch);
  }
  for (const f of plan.plain) {
    await writer.splitBefore(f.size);
    const data = await collect((await repo.loadContent(f.checksum)).chunks());
    writer.current.addPlainContent(f.checksum, f.header, f.size, data);
  }
  const encoder = new TextEncoder();
  for (const s of plan.symlinks) {
    await writer.splitBefore(0);
    writer.current.addPlainContent(s.checksum, s.header, 0, [encoder.encode(s.header.symlinkTarget)]);
  }
  await writer.finishPart();
}

/**
 * Generates a static delta from `options.from` (or from nothing) to `options.to`, as
 * `ostree static-delta generate` does: parts in `deltas/<from>-<to>/` (or beside
 * `options.filename`), then the superblock. Does not update the summary or delta indexes.
 * @throws {OstreeError} OBJECT_NOT_FOUND when a commit or object is missing
 */
export async function generateDelta(repo: Repo, options: GenerateDeltaOptions): Promise<GenerateDeltaResult> {
  const { from, to } = options;
  const log = options.log;
  const bsdiff = options.disableBsdiff ? undefined : (options.bsdiff ?? wasmBsdiff);
  const commitBytes = await repo.readMetadata('commit', to);
  const maxBsdiffSize = options.maxBsdiffSize ?? DEFAULT_MAX_BSDIFF_SIZE;
  const plan = await planDelta(repo, from, to, {
    minFallbackSize: options.minFallbackSize ?? DEFAULT_MIN_FALLBACK_SIZE,
    maxBsdiffSize,
    bsdiffWindows: options.bsdiffWindows ?? false,
    ostreeRules: options.ostreeRules ?? false,
    useBsdiff: bsdiff !== undefined,
    useRollsum: !options.disableRollsum,
    ...(log ? { log } : {}),
  });

  let dir: string;
  let superblockPath: string;
  if (options.filename !== undefined) {
    if (options.filename === '') throw new OstreeError('INVALID_ARGUMENT', "Invalid 'filename' parameter");
    dir = dirnameOf(options.filename);
    superblockPath = options.filename;
  } else {
    dir = joinPath(repo.path, deltaDirectory(from, to));
    superblockPath = joinPath(dir, 'superblock');
    await repo.fs.mkdir(dir, { recursive: true, mode: 0o775 });
  }

  const writer = new PartWriter(repo, dir, options.inline ?? false, options.maxChunkSize ?? DEFAULT_MAX_CHUNK_SIZE, options.compress ?? xzCompressPart, log);
  await emitParts(repo, plan, writer, bsdiff, maxBsdiffSize);

  const fallbacks: DeltaFallback[] = [];
  for (const f of plan.fallback) {
    fallbacks.push({ type: 'file', checksum: f.checksum, compressedSize: BigInt(await repo.objectStorageSize(f.checksum, 'file')), uncompressedSize: BigInt(f.size) });
  }
  const endianness = options.endianness ?? 'little';
  const commitMeta: Metadata | undefined = await repo.loadCommitMeta(to);
  const metadata = superblockMetadata({
    from,
    to,
    endianness,
    ...(options.metadata ? { extra: options.metadata } : {}),
    ...(options.inline ? { inlineParts: writer.inlineFiles } : {}),
    ...(commitMeta !== undefined ? { commitMeta } : {}),
  });
  const now = options.now ?? Date.now;
  let superblock = encodeSuperblock({
    metadata,
    timestamp: BigInt(Math.floor(now() / 1000)),
    from,
    to,
    commitBytes,
    parts: writer.headers,
    fallbacks,
    endianness,
  });
  if (options.transformSuperblock) superblock = await options.transformSuperblock(superblock);
  await writeAtomically(repo, superblockPath, superblock);
  log?.(`rollsum=${plan.rollsum.length} objects`);
  log?.(`bsdiff=${plan.bsdiff.length} objects`);
  return {
    superblockPath,
    superblock,
    parts: writer.headers,
    fallbacks,
    counts: {
      metadata: plan.metadata.length,
      plain: plan.plain.length,
      symlinks: plan.symlinks.length,
      bsdiff: plan.bsdiff.length,
      rollsum: plan.rollsum.length,
      fallback: plan.fallback.length,
    },
  };
}
