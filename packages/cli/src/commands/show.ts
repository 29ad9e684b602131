/**
 * `ostree show OBJECT`: a commit (by rev or checksum), dirtree, dirmeta or file object, or one
 * metadata value, the related commits, the size metadata, or a GVariant file.
 * @module
 */
import { OBJECT_TYPES, decodeCommit, decodeVarint, isChecksum, isSymlinkMode, lookupMetadata, toHex, type ObjectType } from '@ostree-ts/core';
import { codec } from '@ostree-ts/gvariant';
import { repoOf, usageError, type CommandSpec, type Invocation } from '../command.js';
import { dumpObject, dumpVariant } from '../commit-dump.js';
import { strerror } from '../errno.js';
import { CliError } from '../errors.js';
import { formatSize } from '../format-size.js';
import { printVariant } from '../gvariant/print.js';
import { parseType } from '../gvariant/type.js';
import { loadContentOrThrow, readMetadataOrThrow } from '../object-load.js';
import { resolveRevRequired } from '../resolve-rev.js';

async function printMetadataKey(inv: Invocation, checksum: string, detached: boolean, key: string): Promise<void> {
  const repo = repoOf(inv);
  let metadata;
  if (!detached) metadata = decodeCommit(await readMetadataOrThrow(repo, 'commit', checksum)).metadata;
  else {
    metadata = await repo.loadCommitMeta(checksum);
    if (metadata === undefined) throw new CliError(`No detached metadata for commit ${checksum}`);
  }
  const value = lookupMetadata(metadata, key);
  if (value === undefined) throw new CliError(`No such metadata key '${key}'`);
  if (inv.options.flag('no-byteswap')) await inv.ctx.print(`${printVariant(value.type, value.value, true)}\n`);
  else await inv.ctx.print(dumpVariant(value.type, value.value));
}

async function printRelated(inv: Invocation, checksum: string): Promise<void> {
  const commit = decodeCommit(await readMetadataOrThrow(repoOf(inv), 'commit', checksum));
  for (const [name, csum] of commit.related) await inv.ctx.print(`${name} ${toHex(csum)}\n`);
}

async function printVariantFile(inv: Invocation, type: string, file: string): Promise<void> {
  try {
    parseType(type);
  } catch (cause) {
    throw new CliError(`Invalid GVariant type '${type}'`, { cause });
  }
  let bytes: Uint8Array;
  try {
    bytes = await inv.ctx.fs.readFile(inv.ctx.absolute(file));
  } catch (e) {
    throw new CliError(`openat(${file}): ${strerror(e)}`, { cause: e });
  }
  await inv.ctx.print(dumpVariant(type, codec(type).decode(bytes)));
}

async function printSizes(inv: Invocation, checksum: string): Promise<void> {
  const repo = repoOf(inv);
  let metadata;
  try {
    metadata = decodeCommit(await readMetadataOrThrow(repo, 'commit', checksum)).metadata;
  } catch (e) {
    throw new CliError(`Failed to read commit: ${(e as Error).message}`, { cause: e });
  }
  const sizes = lookupMetadata(metadata, 'ostree.sizes');
  if (sizes === undefined || sizes.type !== 'aay') throw new CliError('No metadata key ostree.sizes in commit');
  let archived = 0n;
  let unpacked = 0n;
  let newArchived = 0n;
  let newUnpacked = 0n;
  let objects = 0;
  let newObjects = 0;
  for (const entry of sizes.value as Uint8Array[]) {
    if (entry.length < 34) throw new CliError('Invalid ostree.sizes metadata entry');
    const csum = toHex(entry.subarray(0, 32));
    let a, u;
    try {
      a = decodeVarint(entry, 32);
      u = decodeVarint(entry, a.next);
    } catch (cause) {
      throw new CliError('Unexpected EOF reading ostree.sizes varint', { cause });
    }
    let objtype: ObjectType = 'file';
    if (u.next < entry.length) {
      const t = entry[u.next]!;
      const name = OBJECT_TYPES[t - 1];
      if (name === undefined) throw new CliError(`Unexpected ostree.sizes object type ${t}`);
      objtype = name;
    }
    archived += BigInt(a.value);
    unpacked += BigInt(u.value);
    objects++;
    if (!(await repo.hasObject(csum, objtype))) {
      newArchived += BigInt(a.value);
      newUnpacked += BigInt(u.value);
      newObjects++;
    }
  }
  await inv.ctx.print(
    `Compressed size (needed/total): ${formatSize(newArchived)}/${formatSize(archived)}\n` +
      `Unpacked size (needed/total): ${formatSize(newUnpacked)}/${formatSize(unpacked)}\n` +
      `Number of objects (needed/total): ${newObjects}/${objects}\n`,
  );
}

