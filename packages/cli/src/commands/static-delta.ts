/**
 * `ostree static-delta list|show|delete|generate|indexes|reindex`, with `apply-offline`
 * (static-delta-apply.ts) and `verify` (static-delta-verify.ts, also the `--sign` hook of
 * generate): ostree's options, messages and output.
 * @module
 */
import { join } from 'node:path';
import { checksumFromModifiedBase64, deltaDirectory, formatDeltaName, parseDeltaDirectory } from '@ostree-ts/core';
import {
  decodePartPayload,
  decodeSuperblock,
  deltaPartPath,
  generateDelta,
  isSignedSuperblock,
  readOps,
  readPartFilePayload,
  unwrapSuperblock,
  type DeltaEndianness,
  type DeltaSuperblock,
  type GenerateDeltaOptions,
} from '@ostree-ts/delta';
import { reindexDeltas, type Repo } from '@ostree-ts/repo';
import { repoOf, type CommandSpec, type Invocation } from '../command.js';
import { readdirInOsOrder } from '../dir-order.js';
import { errnoOf, strerror } from '../errno.js';
import { CliError } from '../errors.js';
import { formatSize } from '../format-size.js';
import { validateChecksumArgument } from '../refspec.js';
import { resolveRevRequired } from '../resolve-rev.js';
import { applyOfflineCommand } from './static-delta-apply.js';
import { deltaSigningHook, staticDeltaVerifyCommand } from './static-delta-verify.js';

/** `_ostree_parse_delta_name`: `FROM-TO` or `TO`, each validated as a checksum. */
function parseDeltaNameArgument(name: string): { from: string | undefined; to: string } {
  const dash = name.indexOf('-');
  const first = dash < 0 ? name : name.slice(0, dash);
  validateChecksumArgument(first);
  if (dash < 0) return { from: undefined, to: first };
  const second = name.slice(dash + 1);
  validateChecksumArgument(second);
  return { from: first, to: second };
}

