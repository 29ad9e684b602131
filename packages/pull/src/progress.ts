/**
 * Pull progress: counters, transfer rate and an ETA, reported as events.
 * @module
 */

/** Progress counters, reported after every stored object (and delta part). */
export interface PullProgress {
  /** Objects queued for download so far (metadata and content; grows while the tree is walked). */
  readonly requestedObjects: number;
  /** Objects downloaded, verified and stored. */
  readonly fetchedObjects: number;
  readonly fetchedMetadata: number;
  readonly fetchedContent: number;
  /**
   * Detached-metadata (`.commitmeta`) requests answered, found or not. ostree counts these as
   * fetched metadata in its summary line ("N metadata, M content objects fetched").
   */
  readonly fetchedCommitMeta: number;
  /** Delta-index and superblock requests answered, found or not (also "metadata" for ostree). */
  readonly fetchedDeltaMetadata: number;
  /** Bytes received over the network (as transferred, i.e. compressed). */
  readonly bytesTransferred: number;
  /** Uncompressed size of the content objects stored. */
  readonly contentBytesWritten: number;
  /** Static delta parts fetched and applied, out of `totalDeltaParts`. */
  readonly fetchedDeltaParts: number;
  readonly totalDeltaParts: number;
  /** Compressed size of all delta parts to fetch, and of those fetched so far. */
  readonly totalDeltaPartBytes: number;
  readonly fetchedDeltaPartBytes: number;
  /** Milliseconds since the pull started. */
  readonly elapsedMs: number;
  /** Average transfer rate so far (0 during the first second). */
  readonly bytesPerSecond: number;
  /** Estimated seconds left, when it can be estimated. */
  readonly etaSeconds: number | undefined;
}

/** Mutable counters behind {@link PullProgress}. */
export class ProgressTracker {
  requested = 0;
  fetchedMetadata = 0;
  fetchedContent = 0;
  fetchedCommitMeta = 0;
  fetchedDeltaMetadata = 0;
  contentBytesWritten = 0;
  fetchedDeltaParts = 0;
  totalDeltaParts = 0;
  totalDeltaPartBytes = 0;
  fetchedDeltaPartBytes = 0;
  private readonly start: number;

  constructor(
    private readonly bytes: () => number,
    private readonly listener: ((p: PullProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
  }

  snapshot(): PullProgress {
    const elapsedMs = Math.max(0, this.now() - this.start);
    const bytesTransferred = this.bytes();
    const bytesPerSecond = elapsedMs < 1000 || bytesTransferred === 0 ? 0 : Math.round(bytesTransferred / (elapsedMs / 1000));
    const fetchedObjects = this.fetchedMetadata + this.fetchedContent;
    let etaSeconds: number | undefined;
    if (bytesPerSecond > 0) {
      if (this.totalDeltaParts > 0) {
        etaSeconds = Math.max(0, this.totalDeltaPartBytes - this.fetchedDeltaPartBytes) / bytesPerSecond;
      } else if (fetchedObjects > 0) {
        // Remaining objects at the average size seen so far; grows while the walk discovers more.
        etaSeconds = ((this.requested - fetchedObjects) * (bytesTransferred / fetchedObjects)) / bytesPerSecond;
      }
    }
    return {
      requestedObjects: this.requested,
      fetchedObjects,
      fetchedMetadata: this.fetchedMetadata,
      fetchedContent: this.fetchedContent,
      fetchedCommitMeta: this.fetchedCommitMeta,
      fetchedDeltaMetadata: this.fetchedDeltaMetadata,
      bytesTransferred,
      contentBytesWritten: this.contentBytesWritten,
      fetchedDeltaParts: this.fetchedDeltaParts,
      totalDeltaParts: this.totalDeltaParts,
      totalDeltaPartBytes: this.totalDeltaPartBytes,
      fetchedDeltaPartBytes: this.fetchedDeltaPartBytes,
      elapsedMs,
      bytesPerSecond,
      etaSeconds: etaSeconds === undefined ? undefined : Math.round(etaSeconds),
    };
  }

  report(): void {
    this.listener?.(this.snapshot());
  }
}
