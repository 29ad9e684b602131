// Runs a test "case" (input text, load options, operations, queries) against
// our KeyFile and reports the result in exactly the shape that
// test-vectors/keyfile/glib_keyfile.py reports GLib's behaviour in.
import { KeyFile, KeyFileError } from '../src/index.js';

export type Outcome = { ok: true; value: unknown } | { ok: false; code: string };

export interface Op {
  op: string;
  group?: string | null;
  key?: string | null;
  value?: unknown;
}

export interface Query {
  call: string;
  group?: string | null;
  key?: string | null;
}

export interface Case {
  input: string;
  options?: { keepComments?: boolean; keepTranslations?: boolean };
  ops?: Op[];
  queries?: Query[];
}

export interface ValueSnapshot {
  key: string;
  [call: string]: Outcome | string;
}

export interface Snapshot {
  groups: string[];
  topComment: Outcome;
  detail: { name: string; keys: string[]; comment: Outcome; values: ValueSnapshot[] }[];
}

export type CaseResult =
  | { loadError: string }
  | { opResults: ({ ok: true } | { ok: false; code: string })[]; output: string; snapshot: Snapshot; queries?: Outcome[] };

export function attempt(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof KeyFileError) return { ok: false, code: e.code };
    throw e;
  }
}

export function applyOp(kf: KeyFile, op: Op): void {
  const g = op.group ?? null;
  const k = op.key ?? null;
  const v = op.value;
  switch (op.op) {
    case 'setValue':
      return kf.setValue(g!, k!, v as string);
    case 'setString':
      return kf.setString(g!, k!, v as string);
    case 'setBoolean':
      return kf.setBoolean(g!, k!, v as boolean);
    case 'setInteger':
      return kf.setInteger(g!, k!, v as number);
    case 'setInt64':
      return kf.setInt64(g!, k!, BigInt(v as string));
    case 'setUint64':
      return kf.setUint64(g!, k!, BigInt(v as string));
    case 'setStringList':
      return kf.setStringList(g!, k!, v as string[]);
    case 'removeKey':
      return kf.removeKey(g!, k!);
    case 'removeGroup':
      return kf.removeGroup(g!);
    case 'setComment':
      return kf.setComment(g, k, v as string);
    case 'removeComment':
      return kf.removeComment(g, k);
    default:
      throw new Error(`unknown op ${op.op}`);
  }
}

export function query(kf: KeyFile, call: string, g: string | null = null, k: string | null = null): Outcome {
  switch (call) {
    case 'getValue':
      return attempt(() => kf.getValue(g!, k!));
    case 'getString':
      return attempt(() => kf.getString(g!, k!));
    case 'getStringList':
      return attempt(() => kf.getStringList(g!, k!));
    case 'getBoolean':
      return attempt(() => kf.getBoolean(g!, k!));
    case 'getInteger':
      return attempt(() => kf.getInteger(g!, k!));
    case 'getInt64':
      return attempt(() => kf.getInt64(g!, k!).toString());
    case 'getUint64':
      return attempt(() => kf.getUint64(g!, k!).toString());
    case 'getComment':
      return attempt(() => kf.getComment(g, k));
    case 'keys':
      return attempt(() => kf.keys(g!));
    case 'hasGroup':
      return attempt(() => kf.hasGroup(g!));
    default:
      throw new Error(`unknown query ${call}`);
  }
}

const VALUE_CALLS = ['getValue', 'getString', 'getStringList', 'getBoolean', 'getInteger', 'getInt64', 'getUint64', 'getComment'];

export function snapshot(kf: KeyFile): Snapshot {
  const groups = kf.groups();
  return {
    groups,
    topComment: query(kf, 'getComment'),
    detail: groups.map((name) => {
      const keys = kf.keys(name);
      return {
        name,
        keys,
        comment: query(kf, 'getComment', name),
        values: [...new Set(keys)].map((key) => {
          const entry: ValueSnapshot = { key };
          for (const call of VALUE_CALLS) entry[call] = query(kf, call, name, key);
          return entry;
        }),
      };
    }),
  };
}

export function runCase(c: Case): CaseResult {
  let kf: KeyFile;
  try {
    kf = KeyFile.parse(c.input, {
      keepComments: c.options?.keepComments ?? true,
      keepTranslations: c.options?.keepTranslations ?? false,
    });
  } catch (e) {
    if (e instanceof KeyFileError) return { loadError: e.code };
    throw e;
  }
  const opResults = (c.ops ?? []).map((op) => {
    try {
      applyOp(kf, op);
      return { ok: true as const };
    } catch (e) {
      if (e instanceof KeyFileError) return { ok: false as const, code: e.code };
      throw e;
    }
  });
  const result: CaseResult = { opResults, output: kf.toString(), snapshot: snapshot(kf) };
  if (c.queries && c.queries.length > 0) {
    result.queries = c.queries.map((q) => query(kf, q.call, q.group ?? null, q.key ?? null));
  }
  return result;
}
