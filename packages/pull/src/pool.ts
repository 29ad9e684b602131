/**
 * A bounded task pool whose tasks may add more tasks (a tree walk discovers work as it goes).
 * The first failure stops new tasks from starting, aborts the pool's signal so requests in
 * flight end early, and is what {@link TaskPool.drain} rejects with once every running task
 * has settled (so nothing is written after the pull has reported failure).
 * @module
 */

export class TaskPool {
  private active = 0;
  private readonly queue: (() => Promise<void>)[] = [];
  private failed = false;
  private failure: unknown;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly limit: number,
    private readonly controller: AbortController,
  ) {}

  /** The signal tasks should pass to their requests. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Queues a task (ignored once the pool has failed). */
  add(task: () => Promise<void>): void {
    if (this.failed) return;
    this.queue.push(task);
    this.pump();
  }

  /** Records a failure from outside a task (e.g. the commit fetch). */
  fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = e;
    this.queue.length = 0;
    if (!this.controller.signal.aborted) this.controller.abort(e);
  }

  private pump(): void {
    while (!this.failed && this.active < this.limit && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.active++;
      void (async () => {
        try {
          await task();
        } catch (e) {
          this.fail(e);
        } finally {
          this.active--;
          this.pump();
          this.settle();
        }
      })();
    }
  }

  private settle(): void {
    if (this.active !== 0 || (this.queue.length > 0 && !this.failed)) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (this.failed) w.reject(this.failure);
      else w.resolve();
    }
  }

  /** Resolves when all tasks are done; rejects with the first failure after running tasks settle. */
  drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.settle();
    });
  }
}
