/**
 * A counting semaphore: at most `limit` tasks run at once. Keeps memory and open files
 * bounded when thousands of files are hashed and written concurrently.
 * @module
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /**
   * Runs `task` for every item through this limiter. After the first failure no new task
   * starts, the running ones are awaited, and then the first error is thrown: nothing keeps
   * working on the caller's behalf after this returns.
   */
  async all<T>(items: Iterable<T>, task: (item: T) => Promise<void>): Promise<void> {
    let failed = false;
    let first: unknown;
    await Promise.all(
      [...items].map((item) =>
        this.run(async () => {
          if (failed) return;
          try {
            await task(item);
          } catch (e) {
            if (!failed) first = e;
            failed = true;
          }
        }),
      ),
    );
    if (failed) throw first;
  }
}
