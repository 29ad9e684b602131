/**
 * `ostree summary --view` text (ot_dump_summary_bytes): each ref with its commit size,
 * checksum and metadata, then the summary's own metadata with ostree's friendly names.
 * @module
 */
import { SUMMARY_TYPE, toHex, type Metadata } from '@ostree-ts/core';
import { codec, type Variant } from '@ostree-ts/gvariant';
import { dumpVariant } from './commit-dump.js';
import { formatSize } from './format-size.js';
import { printVariant } from './gvariant/print.js';
import { localIso8601 } from './local-time.js';

type RawRef = [string, [bigint, Uint8Array, [string, Variant][]]];

const MODES = new Set(['bare', 'bare-user', 'bare-user-only', 'archive', 'archive-z2', 'bare-split-xattrs']);

function beU64(v: Variant): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, v.value as bigint, true);
  return view.getBigUint64(0, false);
}

function lookupString(meta: Metadata, key: string): string | undefined {
  for (const [k, v] of meta) if (k === key) return v.type === 's' ? (v.value as string) : undefined;
  return undefined;
}

function dumpRefs(collectionId: string | undefined, refs: readonly RawRef[], tz: string | undefined): string {
  let s = '';
  for (const [name, [size, csum, meta]] of refs) {
    s += collectionId === undefined ? `* ${name}\n` : `* (${collectionId}, ${name})\n`;
    s += `    Latest Commit (${formatSize(size)}):\n`;
    s += csum.length === 32 ? `      ${toHex(csum)}\n` : `      Invalid checksum of length ${csum.length} expected 32\n`;
    for (const [key, value] of meta) {
      if (key === 'ostree.commit.timestamp') s += `    Timestamp (${key}): ${localIso8601(beU64(value), tz)}\n`;
      else if (key === 'ostree.commit.version') s += `    Version (${key}): ${value.value as string}\n`;
      else s += `    ${key}: ${printVariant(value.type, value.value, false)}\n`;
    }
    s += '\n';
  }
  return s;
}

/** The `--view` text, or with `raw` the byte-swapped variant (`--raw`). */
export function dumpSummary(bytes: Uint8Array, raw: boolean, tz: string | undefined): string {
  const value = codec(SUMMARY_TYPE).decode(bytes) as unknown as [RawRef[], [string, Variant][]];
  if (raw) return dumpVariant(SUMMARY_TYPE, value);
  const [refs, exts] = value;
  let s = dumpRefs(lookupString(exts, 'ostree.summary.collection-id'), refs, tz);
  const map = exts.find(([k, v]) => k === 'ostree.summary.collection-map' && v.type === 'a{sa(s(taya{sv}))}');
  if (map !== undefined) {
    for (const [collectionId, collectionRefs] of map[1].value as [string, RawRef[]][]) s += dumpRefs(collectionId, collectionRefs, tz);
  }
  for (const [key, value] of exts) {
    let pretty: string | undefined;
    let text: string;
    switch (key) {
      case 'ostree.static-deltas':
        pretty = 'Static Deltas';
        text = printVariant(value.type, value.value, false);
        break;
      case 'ostree.summary.last-modified':
        pretty = 'Last-Modified';
        text = localIso8601(beU64(value), tz);
        break;
      case 'ostree.summary.expires':
        pretty = 'Expires';
        text = localIso8601(beU64(value), tz);
        break;
      case 'ostree.summary.collection-id':
        pretty = 'Collection ID';
        text = value.value as string;
        break;
      case 'ostree.summary.collection-map':
        pretty = 'Collection Map';
        text = '(printed above)';
        break;
      case 'ostree.summary.mode': {
        pretty = 'Repository Mode';
        const mode = value.value as string;
        text = MODES.has(mode) ? mode : `Invalid (‘${mode}’)`;
        break;
      }
      case 'ostree.summary.tombstone-commits':
        pretty = 'Has Tombstone Commits';
        text = value.value ? 'Yes' : 'No';
        break;
      default:
        text = printVariant(value.type, value.value, false);
    }
    s += pretty !== undefined ? `${pretty} (${key}): ${text}\n` : `${key}: ${text}\n`;
  }
  return s;
}
