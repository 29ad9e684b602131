/**
 * A bounded work pool with a LIFO queue: work found while walking the tree is pushed and
 * picked up depth-first, so the queue stays proportional to the tree's breadth along the
 * current path rather than to the whole tree, while up to `limit` filesystem operations run
 * in parallel.
 *
 * Every task has a position in ostree's sequential traversal order (a {@link TaskKey}). When
 * tasks fail, the one reported is the earliest in that order, as ostree (which stops at its
 * first error) would report it: after a failure, queued and new tasks that come later are
 * dropped, earlier ones still run (they may fail first), and the pool drains before the
 * error is thrown.
 * @module
 */

/** A position in traversal order: the `index`-th step inside `parent`'s steps. @internal */
export interface TaskKey {
  readonly parent: TaskKey | undefined;
  readonly index: number;
}

function path(key: TaskKey | undefined): number[] {
  const out: number[] = [];
  for (let k = key; k !== undefined; k = k.parent) out.push(k.index);
  return out.reverse();
}

/** Negative if `a` comes before `b` in traversal order (a parent comes before its children). */
export function compareKeys(a: TaskKey | undefined, b: TaskKey | undefined): number {
  const x = path(a);
  const y = path(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

interface Task {
  readonly key: TaskKey | undefined;
  readonly run: () => Promise<void>;
}

/** @internal */
export class Scheduler {
  #stack: Task[] = [];
  #running = 0;
  #error: { readonly key: TaskKey | undefined; readonly error: unknown } | undefined;
  #settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  readonly #idle: Promise<void>;

  constructor(private readonly limit: number) {
    this.#idle = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Avoid an unhandled rejection if nobody waits (the caller always does).
    this.#idle.catch(() => undefined);
  }

  /** True once a task has failed. */
  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** True if work at `key` is still worth doing (nothing earlier has failed). */
  wanted(key: TaskKey | undefined): boolean {
    return this.#error === undefined || compareKeys(key, this.#error.key) < 0;
  }

  /** Queues a task at traversal position `key` (dropped if an earlier task already failed). */
  push(key: TaskKey | undefined, run: () => Promise<void>): void {
    if (!this.wanted(key)) return;
    this.#stack.push({ key, run });
    this.#pump();
  }

  /** Resolves when every queued task has run, or rejects with the earliest failure once no task is running. */
  wait(): Promise<void> {
    this.#checkIdle();
    return this.#idle;
  }

  #pump(): void {
    while (this.#running < this.limit && this.#stack.length > 0) {
      const task = this.#stack.pop()!;
      this.#running++;
      task.run().then(
        () => this.#done(),
        (error: unknown) => {
          if (this.wanted(task.key)) {
            this.#error = { key: task.key, error };
            this.#stack = this.#stack.filter((t) => this.wanted(t.key));
          }
          this.#done();
        },
      );
    }
  }

  #done(): void {
    this.#running--;
    this.#pump();
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#running > 0 || this.#stack.length > 0) return;
    if (this.#error !== undefined) this.#settle?.reject(this.#error.error);
    else this.#settle?.resolve();
  }
}
