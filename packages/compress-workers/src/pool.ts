/**
 * A pool of worker threads running exact raw deflate. Exact deflate (the bytes ostree writes)
 * is pure JavaScript and about half as fast as C zlib; spreading streams over one worker per
 * core lets an archive-mode commit compress many files at once while the main thread hashes
 * and writes. Each stream is pinned to one worker, so its output is byte-identical to
 * `createRawDeflate({ exact: true })`.
 * @module
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CompressError, type CompressErrorCode } from '@ostree-ts/compress';
import type { Reply, Request } from './protocol.js';

/** An asynchronous push/end byte transform (the async twin of compress's ByteTransform). */
export interface AsyncByteTransform {
  /** Feeds a chunk (copied: the caller may reuse its buffer); resolves to the output made available. */
  push(chunk: Uint8Array): Promise<Uint8Array[]>;
  /** Ends the stream; resolves to the remaining output. */
  end(): Promise<Uint8Array[]>;
}

/** Options for {@link createDeflatePool}. */
export interface DeflatePoolOptions {
  /** Worker threads (default: available parallelism). */
  readonly size?: number;
  /** URL of the worker script (default: the built `deflate-worker.js` beside this module). */
  readonly workerUrl?: URL;
}

/** The pool: open deflate streams, then close it when done. */
export interface DeflatePool {
  /** Starts an exact raw deflate stream at `level` on the least busy worker. */
  open(level: number): AsyncByteTransform;
  /** Terminates the workers; streams still open fail. */
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (out: Uint8Array[]) => void; reject: (e: unknown) => void }>;
  streams: number;
  /** Set once the worker died; every later request fails with it. */
  failure?: unknown;
}

// Workers inherit the parent's execArgv. A test runner resolving this monorepo's packages to
// their TypeScript sources (the "@ostree-ts/source" condition) must not pass that on: the
// worker is plain Node and needs the built JavaScript.
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (/^(--conditions|-C)=@ostree-ts\/source$/.test(a)) continue;
    if ((a === '--conditions' || a === '-C') && argv[i + 1] === '@ostree-ts/source') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function defaultWorkerUrl(): URL {
  const beside = new URL('./deflate-worker.js', import.meta.url);
  // Under a TypeScript test runner this module is src/pool.ts; the worker must be built JS.
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../dist/deflate-worker.js', import.meta.url);
}

/** Creates a deflate worker pool. Call `close()` when done, or the workers keep the process alive. */
export function createDeflatePool(options: DeflatePoolOptions = {}): DeflatePool {
  const size = Math.max(1, options.size ?? availableParallelism());
  const url = options.workerUrl ?? defaultWorkerUrl();
  let nextId = 1;
  let closed = false;
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(url, { execArgv: workerExecArgv() });
    const slot: Slot = { worker, pending: new Map(), streams: 0 };
    worker.on('message', (reply: Reply) => {
      const waiter = slot.pending.get(reply.id);
      if (!waiter) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if ('error' in reply) waiter.reject(new CompressError((reply.code as CompressErrorCode) ?? 'COMPRESS_INVALID_ARGUMENT', reply.error));
      else waiter.resolve(reply.out);
    });
    const fail = (e: unknown) => {
      slot.failure ??= e;
      for (const w of slot.pending.values()) w.reject(slot.failure);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new CompressError('COMPRESS_INVALID_ARGUMENT', `deflate worker exited (${code})`)));
    worker.unref();
    slots.push(slot);
  }

  // A stream's requests are chained (see open), so at most one per stream is in flight and the
  // stream id identifies the reply.
  const send = (slot: Slot, req: Request, transfer: ArrayBuffer[] = []): Promise<Uint8Array[]> =>
    new Promise((resolve, reject) => {
      if (closed || slot.failure !== undefined) {
        reject(slot.failure ?? new CompressError('COMPRESS_INVALID_ARGUMENT', 'deflate pool is closed'));
        return;
      }
      // An idle pool must not keep the process alive, a busy one must.
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(req.id, { resolve, reject });
      slot.worker.postMessage(req, transfer);
    });

  return {
    open(level) {
      const slot = slots.reduce((a, b) => (b.streams < a.streams ? b : a));
      slot.streams++;
      const stream = nextId++;
      // The chunk is copied so the caller may reuse its buffer, and the copy is transferred.
      const request = (op: 'open' | 'push' | 'end', chunk?: Uint8Array): Promise<Uint8Array[]> => {
        const copy = chunk ? chunk.slice() : undefined;
        const req = (op === 'push' ? { id: stream, op, chunk: copy! } : op === 'open' ? { id: stream, op, level } : { id: stream, op }) as Request;
        return send(slot, req, copy ? [copy.buffer as ArrayBuffer] : []);
      };
      const opened = request('open');
      let chain: Promise<unknown> = opened;
      const queue = (op: 'push' | 'end', chunk?: Uint8Array): Promise<Uint8Array[]> => {
        const next = chain.then(() => request(op, chunk));
        chain = next.catch(() => undefined);
        return next;
      };
      return {
        push: (chunk) => queue('push', chunk),
        end: () =>
          queue('end').finally(() => {
            slot.streams--;
          }),
      };
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
