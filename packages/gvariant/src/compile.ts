/**
 * Compiles type strings into cached encoder/decoder closures.
 * @module
 */
import { buildDecoder, type Decoder, type DecoderEntry } from './decode.js';
import { buildEncoder, type Encoder, type EncoderEntry } from './encode.js';
import { parseType, type TypeNode } from './type-string.js';

/** A parsed type with lazily built encoder and decoder (variants found in data often only decode). */
export class CompiledType implements DecoderEntry, EncoderEntry {
  private decoder: Decoder | undefined;
  private encoder: Encoder | undefined;
  /** The public codec object, created on first request. */
  codec: unknown;

  /** @param node - parsed type */
  constructor(readonly node: TypeNode) {}

  /** Decoder for this type as a root (static depth 0). */
  get dec(): Decoder {
    return (this.decoder ??= buildDecoder(this.node, 0, compileFromData));
  }

  /** Encoder for this type as a root (static depth 0). */
  get enc(): Encoder {
    return (this.encoder ??= buildEncoder(this.node, 0, compileFromData));
  }
}

// Bounded so that hostile data full of distinct variant types cannot grow memory without limit.
const CACHE_LIMIT = 4096;
// Longer type strings seen inside data are compiled but not cached.
const DATA_TYPE_CACHE_MAX_LENGTH = 256;
const cache = new Map<string, CompiledType>();

/**
 * Parses and compiles `type`, caching the result.
 * @param type - GVariant type string
 * @returns the compiled type
 * @throws {GVariantError} `GVARIANT_INVALID_TYPE` for invalid type strings
 * @example
 * ```ts
 * compile('a{sv}').node.kind; // 'array'
 * ```
 */
export function compile(type: string): CompiledType {
  return lookup(type, true);
}

/** Like {@link compile}, for type strings read from (possibly hostile) data. */
function compileFromData(type: string): CompiledType {
  return lookup(type, type.length <= DATA_TYPE_CACHE_MAX_LENGTH);
}

function lookup(type: string, remember: boolean): CompiledType {
  const hit = cache.get(type);
  if (hit !== undefined) return hit;
  const compiled = new CompiledType(parseType(type));
  if (remember) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(type, compiled);
  }
  return compiled;
}