async function printObject(inv: Invocation, type: ObjectType, checksum: string): Promise<void> {
  const bytes = await readMetadataOrThrow(repoOf(inv), type, checksum);
  await inv.ctx.print(dumpObject(type, checksum, bytes, { raw: inv.options.flag('raw'), unswapped: inv.options.flag('no-byteswap') }));
}

async function printFileObject(inv: Invocation, checksum: string): Promise<void> {
  const obj = await loadContentOrThrow(repoOf(inv), checksum);
  const h = obj.header;
  let s = `Object: ${checksum}\nType: file\nFile Type: `;
  if (isSymlinkMode(h.mode)) s += `symlink\nTarget: ${h.symlinkTarget}\n`;
  else s += `regular\nSize: ${obj.size}\n`;
  s += `Mode: 0${h.mode.toString(8).padStart(4, '0')}\nUid: ${h.uid}\nGid: ${h.gid}\n`;
  s += `Extended Attributes: { ${printVariant('a(ayay)', h.xattrs, true)} }\n`;
  await inv.ctx.print(s);
}

export const showCommand: CommandSpec = {
  name: 'show',
  description: 'Output a metadata object',
  parameters: 'OBJECT',
  repo: 'open',
  options: [
    { long: 'print-related', arg: 'none', description: 'Show the "related" commits' },
    {
      long: 'print-variant-type',
      arg: 'string',
      argName: 'TYPE',
      description: 'Memory map OBJECT (in this case a filename) to the GVariant type string',
    },
    { long: 'print-metadata-key', arg: 'string', argName: 'KEY', description: 'Print string value of metadata key' },
    { long: 'print-detached-metadata-key', arg: 'string', argName: 'KEY', description: 'Print string value of detached metadata key' },
    { long: 'print-sizes', arg: 'none', description: 'Show the commit size metadata' },
    { long: 'raw', arg: 'none', description: 'Show raw variant data' },
    { long: 'no-byteswap', short: 'B', arg: 'none', description: 'Do not automatically convert variant data from big endian' },
    { long: 'gpg-homedir', arg: 'string', argName: 'HOMEDIR', description: 'GPG Homedir to use when looking for keyrings' },
    { long: 'gpg-verify-remote', arg: 'string', argName: 'REMOTE', description: 'Use REMOTE name for GPG configuration' },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    const o = inv.options;
    if (inv.args.length < 1) usageError('An object argument is required');
    const rev = inv.args[0]!;
    const metadataKey = o.string('print-metadata-key');
    const detachedKey = o.string('print-detached-metadata-key');
    if (metadataKey !== undefined || detachedKey !== undefined) {
      const checksum = await resolveRevRequired(repo, rev);
      await printMetadataKey(inv, checksum, detachedKey !== undefined, detachedKey ?? metadataKey!);
    } else if (o.flag('print-related')) {
      await printRelated(inv, await resolveRevRequired(repo, rev));
    } else if (o.string('print-variant-type') !== undefined) {
      await printVariantFile(inv, o.string('print-variant-type')!, rev);
    } else if (o.flag('print-sizes')) {
      await printSizes(inv, await resolveRevRequired(repo, rev));
    } else if (!isChecksum(rev)) {
      await printObject(inv, 'commit', await resolveRevRequired(repo, rev));
    } else {
      for (const type of ['commit', 'dirmeta', 'dirtree'] as const) {
        if (await repo.hasObject(rev, type)) {
          await printObject(inv, type, rev);
          return;
        }
      }
      await printFileObject(inv, rev);
    }
  },
};
