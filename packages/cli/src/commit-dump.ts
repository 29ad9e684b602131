/**
 * How `ostree log` and `ostree show` print a commit (ot_dump_object / dump_commit): a header
 * line, then either the raw variant or the Parent/ContentChecksum/Date/Version block with the
 * subject and body indented by four spaces.
 * @module
 */
import { COMMIT_TYPE, commitContentChecksum, decodeCommit, lookupMetadata, type ObjectType } from '@ostree-ts/core';
import { codec } from '@ostree-ts/gvariant';
import { formatCommitDate } from './date-format.js';
import { FatalError } from './errors.js';
import { byteswapValue } from './gvariant/byteswap.js';
import { printVariant } from './gvariant/print.js';

/** How to print (OstreeDumpFlags). */
export interface DumpFlags {
  /** `--raw`: only the variant, byte-swapped to host order (ot_dump_variant). */
  readonly raw?: boolean;
  /** `--no-byteswap`: the variant as stored, then the usual block. */
  readonly unswapped?: boolean;
}

/** ot_dump_variant(): the value byte-swapped (as on a little-endian host) and printed. */
export function dumpVariant(type: string, value: unknown): string {
  return `${printVariant(type, byteswapValue(type, value), true)}\n`;
}

function indented(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const nl = rest.indexOf('\n');
    if (nl >= 0) {
      out += `    ${rest.slice(0, nl + 1)}`;
      rest = rest.slice(nl + 1);
    } else {
      if (rest !== '') out += `    ${rest}\n`;
      return out;
    }
  }
}

/** The Parent/ContentChecksum/Date/Version/subject/body block (dump_commit). */
export function dumpCommitBody(bytes: Uint8Array): string {
  const commit = decodeCommit(bytes);
  const date = formatCommitDate(commit.timestamp);
  if (date === undefined) throw new FatalError(`Failed to read commit: Invalid timestamp: ${BigInt.asUintN(64, commit.timestamp)}`);
  let s = '';
  if (commit.parent !== undefined) s += `Parent:  ${commit.parent}\n`;
  s += `ContentChecksum:  ${commitContentChecksum(commit)}\n`;
  s += `Date:  ${date}\n`;
  const version = lookupMetadata(commit.metadata, 'version');
  if (version !== undefined && version.type === 's') s += `Version: ${version.value as string}\n`;
  if (commit.subject !== '') s += `\n${indented(commit.subject)}`;
  else s += '(no subject)\n';
  if (commit.body !== '') s += `\n${indented(commit.body)}`;
  return `${s}\n`;
}

/** GVariant type of each metadata object type. */
export const OBJECT_VARIANT_TYPES: Partial<Record<ObjectType, string>> = {
  commit: COMMIT_TYPE,
  dirtree: '(a(say)a(sayay))',
  dirmeta: '(uuua(ayay))',
  commitmeta: 'a{sv}',
};

/** ot_dump_object(): `TYPE CHECKSUM`, then the variant and/or the commit block. */
export function dumpObject(type: ObjectType, checksum: string, bytes: Uint8Array, flags: DumpFlags): string {
  let s = `${type} ${checksum}\n`;
  const variantType = OBJECT_VARIANT_TYPES[type]!;
  if (flags.unswapped) {
    s += `${printVariant(variantType, codec(variantType).decode(bytes), true)}\n`;
  } else if (flags.raw) {
    return s + dumpVariant(variantType, codec(variantType).decode(bytes));
  }
  if (type === 'commit') s += dumpCommitBody(bytes);
  return s;
}
