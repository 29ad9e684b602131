/**
 * Choosing how to fetch a commit, as ostree 2022.7 decides it: by a static delta from a commit
 * this repository already has complete, by a scratch delta (first pull of a ref), or by
 * objects. Deltas are listed by the remote's delta index for the target
 * (`delta-indexes/XX/REST.index`, when the summary or config says `indexed-deltas`) and by the
 * summary (`ostree.static-deltas`); without either, ostree probes for a superblock directly.
 * @module
 */
import { OstreeError, deltaIndexPath, formatDeltaName, lookupTyped, type Summary } from '@ostree-ts/core';
import { decodeDeltaIndex, deltasInMetadata, type DeltaDigest } from '@ostree-ts/delta';
import type { Repo } from '@ostree-ts/repo';
import type { Fetcher } from './fetcher.js';
import { remoteUrl } from './http.js';

/** What was decided for one commit. */
export type FetchPlan =
  | { readonly kind: 'objects' }
  /** Nothing to do: the commit is complete and deltas are required (no detached-metadata refresh). */
  | { readonly kind: 'nothing' }
  /** Fetch this superblock (`from` undefined: scratch); `digest` is the listed SHA-256, if any. */
  | { readonly kind: 'delta'; readonly from: string | undefined; readonly to: string; readonly digest: string | undefined };

/** What the remote says about deltas, read once per pull. */
export interface DeltaSources {
  /** Deltas listed in the summary. */
  readonly summaryDeltas: readonly DeltaDigest[];
  /** The remote publishes `delta-indexes/` (summary `ostree.summary.indexed-deltas` or config `core.indexed-deltas`). */
  readonly indexed: boolean;
  readonly hasSummary: boolean;
}

/** Reads the delta sources of a summary (and the remote config's `core.indexed-deltas`). */
export function deltaSources(summary: Summary | undefined, configIndexed: boolean): DeltaSources {
  if (summary === undefined) return { summaryDeltas: [], indexed: configIndexed, hasSummary: false };
  return {
    summaryDeltas: deltasInMetadata(summary.metadata),
    indexed: lookupTyped<boolean>(summary.metadata, 'ostree.summary.indexed-deltas', 'b') ?? false,
    hasSummary: true,
  };
}

/** The error ostree gives when deltas are required and none fits. */
export function requiredDeltaError(from: string, to: string): OstreeError {
  return new OstreeError('OBJECT_NOT_FOUND', `Static deltas required, but none found for ${from} to ${to}`);
}

async function completeCommit(repo: Repo, checksum: string): Promise<boolean> {
  return (await repo.hasObject(checksum, 'commit')) && !(await repo.isCommitPartial(checksum));
}

async function commitTimestamp(repo: Repo, checksum: string): Promise<bigint> {
  return (await repo.loadCommit(checksum)).timestamp;
}

/**
 * Plans the fetch of `to` (requested as `ref`, which currently points at `localFrom` here).
 * @param onIndexFetched - called after a delta-index request (ostree counts it as metadata)
 */
export async function planFetch(
  repo: Repo,
  fetcher: Fetcher,
  contentUrl: string,
  sources: DeltaSources,
  to: string,
  ref: string | undefined,
  localFrom: string | undefined,
  require: boolean,
  maxMetadata: number,
  onIndexFetched: () => void,
): Promise<FetchPlan> {
  if (sources.indexed || sources.summaryDeltas.length > 0) {
    let listed = sources.summaryDeltas;
    if (sources.indexed) {
      const bytes = await fetcher.getBytes(remoteUrl(contentUrl, deltaIndexPath(to)), maxMetadata);
      onIndexFetched();
      // The index's entries are added to the summary's (ostree merges both lists).
      if (bytes !== undefined) listed = [...listed, ...decodeDeltaIndex(bytes)];
    }
    return chooseListedDelta(repo, listed, to, ref, localFrom, require);
  }
  if (ref !== undefined) {
    // No lists: try a delta from the local tip of the ref (if complete), else from scratch.
    let from = localFrom;
    if (from !== undefined && !(await completeCommit(repo, from))) from = undefined;
    if (from !== undefined && from === to) return { kind: 'objects' };
    return { kind: 'delta', from, to, digest: undefined };
  }
  return { kind: 'delta', from: undefined, to, digest: undefined };
}

async function chooseListedDelta(
  repo: Repo,
  listed: readonly DeltaDigest[],
  to: string,
  ref: string | undefined,
  localFrom: string | undefined,
  require: boolean,
): Promise<FetchPlan> {
  const digestOf = (from: string | undefined) => listed.find((d) => d.to === to && d.from === from)?.superblockDigest;
  if (await completeCommit(repo, to)) return require ? { kind: 'nothing' } : { kind: 'objects' };
  let scratch = false;
  let best: { from: string; timestamp: bigint } | undefined;
  for (const d of listed) {
    if (d.to !== to) continue;
    if (d.from === undefined) {
      scratch = true;
      continue;
    }
    if (!(await completeCommit(repo, d.from))) continue;
    const timestamp = await commitTimestamp(repo, d.from);
    if (best === undefined || timestamp > best.timestamp) best = { from: d.from, timestamp };
  }
  if (best !== undefined) return { kind: 'delta', from: best.from, to, digest: digestOf(best.from) };
  if (scratch) {
    // With the ref already here, objects are likely cheaper than a whole scratch delta.
    if (localFrom !== undefined) return { kind: 'objects' };
    return { kind: 'delta', from: undefined, to, digest: digestOf(undefined) };
  }
  if (require) throw requiredDeltaError(ref ?? '', to);
  return { kind: 'objects' };
}

/** The delta's name for messages: `FROM-TO` or `TO`. */
export function deltaLabel(from: string | undefined, to: string): string {
  return formatDeltaName({ from, to });
}
