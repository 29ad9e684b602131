import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const VECTOR_DIR = fileURLToPath(new URL('../../../../test-vectors/gvariant/', import.meta.url));

export interface NormalCase {
  type: string;
  value: unknown;
  hex: string;
  bswap?: string;
  note?: string;
}

export interface NonNormalCase {
  type: string;
  hex: string;
  normalHex: string;
  glibValue: unknown;
  note: string;
}

export interface VectorFile<C> {
  provenance: { generator: string; glibVersion: string; generated: string; seed: number };
  cases: C[];
}

export function loadVectors<C>(name: string): VectorFile<C> {
  const raw = readFileSync(VECTOR_DIR + name);
  const text = name.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return JSON.parse(text) as VectorFile<C>;
}
