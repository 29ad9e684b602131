/**
 * Boot Loader Specification entry files as ostree reads and writes them
 * (`boot/loader.N/entries/ostree-*.conf`), and glibc's `strverscmp`, which ostree uses to
 * order entries by their `version` key.
 * @module
 */
import { VariantDict } from '@ostree-ts/core';
import type { BlsEntry } from './bootloader.js';

/** Keys ostree writes first, in this order (the example order of the BLS document). */
export const BLS_KEY_ORDER = ['title', 'version', 'options', 'devicetree', 'linux', 'initrd'] as const;

/**
 * Parses an entry the way ostree's bootconfig parser does: lines split on `\n`; only lines
 * starting with an ASCII letter count; key and value split at the first space or tab (the
 * value keeps any further whitespace); lines without a separator are ignored. A repeated key
 * replaces the earlier value in place, except `initrd`, whose repeats are overlay initrds.
 *
 * The result lists each key once (in order of first appearance) with overlay `initrd`
 * lines directly after the first `initrd`.
 */
export function parseBlsEntry(text: string): BlsEntry {
  const values = new Map<string, string>();
  const overlays: string[] = [];
  for (const line of text.split('\n')) {
    if (!/^[A-Za-z]/.test(line)) continue;
    const sep = line.search(/[ \t]/);
    if (sep < 0) continue;
    const key = line.slice(0, sep);
    const value = line.slice(sep + 1);
    if (key === 'initrd' && values.has('initrd')) overlays.push(value);
    else values.set(key, value);
  }
  const fields: [string, string][] = [];
  for (const [key, value] of values) {
    fields.push([key, value]);
    if (key === 'initrd') for (const o of overlays) fields.push(['initrd', o]);
  }
  return { fields };
}

/**
 * Serializes an entry byte for byte as ostree writes it: `title, version, options, devicetree,
 * linux, initrd` (those present), then overlay initrds (further `initrd` fields), then the
 * other keys in the iteration order of ostree's GLib hash table, each as `key value\n`.
 * For a repeated non-`initrd` key the last value wins, as in ostree.
 */
export function serializeBlsEntry(entry: BlsEntry): string {
  const { values, overlays } = splitFields(entry);
  let out = '';
  for (const key of BLS_KEY_ORDER) {
    const value = values.get(key);
    if (value !== undefined) out += `${key} ${value}\n`;
  }
  if (values.has('initrd')) for (const o of overlays) out += `initrd ${o}\n`;
  for (const key of glibHashOrder([...values.keys()])) {
    if ((BLS_KEY_ORDER as readonly string[]).includes(key)) continue;
    out += `${key} ${values.get(key)!}\n`;
  }
  return out;
}

/** The value of `key` (the primary one for `initrd`), or undefined. */
export function blsGet(entry: BlsEntry, key: string): string | undefined {
  if (key === 'initrd') return entry.fields.find(([k]) => k === key)?.[1];
  let found: string | undefined;
  for (const [k, v] of entry.fields) if (k === key) found = v;
  return found;
}

/** Overlay initrds: every `initrd` value after the first. */
export function blsOverlayInitrds(entry: BlsEntry): string[] {
  return entry.fields.filter(([k]) => k === 'initrd').slice(1).map(([, v]) => v);
}

/** Builds an entry from key/value pairs in order (skipping undefined values). */
export function blsEntry(fields: ReadonlyArray<readonly [string, string | undefined]>): BlsEntry {
  return { fields: fields.filter((f): f is readonly [string, string] => f[1] !== undefined) };
}

function splitFields(entry: BlsEntry): { values: Map<string, string>; overlays: string[] } {
  const values = new Map<string, string>();
  const overlays: string[] = [];
  for (const [key, value] of entry.fields) {
    if (key === 'initrd' && values.has('initrd')) overlays.push(value);
    else values.set(key, value);
  }
  return { values, overlays };
}

// ostree keeps options in a GHashTable keyed by g_str_hash; GVariantDict iterates the same
// kind of table, so its slot order is the order ostree writes unknown keys in. Values unused.
function glibHashOrder(keys: readonly string[]): string[] {
  const table = new VariantDict();
  const placeholder = undefined as unknown as Parameters<VariantDict['insert']>[1];
  for (const key of keys) table.insert(key, placeholder);
  return table.end().map(([key]) => key);
}

// glibc strverscmp state machine: states Normal, Integer, Fraction, leading Zeros, each with
// three input classes (other, digit 1-9, '0').
const S_N = 0;
const S_I = 3;
const S_F = 6;
const S_Z = 9;
const CMP = 2;
const LEN = 3;
const NEXT_STATE = [S_N, S_I, S_Z, S_N, S_I, S_I, S_N, S_F, S_F, S_N, S_F, S_Z];
const RESULT_TYPE = [
  CMP, CMP, CMP, CMP, LEN, CMP, CMP, CMP, CMP,
  CMP, -1, -1, +1, LEN, LEN, +1, LEN, LEN,
  CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP,
  CMP, +1, +1, -1, CMP, CMP, -1, CMP, CMP,
];

const utf8 = new TextEncoder();
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const digitClass = (c: number): number => (c === 0x30 ? 1 : 0) + (isDigit(c) ? 1 : 0);

/**
 * glibc's `strverscmp` over the UTF-8 bytes: digit runs compare numerically, runs with
 * leading zeros as fractions. Returns a negative number, 0 or a positive number (the sign is
 * what matters; the magnitude matches glibc's too).
 */
export function strverscmp(a: string, b: string): number {
  const s1 = utf8.encode(a);
  const s2 = utf8.encode(b);
  const at = (s: Uint8Array, i: number): number => (i < s.length ? s[i]! : 0);
  let i = 0;
  let c1 = at(s1, i);
  let c2 = at(s2, i);
  i++;
  let state = S_N + digitClass(c1);
  let diff: number;
  while ((diff = c1 - c2) === 0) {
    if (c1 === 0) return 0;
    state = NEXT_STATE[state]!;
    c1 = at(s1, i);
    c2 = at(s2, i);
    i++;
    state += digitClass(c1);
  }
  const result = RESULT_TYPE[state * 3 + digitClass(c2)]!;
  if (result === CMP) return diff;
  if (result !== LEN) return result;
  let j = i;
  while (isDigit(at(s1, j))) {
    if (!isDigit(at(s2, j))) return 1;
    j++;
  }
  return isDigit(at(s2, j)) ? -1 : diff;
}

/**
 * ostree's entry order: by `version` with {@link strverscmp}, highest first; entries without
 * a version sort after those with one. Use with `Array.prototype.sort`.
 */
export function compareBlsEntries(a: BlsEntry, b: BlsEntry): number {
  const va = blsGet(a, 'version');
  const vb = blsGet(b, 'version');
  if (va !== undefined && vb !== undefined) return -strverscmp(va, vb);
  return va !== undefined ? -1 : 1;
}
