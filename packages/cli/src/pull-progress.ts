/**
 * What `ostree pull` prints: on a terminal, a live status line ("Receiving objects: 45%
 * (45/100) 1.2 MB/s 3.4 MB"), redrawn at most 10 times a second; in every case the final
 * summary line ostree prints ("7 metadata, 4 content objects fetched; 842 B transferred in
 * 0 seconds; 11 bytes content written"), which scripts parse.
 * @module
 */
import type { PullProgress } from '@ostree-ts/pull';
import { formatSize } from './format-size.js';

/** ostree's "Receiving …" line for a progress snapshot. */
export function formatPullProgressLine(p: PullProgress): string {
  const rate = p.bytesPerSecond > 0 ? formatSize(p.bytesPerSecond) : '-';
  const eta = p.etaSeconds !== undefined && p.bytesPerSecond > 0 ? ` ${formatDuration(p.etaSeconds)} remaining` : '';
  if (p.totalDeltaParts > 0) {
    return `Receiving delta parts: ${p.fetchedDeltaParts}/${p.totalDeltaParts} ${formatSize(p.fetchedDeltaPartBytes)}/${formatSize(p.totalDeltaPartBytes)} ${rate}/s${eta}`;
  }
  const percent = p.requestedObjects === 0 ? 0 : Math.trunc((p.fetchedObjects / p.requestedObjects) * 100);
  return `Receiving objects: ${percent}% (${p.fetchedObjects}/${p.requestedObjects}) ${rate}/s ${formatSize(p.bytesTransferred)}${eta}`;
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} seconds`;
  if (s < 3600) return `${Math.floor(s / 60)} minutes ${s % 60} seconds`;
  return `${Math.floor(s / 3600)} hours ${Math.floor((s % 3600) / 60)} minutes`;
}

/** ostree's final status line of a pull (without the newline). */
export function formatPullSummary(p: PullProgress, local: boolean): string {
  const metadata = p.fetchedMetadata + p.fetchedCommitMeta + p.fetchedDeltaMetadata;
  let line: string;
  if (local) line = `${p.fetchedMetadata} metadata, ${p.fetchedContent} content objects imported`;
  else if (p.fetchedDeltaParts > 0) line = `${p.fetchedDeltaParts} delta parts, ${metadata + p.fetchedContent} loose fetched`;
  else line = `${metadata} metadata, ${p.fetchedContent} content objects fetched`;
  if (p.bytesTransferred > 0) {
    const transferred = p.bytesTransferred < 1024 ? `${p.bytesTransferred} B` : `${Math.floor(p.bytesTransferred / 1024)} KiB`;
    line += `; ${transferred} transferred in ${Math.floor(p.elapsedMs / 1000)} seconds`;
  }
  return `${line}; ${formatSize(p.contentBytesWritten)} content written`;
}

/** Redraws one terminal line with the latest progress, throttled. */
export class TerminalProgress {
  private last = -Infinity;
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(p: PullProgress): void {
    const t = this.now();
    if (t - this.last < 100) return;
    this.last = t;
    this.drawn = true;
    this.write(`\r\x1b[K${formatPullProgressLine(p)}`);
  }

  /** Replaces the live line with `text` and ends it. */
  finish(text: string): void {
    this.write(`${this.drawn ? '\r\x1b[K' : ''}${text}\n`);
  }
}
