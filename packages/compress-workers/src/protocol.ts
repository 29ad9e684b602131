/**
 * Messages between the pool and its workers. One worker serves many deflate streams; each
 * stream lives in exactly one worker, so its output is the same as a single-threaded stream.
 * @module
 */

/** Pool → worker. */
export type Request =
  | { readonly id: number; readonly op: 'open'; readonly level: number }
  | { readonly id: number; readonly op: 'push'; readonly chunk: Uint8Array }
  | { readonly id: number; readonly op: 'end' };

/** Worker → pool: the output of one request, or why it failed. */
export type Reply = { readonly id: number; readonly out: Uint8Array[] } | { readonly id: number; readonly error: string; readonly code?: string };