async function subdirs(repo: Repo, path: string): Promise<string[]> {
  try {
    return await readdirInOsOrder(repo.fs, path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return [];
    throw e;
  }
}

async function isKind(repo: Repo, path: string, kind: 'dir' | 'file'): Promise<boolean> {
  const st = await repo.fs.lstatIfExists(path);
  if (st === undefined) return false;
  return st.type === (kind === 'dir' ? 'directory' : 'file');
}

/** Delta names in readdir order, as ostree_repo_list_static_delta_names lists them. */
async function listDeltaNames(repo: Repo): Promise<string[]> {
  const out: string[] = [];
  const base = join(repo.path, 'deltas');
  for (const prefix of await subdirs(repo, base)) {
    if (!(await isKind(repo, join(base, prefix), 'dir'))) continue;
    for (const rest of await subdirs(repo, join(base, prefix))) {
      if (!(await isKind(repo, join(base, prefix, rest), 'dir'))) continue;
      if ((await repo.fs.lstatIfExists(join(base, prefix, rest, 'superblock'))) === undefined) continue;
      try {
        out.push(formatDeltaName(parseDeltaDirectory(prefix, rest)));
      } catch {
        continue; // not a delta directory
      }
    }
  }
  return out;
}

/** Commits with a delta index, in readdir order (ostree_repo_list_static_delta_indexes). */
async function listIndexes(repo: Repo): Promise<string[]> {
  const out: string[] = [];
  const base = join(repo.path, 'delta-indexes');
  for (const prefix of await subdirs(repo, base)) {
    if (prefix.length !== 2 || !(await isKind(repo, join(base, prefix), 'dir'))) continue;
    for (const name of await subdirs(repo, join(base, prefix))) {
      if (name.length !== 41 + '.index'.length || !name.endsWith('.index')) continue;
      if (!(await isKind(repo, join(base, prefix, name), 'file'))) continue;
      try {
        out.push(checksumFromModifiedBase64(prefix + name.slice(0, 41)));
      } catch {
        continue;
      }
    }
  }
  return out;
}

const listCommand: CommandSpec = {
  name: 'list',
  description: 'List static delta files',
  parameters: '',
  repo: 'open',
  options: [],
  async run(inv) {
    const names = await listDeltaNames(repoOf(inv));
    await inv.ctx.print(names.length === 0 ? '(No static deltas)\n' : names.map((n) => `${n}\n`).join(''));
  },
};

const indexesCommand: CommandSpec = {
  name: 'indexes',
  description: 'List static delta indexes',
  parameters: '',
  repo: 'open',
  options: [],
  async run(inv) {
    const names = await listIndexes(repoOf(inv));
    await inv.ctx.print(names.length === 0 ? '(No static deltas indexes)\n' : names.map((n) => `${n}\n`).join(''));
  },
};

const reindexCommand: CommandSpec = {
  name: 'reindex',
  description: 'Regenerate static delta indexes',
  parameters: '',
  repo: 'open',
  options: [{ long: 'to', arg: 'string', argName: 'REV', description: 'Only update delta index to revision REV' }],
  async run(inv) {
    const to = inv.options.string('to');
    // ostree validates --to as a checksum; it does not resolve refs here.
    if (to !== undefined) validateChecksumArgument(to);
    await reindexDeltas(repoOf(inv), to === undefined ? {} : { to });
  },
};

function requireDeltaArgument(inv: Invocation): string {
  const id = inv.args[0];
  if (id === undefined) throw new CliError('DELTA must be specified');
  return id;
}

const deleteCommand: CommandSpec = {
  name: 'delete',
  description: 'Remove a delta',
  parameters: '',
  repo: 'open',
  options: [],
  async run(inv) {
    const repo = repoOf(inv);
    const id = requireDeltaArgument(inv);
    const { from, to } = parseDeltaNameArgument(id);
    const dir = join(repo.path, deltaDirectory(from, to));
    if ((await repo.fs.lstatIfExists(dir)) === undefined) throw new CliError(`Can't find delta ${id}`);
    await repo.fs.removeTree(dir);
  },
};

/** The op counters ostree prints, in its order: S o w r R c B. */
const OP_ORDER = [0x53, 0x6f, 0x77, 0x72, 0x52, 0x63, 0x42];

async function showPart(inv: Invocation, repo: Repo, sb: DeltaSuperblock, swapTotals: { size: bigint; usize: bigint }, i: number): Promise<void> {
  const header = sb.parts[i]!;
  swapTotals.size += header.size;
  swapTotals.usize += header.uncompressedSize;
  await inv.ctx.print(`PartMeta${i}: nobjects=${header.objects.length} size=${header.size} usize=${header.uncompressedSize}\n`);
  const rel = deltaPartPath(sb.from, sb.to, i);
  let file: Uint8Array;
  try {
    file = await repo.fs.readFile(join(repo.path, rel));
  } catch (e) {
    throw new CliError(`openat(${rel}): ${strerror(e)}`, { cause: e });
  }
  const payload = decodePartPayload(await readPartFilePayload(file));
  await inv.ctx.print(
    `PartPayload${i}: nmodes=${payload.modes.length} nxattrs=${payload.xattrs.length} blobsize=${payload.blob.length} opsize=${payload.operations.length}\n`,
  );
  const counts = new Map<number, number>(OP_ORDER.map((o) => [o, 0]));
  const objects = header.objects;
  // Count opcodes as ostree's stats-only execution does (one per operation byte).
  const codes: Record<string, number> = { 'S-meta': 0x53, 'S-content': 0x53, open: 0x6f, write: 0x77, 'set-read-source': 0x72, 'unset-read-source': 0x52, close: 0x63, bspatch: 0x42 };
  for (const op of readOps(payload.operations, (k) => objects[k] !== undefined && objects[k]!.type !== 'file')) {
    const code = codes[op.op]!;
    counts.set(code, counts.get(code)! + 1);
  }
  const n = OP_ORDER.map((o) => counts.get(o)!);
  await inv.ctx.print(
    `PartPayloadOps${i}: openspliceclose=${n[0]} open=${n[1]} write=${n[2]} setread=${n[3]} unsetread=${n[4]} close=${n[5]} bspatch=${n[6]}\n`,
  );
}

const showCommand: CommandSpec = {
  name: 'show',
  description: 'Dump information on a delta',
  parameters: '',
  repo: 'open',
  options: [],
  async run(inv) {
    const repo = repoOf(inv);
    const id = requireDeltaArgument(inv);
    let path: string;
    let rel: string;
    if (id.includes('/')) {
      path = inv.ctx.absolute(id);
      rel = id;
    } else {
      const { from, to } = parseDeltaNameArgument(id);
      rel = `${deltaDirectory(from, to)}/superblock`;
      path = join(repo.path, rel);
    }
    let bytes: Uint8Array;
    try {
      bytes = await repo.fs.readFile(path);
    } catch (e) {
      throw new CliError(`openat(${rel}): ${strerror(e)}`, { cause: e });
    }
    const signed = isSignedSuperblock(bytes);
    const sb = decodeSuperblock(unwrapSuperblock(bytes).superblock);
    const p = (s: string) => inv.ctx.print(s);
    await p(`Delta: ${id}\n`);
    await p(`Signed: ${signed ? 'yes' : 'no'}\n`);
    await p(sb.from === undefined ? 'From <scratch>\n' : `From: ${sb.from}\n`);
    await p(`To: ${sb.to}\n`);
    const endianness = (e: DeltaEndianness) => (e === 'big' ? 'big' : 'little');
    await p(`Endianness: ${endianness(sb.endianness)}${sb.endiannessGuessed ? ' (heuristic)' : ''}\n`);
    await p(`Timestamp: ${sb.timestamp}\n`);
    await p(`Number of parents: ${sb.dependencies.length / 64}\n`);
    await p(`Number of fallback entries: ${sb.fallbacks.length}\n`);
    let fallbackSize = 0n;
    let fallbackUsize = 0n;
    for (const f of sb.fallbacks) {
      await p(`  ${f.checksum}\n`);
      fallbackSize += f.compressedSize;
      fallbackUsize += f.uncompressedSize;
    }
    await p(`Total Fallback Size: ${fallbackSize} (${formatSize(fallbackSize)})\n`);
    await p(`Total Fallback Uncompressed Size: ${fallbackUsize} (${formatSize(fallbackUsize)})\n`);
    await p(`Number of parts: ${sb.parts.length}\n`);
    const totals = { size: 0n, usize: 0n };
    for (let i = 0; i < sb.parts.length; i++) await showPart(inv, repo, sb, totals, i);
    await p(`Total Part Size: ${totals.size} (${formatSize(totals.size)})\n`);
    await p(`Total Part Uncompressed Size: ${totals.usize} (${formatSize(totals.usize)})\n`);
    const all = totals.size + fallbackSize;
    const allU = totals.usize + fallbackUsize;
    await p(`Total Size: ${all} (${formatSize(all)})\n`);
    await p(`Total Uncompressed Size: ${allU} (${formatSize(allU)})\n`);
  },
};

/** g_ascii_strtoull(text, NULL, 10), truncated to a guint32 as ostree's g_variant_new_uint32 does. */
function parseMegabytes(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(text)!;
  let v = m[2] === '' ? 0n : BigInt(m[2]!);
  if (v > 0xffffffffffffffffn) v = 0xffffffffffffffffn;
  if (m[1] === '-') v = (-v) & 0xffffffffffffffffn;
  return Number(v & 0xffffffffn);
}

const generateCommand: CommandSpec = {
  name: 'generate',
  description: 'Generate static delta files',
  parameters: '[TO]',
  repo: 'open',
  options: [
    { long: 'from', arg: 'string', argName: 'REV', description: 'Create delta from revision REV' },
    { long: 'empty', arg: 'none', description: 'Create delta from scratch' },
    { long: 'inline', arg: 'none', description: 'Inline delta parts into main delta' },
    { long: 'to', arg: 'string', argName: 'REV', description: 'Create delta to revision REV' },
    { long: 'disable-bsdiff', arg: 'none', description: 'Disable use of bsdiff' },
    {
      long: 'bsdiff-windows',
      arg: 'none',
      description: 'Bsdiff files above --max-bsdiff-size window by window instead of rollsum (ostree-ts; clients need the whole file in memory)',
    },
    { long: 'if-not-exists', short: 'n', arg: 'none', description: 'Only generate if a delta does not already exist' },
    { long: 'set-endianness', arg: 'string', argName: 'ENDIAN', description: "Choose metadata endianness ('l' or 'B')" },
    { long: 'swap-endianness', arg: 'none', description: 'Swap metadata endianness from host order' },
    { long: 'min-fallback-size', arg: 'string', description: 'Minimum uncompressed size in megabytes for individual HTTP request' },
    { long: 'max-bsdiff-size', arg: 'string', description: 'Maximum size in megabytes to consider bsdiff compression for input files' },
    { long: 'max-chunk-size', arg: 'string', description: 'Maximum size of delta chunks in megabytes' },
    { long: 'filename', arg: 'string', argName: 'PATH', description: 'Write the delta content to PATH (a directory).  If not specified, the OSTree repository is used' },
    { long: 'sign', arg: 'strings', argName: 'KEY_ID', description: 'Sign the delta with' },
    { long: 'sign-type', arg: 'string', argName: 'NAME', description: "Signature type to use (defaults to 'ed25519')" },
    { long: 'keys-file', arg: 'string', argName: 'NAME', description: 'Read key(s) from file' },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    const o = inv.options;
    const toRev = o.string('to') ?? inv.args[0];
    if (toRev === undefined) throw new CliError('TO revision must be specified');
    let fromSource: string | undefined;
    if (o.flag('empty')) {
      if (o.has('from')) throw new CliError('Cannot specify both --empty and --from=REV');
    } else fromSource = o.string('from') ?? `${toRev}^`;
    const from = fromSource === undefined ? undefined : await resolveRevRequired(repo, fromSource);
    const to = await resolveRevRequired(repo, toRev);
    if (o.flag('if-not-exists')) {
      const name = formatDeltaName({ from, to });
      if ((await repo.fs.lstatIfExists(join(repo.path, deltaDirectory(from, to), 'superblock'))) !== undefined) {
        await inv.ctx.print(`Delta ${name} already exists.\n`);
        return;
      }
    }
    let endianness: DeltaEndianness = 'little';
    const e = o.string('set-endianness');
    if (e !== undefined) {
      if (e === 'l') endianness = 'little';
      else if (e === 'B') endianness = 'big';
      else throw new CliError(`Invalid endianness '${e}'`);
    }
    if (o.flag('swap-endianness')) endianness = endianness === 'little' ? 'big' : 'little';
    const mb = (name: string): number | undefined => {
      const v = o.string(name);
      return v === undefined ? undefined : parseMegabytes(v) * 1_000_000;
    };
    const transformSuperblock = await deltaSigningHook(inv);
    const filename = o.string('filename');
    const minFallbackSize = mb('min-fallback-size');
    const maxBsdiffSize = mb('max-bsdiff-size');
    const maxChunkSize = mb('max-chunk-size');
    await inv.ctx.print(`Generating static delta:\n  From: ${from ?? 'empty'}\n  To:   ${to}\n`);
    await generateDelta(repo, {
      from,
      to,
      endianness,
      inline: o.flag('inline'),
      disableBsdiff: o.flag('disable-bsdiff'),
      bsdiffWindows: o.flag('bsdiff-windows'),
      ...(filename !== undefined ? { filename: inv.ctx.absolute(filename) } : {}),
      ...(minFallbackSize !== undefined ? { minFallbackSize } : {}),
      ...(maxBsdiffSize !== undefined ? { maxBsdiffSize } : {}),
      ...(maxChunkSize !== undefined ? { maxChunkSize } : {}),
      ...(transformSuperblock !== undefined ? { transformSuperblock } : {}),
      log: (line) => void inv.ctx.printErr(`${line}\n`),
    });
  },
};

export const staticDeltaCommand: CommandSpec = {
  name: 'static-delta',
  description: 'Static delta related commands',
  parameters: 'COMMAND',
  repo: 'none',
  options: [],
  subcommands: [listCommand, showCommand, deleteCommand, generateCommand, applyOfflineCommand, staticDeltaVerifyCommand, indexesCommand, reindexCommand],
  // ostree's static_delta_usage(): its own format, not GOption's.
  groupUsage: {
    text: (program) =>
      `Usage:\n  ${program} [OPTION...] COMMAND\n\nBuiltin "static-delta" Commands:\n` +
      staticDeltaSubcommandList().map((c) => `  ${c.name.padEnd(17)}${c.description}\n`).join('') +
      '\n',
    noCommand: 'No command specified',
  },
};

function staticDeltaSubcommandList(): readonly CommandSpec[] {
  return staticDeltaCommand.subcommands!;
}
