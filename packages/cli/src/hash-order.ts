/**
 * ostree prints some lists (`ostree refs`) by walking a GHashTable keyed with g_str_hash, so
 * their order is the table's slot order, not sorted. core's VariantDict models exactly that
 * table (GVariantDict is a GHashTable underneath); this reuses it to order plain keys.
 * @module
 */
import { VariantDict, variant } from '@ostree-ts/core';

const PRESENT = variant('b', true);

/**
 * The order a GHashTable(g_str_hash, g_str_equal) iterates `keys` in, when they are inserted
 * in the given order (duplicates keep their first position).
 */
export function hashTableOrder(keys: Iterable<string>): string[] {
  const dict = new VariantDict();
  for (const k of keys) dict.insert(k, PRESENT);
  return dict.end().map(([k]) => k);
}
