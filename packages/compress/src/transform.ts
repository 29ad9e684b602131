/**
 * The push/end transform shape shared by deflate and inflate.
 * @module
 */
import { CompressError } from './errors.js';
import { checkBytes } from './util.js';

/** A push-based byte transform: feed chunks, collect output, then finish. */
export interface ByteTransform {
  /**
   * Feeds the next input chunk and returns the output it made available (possibly none).
   * The chunk is not retained after the call returns, so the caller may reuse its buffer.
   * Returned arrays are never reused or modified afterwards.
   */
  push(chunk: Uint8Array): Uint8Array[];
  /** Signals the end of input and returns the remaining output. The transform is then closed. */
  end(): Uint8Array[];
}

/** @internal What a transform drives: one step per push, `final` on end. */
export interface Engine {
  run(chunk: Uint8Array, final: boolean): Uint8Array[];
}

const EMPTY = new Uint8Array(0);

/**
 * @internal Wraps an engine with argument checks and a closed/failed state. After an error,
 * every later call rethrows it.
 */
export function guardTransform(engine: Engine, what: string): ByteTransform {
  let closed = false;
  let failure: unknown;
  const step = (chunk: Uint8Array, final: boolean): Uint8Array[] => {
    if (failure !== undefined) throw failure;
    if (closed) throw new CompressError('COMPRESS_INVALID_ARGUMENT', `${what} stream already ended`);
    try {
      const out = engine.run(chunk, final);
      if (final) closed = true;
      return out;
    } catch (e) {
      failure = e;
      throw e;
    }
  };
  return {
    push(chunk) {
      checkBytes(chunk, 'chunk');
      return step(chunk, false);
    },
    end() {
      return step(EMPTY, true);
    },
  };
}
