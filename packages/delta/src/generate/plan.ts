/**
 * Deciding how each new object travels: metadata and small files whole, changed files as a
 * bsdiff patch or rollsum copies against an old version, big files as fallbacks (fetched as
 * plain objects). The plan holds checksums and chunk lists, never file contents.
 * @module
 */
import type { Repo } from '@ostree-ts/repo';
import { computeNewObjects, type NewContent, type NewObjects } from './new-objects.js';
import { matchRollsumChunks, rollsumChunks, type RollsumChunk, type RollsumMatches } from './rollsum.js';
import { findSimilarFiles } from './similar.js';

/** A changed file encoded against an old one. */
export interface DiffEntry {
  readonly to: NewContent;
  readonly from: string;
  /** Set when the pair is too large to diff whole: diff window by window, aligned by these matches. */
  readonly windows?: RollsumMatches;
}

/** A changed file encoded as rollsum copies. */
export interface RollsumEntry extends DiffEntry {
  readonly toChunks: readonly RollsumChunk[];
  readonly matches: RollsumMatches;
}

/** How every new object is carried. */
export interface DeltaPlan {
  readonly metadata: NewObjects['metadata'];
  readonly rollsum: readonly RollsumEntry[];
  readonly bsdiff: readonly DiffEntry[];
  readonly fallback: readonly NewContent[];
  readonly plain: readonly NewContent[];
  readonly symlinks: readonly NewContent[];
}

/** The choices that shape a plan. */
export interface PlanOptions {
  readonly minFallbackSize: number;
  readonly maxBsdiffSize: number;
  readonly useBsdiff: boolean;
  readonly useRollsum: boolean;
  /** ostree's rules only: no same-path sources, rollsum before bsdiff. */
  readonly ostreeRules?: boolean;
  /** Diff pairs above `maxBsdiffSize` window by window instead of using rollsum. */
  readonly bsdiffWindows?: boolean;
  readonly log?: (line: string) => void;
}

const S_IROTH = 0o004;

/**
 * Plans a delta. For each changed file with an old version: bsdiff when both fit the bsdiff
 * limit, else rollsum copies when at least half of the new file's chunks exist in the old one
 * (ostree's threshold), or with `bsdiffWindows` a windowed bsdiff. ostree tries rollsum first;
 * a bsdiff patch is usually much smaller than rollsum copies. Old versions that are not world-readable
 * are never used (a bare-user client could not read them), as in ostree.
 */
export async function planDelta(repo: Repo, from: string | undefined, to: string, options: PlanOptions): Promise<DeltaPlan> {
  const news = await computeNewObjects(repo, from, to);
  const sizes = new Map(news.regularFiles.map((f) => [f.checksum, f.size]));
  const similar = from === undefined ? new Map<string, string>() : await findSimilarFiles(repo, from, to, sizes, { samePath: !options.ostreeRules });
  options.log?.(`modified: ${similar.size}`);
  options.log?.(`new reachable: metadata=${news.metadata.length} content regular=${news.regularFiles.length} symlink=${news.symlinks.length}`);

  const rollsum: RollsumEntry[] = [];
  const bsdiff: DiffEntry[] = [];
  const diffed = new Set<string>();
  for (const f of news.regularFiles) {
    const source = similar.get(f.checksum);
    if (source === undefined) continue;
    const old = await repo.loadContent(source);
    if ((old.header.mode & S_IROTH) === 0) continue;
    const bsdiffFits = options.useBsdiff && old.size + f.size <= options.maxBsdiffSize;
    if (bsdiffFits && !options.ostreeRules) {
      bsdiff.push({ to: f, from: source });
      diffed.add(f.checksum);
      continue;
    }
    const windowed = options.useBsdiff && options.bsdiffWindows === true && !bsdiffFits;
    if (!options.useRollsum && !windowed && !bsdiffFits) continue;
    const digest = () => repo.hash();
    const fromChunks = await rollsumChunks(old.chunks(), digest);
    const toChunks = await rollsumChunks((await repo.loadContent(f.checksum)).chunks(), digest);
    const matches = matchRollsumChunks(fromChunks, toChunks);
    if (windowed) {
      bsdiff.push({ to: f, from: source, windows: matches });
      diffed.add(f.checksum);
      continue;
    }
    if (options.useRollsum && Math.floor((matches.matches.length * 100) / Math.max(matches.total, 1)) >= 50) {
      options.log?.(`rollsum for ${source} -> ${f.checksum}; bufs=${matches.matches.length} total=${matches.total} matchsize=${matches.matchedBytes}`);
      rollsum.push({ to: f, from: source, toChunks, matches });
      diffed.add(f.checksum);
      continue;
    }
    if (bsdiffFits) {
      bsdiff.push({ to: f, from: source });
      diffed.add(f.checksum);
    }
  }

  const fallback: NewContent[] = [];
  const plain: NewContent[] = [];
  for (const f of news.regularFiles) {
    if (diffed.has(f.checksum)) continue;
    if (options.minFallbackSize > 0 && f.size > options.minFallbackSize) fallback.push(f);
    else plain.push(f);
  }
  return { metadata: news.metadata, rollsum, bsdiff, fallback, plain, symlinks: news.symlinks };
}
