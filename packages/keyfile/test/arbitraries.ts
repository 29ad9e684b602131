// fast-check generators for key files and operation sequences.
import fc from 'fast-check';
import type { Case, Op } from './harness.js';

const GROUPS = ['core', 'remote "origin"', 'sysroot', 'origin', 'a', 'b', 'grüße', 'x y', 'Desktop Entry'];
const BAD_GROUPS = ['', 'a[b', 'a]b', 'tab\there'];
const KEYS = ['mode', 'url', 'k', 'branches', 'gpg-verify', 'Name', 'Name[de]', 'Name[C]', 'a b', 'x.y@z', 'ключ', 'Encoding', 'repo_version'];
const BAD_KEYS = [' k', 'k ', 'k[', 'k]', 'k[d e]', 'k[de]x'];

/** Characters that exercise escapes, separators, comments and Unicode. */
const VALUE_CHARS = ['a', 'b', 'z', '0', '1', '9', '-', '+', ' ', ' ', '\t', '\\', '\\', ';', ';', '#', '=', '[', ']', 's', 'n', 't', 'r', 'é', '日', '😀', '\f', '\v', 'x'];
const TOKENS = ['true', 'false', '1', '0', '-5', '2147483648', '-1', '\\s', '\\;', '\\n', '\\t', '\\\\', 'archive-z2', 'https://example.com/repo'];

const valueText = (extra: string[] = []): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...VALUE_CHARS, ...extra) }, { weight: 1, arbitrary: fc.constantFrom(...TOKENS) }), {
      maxLength: 8,
    })
    .map((parts) => parts.join(''));

const ws = fc.constantFrom('', '', '', ' ', '  ', '\t', ' \t', '\f');

const groupName = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...GROUPS) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_GROUPS) });
const keyName = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_KEYS) });

const lineOf = (group: fc.Arbitrary<string>, key: fc.Arbitrary<string>, garbageWeight: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(ws, group, fc.constantFrom('', '', ' ', '\t ')).map(([a, g, b]) => `${a}[${g}]${b}`) },
    { weight: 8, arbitrary: fc.tuple(ws, key, ws, ws, valueText()).map(([a, k, b, c, v]) => `${a}${k}${b}=${c}${v}`) },
    { weight: 2, arbitrary: fc.tuple(ws, valueText()).map(([a, t]) => `${a}#${t}`) },
    { weight: 2, arbitrary: ws },
    { weight: garbageWeight, arbitrary: valueText() },
  );

const textOf = (line: fc.Arbitrary<string>, groupFirst: fc.Arbitrary<boolean>): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.tuple(line, fc.constantFrom('\n', '\n', '\n', '\r\n')), { maxLength: 14 }),
      fc.constantFrom('', '', 'strip', '\n', '\r'),
      groupFirst,
    )
    .map(([lines, tail, startWithGroup]) => {
      const body = lines.map(([l, eol]) => l + eol).join('');
      const text = (startWithGroup ? '[core]\n' : '') + body;
      // 'strip' drops the final newline, leaving the last line unterminated.
      return tail === 'strip' ? text.replace(/\n$/, '') : text + tail;
    });

/**
 * Random key-file text: mostly well-formed (valid names, a group first), and
 * a quarter of the time "wild" (bad names, stray lines, keys before groups).
 */
export const keyFileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: textOf(lineOf(fc.constantFrom(...GROUPS), fc.constantFrom(...KEYS), 0), fc.constant(true)) },
  { weight: 1, arbitrary: textOf(lineOf(groupName, keyName, 1), fc.boolean()) },
);

const validGroup = fc.constantFrom(...GROUPS);
const validKey = fc.constantFrom(...KEYS);
const anyText = valueText(['\n', '\r']);

/** A random operation; setters only get valid names (GLib ignores invalid ones with a critical). */
export const operation: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('setValue'), group: validGroup, key: validKey, value: valueText() }),
  fc.record({ op: fc.constant('setString'), group: validGroup, key: validKey, value: anyText }),
  fc.record({ op: fc.constant('setBoolean'), group: validGroup, key: validKey, value: fc.boolean() }),
  fc.record({ op: fc.constant('setInteger'), group: validGroup, key: validKey, value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc.record({
    op: fc.constant('setInt64'),
    group: validGroup,
    key: validKey,
    value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  }),
  fc.record({ op: fc.constant('setUint64'), group: validGroup, key: validKey, value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String) }),
  fc.record({ op: fc.constant('setStringList'), group: validGroup, key: validKey, value: fc.array(anyText, { maxLength: 4 }) }),
  fc.record({ op: fc.constant('removeKey'), group: validGroup, key: validKey }),
  fc.record({ op: fc.constant('removeGroup'), group: validGroup }),
  fc.record({ op: fc.constant('setComment'), group: fc.option(validGroup), key: fc.option(validKey), value: anyText }),
  fc.record({ op: fc.constant('removeComment'), group: fc.option(validGroup), key: fc.option(validKey) }),
);

/** A full differential case: text, load options and operations. */
export const differentialCase: fc.Arbitrary<Case> = fc.record({
  input: keyFileText,
  options: fc.record({ keepComments: fc.boolean(), keepTranslations: fc.boolean() }),
  ops: fc.array(operation, { maxLength: 8 }),
});

/** Names and values for building documents through the API (round-trip property). */
export const api = { validGroup, validKey, anyText, valueText };
