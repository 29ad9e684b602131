/**
 * In-memory document model shared by the parser, the writer and {@link KeyFile}.
 * @module
 */

/**
 * One line of a group: a `key=value` pair, or (when `key` is `null`) a comment
 * or blank line stored verbatim in `value`. A comment entry created by
 * `setComment` may hold several lines joined by `\n`.
 */
export interface Entry {
  /** Key name, or `null` for a comment/blank line. */
  key: string | null;
  /** Raw value text (escapes not decoded), or the comment line itself. */
  value: string;
}

/**
 * A group: its header name (or `null` for the group-less block at the top of
 * the file), its entries in file order, and a lookup table.
 *
 * GLib keeps every parsed line, so a key repeated inside a group leaves *two*
 * entries; `lookup` points at the last one, which is what getters see.
 */
export interface Group {
  /** Group name; `null` only for the top-of-file block. */
  readonly name: string | null;
  /**
   * A comment attached by `setComment(group, null, …)`, written just before
   * the `[name]` header. Parsed comments never land here.
   */
  comment: string | null;
  /** Entries in file order. */
  entries: Entry[];
  /** Key name → the entry getters and setters use. */
  readonly lookup: Map<string, Entry>;
}

/** Create an empty group. */
export function newGroup(name: string | null): Group {
  return { name, comment: null, entries: [], lookup: new Map() };
}

/** Deep copy of a list of groups. */
export function cloneGroups(groups: readonly Group[]): Group[] {
  return groups.map((g) => {
    const copy = newGroup(g.name);
    copy.comment = g.comment;
    const map = new Map<Entry, Entry>();
    copy.entries = g.entries.map((e) => {
      const c = { key: e.key, value: e.value };
      map.set(e, c);
      return c;
    });
    for (const [k, e] of g.lookup) copy.lookup.set(k, map.get(e)!);
    return copy;
  });
}
