/**
 * Document model → text, byte-for-byte as GLib's `g_key_file_to_data()`.
 * @module
 */

import type { Group } from './model.js';

/**
 * Serialize groups to GKeyFile text.
 *
 * Every line ends in `\n`. Before each group, if the text so far does not
 * already end in a blank line, one blank line is inserted, so groups are
 * always separated (and a top-of-file comment is separated from the first
 * group). A group comment set through the API precedes its header.
 *
 * @param groups - groups in file order, index 0 being the top-of-file block
 */
export function formatKeyFile(groups: readonly Group[]): string {
  let out = '';
  for (const group of groups) {
    if (out.length >= 2 && out[out.length - 2] !== '\n') out += '\n';
    if (group.comment !== null) out += group.comment + '\n';
    if (group.name !== null) out += '[' + group.name + ']\n';
    for (const entry of group.entries) {
      out += entry.key === null ? entry.value + '\n' : entry.key + '=' + entry.value + '\n';
    }
  }
  return out;
}
