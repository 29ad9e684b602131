/**
 * The order readdir(3) returns directory entries in. ostree fills some hash tables (refs) in
 * that order, and where keys collide the table's iteration order — which ostree prints —
 * depends on it. The Fs interface lists names "in no particular order" and nodeFs sorts them
 * (libuv's scandir does), so for directories on the real filesystem the raw order is read
 * with opendir(); any other Fs keeps its own order.
 * @module
 */
import { opendir } from 'node:fs/promises';
import type { Fs } from '@ostree-ts/io';

/** Names in `path`, in the kernel's readdir order when that can be had. */
export async function readdirInOsOrder(fs: Fs, path: string): Promise<string[]> {
  const names = await fs.readdir(path);
  let raw: string[];
  try {
    raw = [];
    for await (const entry of await opendir(path)) raw.push(entry.name);
  } catch {
    return names;
  }
  const known = new Set(names);
  return raw.length === names.length && raw.every((n) => known.has(n)) ? raw : names;
}
