/**
 * `ostree summary -u`: the summary file listing every local ref, and the per-commit delta
 * indexes, written as ostree 2022.7 writes them (metadata dictionaries in GVariantDict order).
 * @module
 */
import {
  VariantDict,

  deltaDirectory,
  deltaIndexPath,
  encodeMetadata,
  encodeSummary,
  formatDeltaName,
  lookupTyped,
  bswap64,
  variant,
  compareUtf8,
  type Metadata,
  type SummaryRef,
} from '@ostree-ts/core';
import { hasErrorCode } from '@ostree-ts/io';
import { listDeltas } from './deltas.js';
import { withRepoLock } from './lock.js';
import { ifExists } from './fs-errors.js';
import { dirname, joinPath } from './path.js';
import type { Repo } from './repo.js';
import { tempPath } from './temp.js';

/** Options for {@link generateSummary}. */
export interface SummaryOptions {
  /** Extra summary metadata (e.g. `ostree.summary.expires`), inserted first as ostree does. */
  readonly additionalMetadata?: Metadata;
  /** Clock for `ostree.summary.last-modified` (ms since the epoch; default Date.now). */
  readonly now?: () => number;
}

async function refEntry(repo: Repo, name: string, checksum: string): Promise<SummaryRef> {
  const bytes = await repo.readMetadata('commit', checksum);
  const commit = await repo.loadCommit(checksum);
  const meta = new VariantDict();
  meta.insert('ostree.commit.timestamp', variant('t', bswap64(commit.timestamp)));
  const version = lookupTyped<string>(commit.metadata, 'version', 's');
  if (version !== undefined) meta.insert('ostree.commit.version', variant('s', version));
  return { name, commitSize: BigInt(bytes.length), checksum, metadata: meta.end() };
}

/** SHA-256 of a delta's superblock file, as listed in summaries and delta indexes. */
async function superblockDigest(repo: Repo, from: string | undefined, to: string): Promise<Uint8Array> {
  const bytes = await repo.fs.readFile(joinPath(repo.path, deltaDirectory(from, to), 'superblock'));
  return repo.hash().update(bytes).digest();
}

/** The summary bytes ostree would write for this repository now. */
export async function generateSummary(repo: Repo, options: SummaryOptions = {}): Promise<Uint8Array> {
  const refs = [...(await repo.listRefs()).entries()].sort(([a], [b]) => compareUtf8(a, b));
  const entries: SummaryRef[] = [];
  for (const [name, checksum] of refs) entries.push(await refEntry(repo, name, checksum));

  const meta = new VariantDict(options.additionalMetadata ?? []);
  const noDeltas = repo.config.hasKey('core', 'no-deltas-in-summary') && repo.config.getBoolean('core', 'no-deltas-in-summary');
  if (!noDeltas) {
    const deltas = await listDeltas(repo);
    if (deltas.length > 0) {
      const dict = new VariantDict();
      for (const d of deltas) dict.insert(formatDeltaName(d), variant('ay', await superblockDigest(repo, d.from, d.to)));
      meta.insert('ostree.static-deltas', variant('a{sv}', dict.end()));
    }
  }
  const now = options.now ?? Date.now;
  meta.insert('ostree.summary.last-modified', variant('t', bswap64(BigInt(Math.floor(now() / 1000)))));
  meta.insert('ostree.summary.mode', variant('s', repo.config.hasKey('core', 'mode') ? repo.config.getValue('core', 'mode') : 'bare'));
  meta.insert('ostree.summary.tombstone-commits', variant('b', repo.settings.tombstoneCommits));
  meta.insert('ostree.summary.indexed-deltas', variant('b', true));
  if (repo.settings.collectionId !== undefined) meta.insert('ostree.summary.collection-id', variant('s', repo.settings.collectionId));
  return encodeSummary({ refs: entries, metadata: meta.end() });
}

async function replaceFile(repo: Repo, path: string, bytes: Uint8Array): Promise<void> {
  await repo.fs.mkdir(dirname(path), { recursive: true, mode: 0o775 });
  const tmp = tempPath(repo.tmpDir, 'replace');
  await repo.fs.writeFile(tmp, bytes, { mode: 0o644 });
  await repo.fs.rename(tmp, path);
}

/** Options for {@link reindexDeltas}. */
export interface ReindexOptions {
  /** Only rewrite (or remove) the index of this target commit (`reindex --to`). */
  readonly to?: string;
}

/**
 * Rewrites `delta-indexes/`: one index per target commit listing every delta that reaches
 * it, stale indexes removed, and `core.indexed-deltas=true` recorded (ostree's reindex).
 */
export async function reindexDeltas(repo: Repo, options: ReindexOptions = {}): Promise<void> {
  const byTarget = new Map<string, (string | undefined)[]>();
  for (const d of await listDeltas(repo)) {
    if (options.to !== undefined && d.to !== options.to) continue;
    let froms = byTarget.get(d.to);
    if (!froms) byTarget.set(d.to, (froms = []));
    froms.push(d.from);
  }
  const wanted = new Set<string>();
  for (const [to, froms] of byTarget) {
    // ostree sorts the sources (scratch first) so the index is reproducible.
    froms.sort((a, b) => (a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : compareUtf8(a, b)));
    const dict = new VariantDict();
    for (const from of froms) dict.insert(formatDeltaName({ from, to }), variant('ay', await superblockDigest(repo, from, to)));
    const rel = deltaIndexPath(to);
    wanted.add(rel);
    await replaceFile(repo, joinPath(repo.path, rel), encodeMetadata([['ostree.static-deltas', variant('a{sv}', dict.end())]]));
  }
  if (options.to !== undefined) {
    if (!wanted.has(deltaIndexPath(options.to))) await ifExists(() => repo.fs.unlink(joinPath(repo.path, deltaIndexPath(options.to!))));
    await markIndexed(repo);
    return;
  }
  const base = joinPath(repo.path, 'delta-indexes');
  let prefixes: string[] = [];
  try {
    prefixes = await repo.fs.readdir(base);
  } catch (e) {
    if (!hasErrorCode(e, 'ENOENT')) throw e;
  }
  for (const prefix of prefixes) {
    for (const name of await repo.fs.readdir(joinPath(base, prefix)).catch(() => [] as string[])) {
      if (name.endsWith('.index') && !wanted.has(`delta-indexes/${prefix}/${name}`)) await repo.fs.unlink(joinPath(base, prefix, name));
    }
  }
  await markIndexed(repo);
}

async function markIndexed(repo: Repo): Promise<void> {
  if (!(repo.config.hasKey('core', 'indexed-deltas') && repo.config.getValue('core', 'indexed-deltas') === 'true')) {
    repo.config.setValue('core', 'indexed-deltas', 'true');
    await repo.saveConfig();
  }
}

/**
 * `ostree summary -u`: reindexes deltas, writes `summary` atomically and deletes the now
 * stale `summary.sig`. Returns the summary bytes.
 */
export async function updateSummary(repo: Repo, options: SummaryOptions = {}): Promise<Uint8Array> {
  return withRepoLock(repo, 'shared', async () => {
    const bytes = await generateSummary(repo, options);
    await reindexDeltas(repo);
    await replaceFile(repo, joinPath(repo.path, 'summary'), bytes);
    await ifExists(() => repo.fs.unlink(joinPath(repo.path, 'summary.sig')));
    return bytes;
  });
}

