/**
 * A deflate worker pool created on first use: archive-mode writes compress on every core with
 * ostree's exact bytes, and commands that never compress start no threads.
 * @module
 */
import { createDeflatePool, type DeflatePool } from '@ostree-ts/compress-workers';
import type { AsyncDeflaterFactory } from '@ostree-ts/repo';

/** Lazily started pool; `close()` after the command. */
export class LazyDeflatePool {
  private pool: DeflatePool | undefined;

  /** The factory to give `openRepo`. */
  readonly deflater: AsyncDeflaterFactory = (level) => (this.pool ??= createDeflatePool()).open(level);

  /** Stops the workers, if any were started. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
