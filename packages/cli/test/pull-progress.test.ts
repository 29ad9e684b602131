// ostree's pull status lines: the final summary scripts parse and the live terminal line.
import { describe, expect, it } from 'vitest';
import type { PullProgress } from '@ostree-ts/pull';
import { formatPullProgressLine, formatPullSummary, TerminalProgress } from '../src/pull-progress.js';

const base: PullProgress = {
  requestedObjects: 11,
  fetchedObjects: 11,
  fetchedMetadata: 6,
  fetchedContent: 4,
  fetchedCommitMeta: 1,
  fetchedDeltaMetadata: 0,
  bytesTransferred: 842,
  contentBytesWritten: 11,
  fetchedDeltaParts: 0,
  totalDeltaParts: 0,
  totalDeltaPartBytes: 0,
  fetchedDeltaPartBytes: 0,
  elapsedMs: 400,
  bytesPerSecond: 0,
  etaSeconds: undefined,
};

describe('formatPullSummary', () => {
  it('matches the line ostree prints for an object pull', () => {
    // Real ostree: "7 metadata, 4 content objects fetched; 842 B transferred in 0 seconds; 11 bytes content written"
    expect(formatPullSummary(base, false)).toBe('7 metadata, 4 content objects fetched; 842 B transferred in 0 seconds; 11 bytes content written');
    expect(formatPullSummary({ ...base, bytesTransferred: 49_814_528, elapsedMs: 4_900, contentBytesWritten: 115_300_000 }, false)).toBe(
      '7 metadata, 4 content objects fetched; 48647 KiB transferred in 4 seconds; 115.3\u00a0MB content written',
    );
  });
  it('delta pulls, local imports and nothing transferred', () => {
    expect(formatPullSummary({ ...base, fetchedDeltaParts: 1, fetchedDeltaMetadata: 2, fetchedMetadata: 0, fetchedContent: 2, fetchedCommitMeta: 0 }, false)).toBe(
      '1 delta parts, 4 loose fetched; 842 B transferred in 0 seconds; 11 bytes content written',
    );
    expect(formatPullSummary({ ...base, bytesTransferred: 0, contentBytesWritten: 1 }, true)).toBe('6 metadata, 4 content objects imported; 1 byte content written');
  });
});

describe('terminal progress', () => {
  it('draws ostree-style lines, throttled, and ends with the summary', () => {
    expect(formatPullProgressLine({ ...base, fetchedObjects: 5, bytesPerSecond: 2_000_000, etaSeconds: 3 })).toBe(
      'Receiving objects: 45% (5/11) 2.0\u00a0MB/s 842 bytes 3 seconds remaining',
    );
    expect(formatPullProgressLine({ ...base, totalDeltaParts: 4, fetchedDeltaParts: 1, totalDeltaPartBytes: 4_000_000, fetchedDeltaPartBytes: 1_000_000 })).toBe(
      'Receiving delta parts: 1/4 1.0\u00a0MB/4.0\u00a0MB -/s',
    );
    let now = 0;
    const out: string[] = [];
    const t = new TerminalProgress((s) => out.push(s), () => now);
    t.update(base);
    now = 50;
    t.update(base); // within 100 ms: skipped
    now = 200;
    t.update({ ...base, fetchedObjects: 11 });
    t.finish('done');
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\r\x1b\[KReceiving objects: 100% \(11\/11\)/);
    expect(out[2]).toBe('\r\x1b[Kdone\n');
  });
});
