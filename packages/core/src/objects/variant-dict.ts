/**
 * An `a{sv}` builder that emits entries in the same order as GLib's `GVariantDict`.
 *
 * ostree builds commit, summary and delta metadata with `GVariantDict`, whose `end()` walks
 * its hash table slot by slot. The order therefore depends on GLib's `g_str_hash` and its
 * open-addressing layout, and since the commit checksum covers the serialized metadata,
 * reproducing ostree's checksums means reproducing that order. Behaviour modelled on GLib
 * 2.74 (observed through python3-gi; see test/variant-dict.glib.test.ts): 8 initial slots,
 * index = (hash × 11) mod a prime below the size, triangular probing, tombstones on removal,
 * and an in-place re-layout when the table grows or shrinks.
 * @module
 */
import type { Variant } from '@ostree-ts/gvariant';
import type { Metadata } from './metadata.js';

const UNUSED = 0;
const TOMBSTONE = 1;
const MIN_SHIFT = 3;
// Largest prime below 2^shift, per shift (GLib's table of moduli).
const PRIME_MOD = [
  1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071, 262139, 524287, 1048573,
  2097143, 4194301, 8388593, 16777213, 33554393, 67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647,
];

const encoder = new TextEncoder();

/** GLib's `g_str_hash` (djb2 over the bytes as signed chars), never 0 or 1 inside the table. */
export function glibStrHash(key: string): number {
  let h = 5381;
  for (const byte of encoder.encode(key)) {
    const c = byte >= 128 ? byte - 256 : byte;
    h = (Math.imul(h, 33) + c) >>> 0;
  }
  return h;
}

/** Builds `a{sv}` metadata whose entry order matches what GLib's GVariantDict would emit. */
export class VariantDict {
  private size = 1 << MIN_SHIFT;
  private mod = PRIME_MOD[MIN_SHIFT]!;
  private hashes: number[] = new Array<number>(this.size).fill(UNUSED);
  private keys: (string | undefined)[] = new Array<string | undefined>(this.size);
  private values: (Variant | undefined)[] = new Array<Variant | undefined>(this.size);
  private nnodes = 0;
  private noccupied = 0;

  /** Starts from `initial` entries, inserted in order (as `g_variant_dict_new(asv)` does). */
  constructor(initial: Metadata = []) {
    for (const [k, v] of initial) this.insert(k, v);
  }

  private index(hash: number): number {
    return Number((BigInt(hash) * 11n) & 0xffffffffn) % this.mod;
  }

  private static realHash(key: string): number {
    const h = glibStrHash(key);
    return h < 2 ? 2 : h;
  }

  // Slot holding `key`, or the slot where it would go (first tombstone on the probe path).
  private find(key: string, hash: number): { slot: number; found: boolean } {
    let slot = this.index(hash);
    let step = 0;
    let tombstone = -1;
    for (;;) {
      const h = this.hashes[slot]!;
      if (h === UNUSED) break;
      if (h === hash && this.keys[slot] === key) return { slot, found: true };
      if (h === TOMBSTONE && tombstone < 0) tombstone = slot;
      step++;
      slot = (slot + step) & (this.size - 1);
    }
    return { slot: tombstone >= 0 ? tombstone : slot, found: false };
  }

  /** Sets `key` (an existing key keeps its position). */
  insert(key: string, value: Variant): this {
    const hash = VariantDict.realHash(key);
    const { slot, found } = this.find(key, hash);
    if (found) {
      this.values[slot] = value;
      return this;
    }
    const wasUnused = this.hashes[slot] === UNUSED;
    this.hashes[slot] = hash;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.nnodes++;
    if (wasUnused) {
      this.noccupied++;
      this.maybeResize();
    }
    return this;
  }

  /** Removes `key`; returns whether it was present. */
  remove(key: string): boolean {
    const hash = VariantDict.realHash(key);
    const { slot, found } = this.find(key, hash);
    if (!found) return false;
    this.hashes[slot] = TOMBSTONE;
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.nnodes--;
    this.maybeResize();
    return true;
  }

  /** The value under `key`, if any. */
  lookup(key: string): Variant | undefined {
    const hash = VariantDict.realHash(key);
    const { slot, found } = this.find(key, hash);
    return found ? this.values[slot] : undefined;
  }

  /** The entries in GLib's iteration order. */
  end(): [string, Variant][] {
    const out: [string, Variant][] = [];
    for (let i = 0; i < this.size; i++) if (this.hashes[i]! >= 2) out.push([this.keys[i]!, this.values[i]!]);
    return out;
  }

  private maybeResize(): void {
    const { size, nnodes, noccupied } = this;
    if ((size > nnodes * 4 && size > 1 << MIN_SHIFT) || size <= noccupied + Math.floor(noccupied / 16)) this.resize();
  }

  // Re-layout in place: walk the old slots in order; move each not-yet-placed entry to its
  // home slot in the new geometry, evicting (and then placing) whatever real entry sat there.
  private resize(): void {
    const oldSize = this.size;
    let bits = 0;
    for (let n = Math.trunc(this.nnodes * 1.333); n !== 0; n >>= 1) bits++;
    const shift = Math.max(bits, MIN_SHIFT);
    this.size = 1 << shift;
    this.mod = PRIME_MOD[shift]!;
    for (let i = oldSize; i < this.size; i++) {
      this.hashes[i] = UNUSED;
      this.keys[i] = undefined;
      this.values[i] = undefined;
    }
    const placed = new Uint8Array(Math.max(oldSize, this.size));
    for (let i = 0; i < oldSize; i++) {
      let hash = this.hashes[i]!;
      if (hash < 2) {
        this.hashes[i] = UNUSED;
        continue;
      }
      if (placed[i]) continue;
      this.hashes[i] = UNUSED;
      let key = this.keys[i];
      let value = this.values[i];
      this.keys[i] = undefined;
      this.values[i] = undefined;
      for (;;) {
        let slot = this.index(hash);
        let step = 0;
        while (placed[slot]) {
          step++;
          slot = (slot + step) & (this.size - 1);
        }
        placed[slot] = 1;
        const evictedHash = this.hashes[slot]!;
        const evictedKey = this.keys[slot];
        const evictedValue = this.values[slot];
        this.hashes[slot] = hash;
        this.keys[slot] = key;
        this.values[slot] = value;
        if (evictedHash < 2) break;
        hash = evictedHash;
        key = evictedKey;
        value = evictedValue;
      }
    }
    this.hashes.length = this.size;
    this.keys.length = this.size;
    this.values.length = this.size;
    this.noccupied = this.nnodes;
  }
}
