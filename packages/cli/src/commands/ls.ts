/**
 * `ostree ls COMMIT [PATH...]`: entries of a commit's tree in ostree's format
 * (`d00755 0 0      0 /path`), with checksums (-C) and xattrs (-X).
 * @module
 */
import { S_IFMT } from '@ostree-ts/core';
import { repoOf, usageError, type CommandSpec, type Invocation } from '../command.js';
import { withErrorPrefix } from '../errors.js';
import { printVariant } from '../gvariant/print.js';
import { RepoFile } from '../repo-tree.js';
import { resolveRevRequired } from '../resolve-rev.js';

const TYPE_CHAR = { directory: 'd', file: '-', symlink: 'l' } as const;

async function printOne(inv: Invocation, f: RepoFile): Promise<RepoFile | undefined> {
  const info = await f.info();
  if (inv.options.flag('nul-filenames-only')) {
    await inv.ctx.print(`${f.path}\0`);
    return info.type === 'directory' ? f : undefined;
  }
  let line = `${TYPE_CHAR[info.type]}0${(info.mode & ~S_IFMT).toString(8).padStart(4, '0')} ${info.uid} ${info.gid} ${String(info.size).padStart(6)} `;
  if (inv.options.flag('checksum')) {
    if (info.type === 'directory') line += `${f.treeChecksum} `;
    line += `${await f.checksum()} `;
  }
  if (inv.options.flag('xattrs')) line += `{ ${printVariant('a(ayay)', await f.xattrs(), true)} } `;
  line += f.path;
  if (info.type === 'symlink') line += ` -> ${info.symlinkTarget}`;
  await inv.ctx.print(`${line}\n`);
  return info.type === 'directory' ? f : undefined;
}

async function printDirectory(inv: Invocation, dir: RepoFile, depth: number): Promise<void> {
  if (depth === 0) return;
  for (const child of await dir.children()) {
    const sub = await printOne(inv, child);
    if (sub !== undefined) await printDirectory(inv, sub, depth - 1);
  }
}

async function printArgument(inv: Invocation, root: RepoFile, arg: string): Promise<void> {
  const f = root.resolveRelative(arg);
  const dir = await printOne(inv, f);
  if (dir === undefined) return;
  if (inv.options.flag('recursive')) await printDirectory(inv, dir, -1);
  else if (!inv.options.flag('dironly')) await printDirectory(inv, dir, 1);
}

export const lsCommand: CommandSpec = {
  name: 'ls',
  description: 'List file paths',
  parameters: 'COMMIT [PATH...]',
  repo: 'open',
  options: [
    { long: 'dironly', short: 'd', arg: 'none', description: 'Do not recurse into directory arguments' },
    { long: 'recursive', short: 'R', arg: 'none', description: 'Print directories recursively' },
    { long: 'checksum', short: 'C', arg: 'none', description: 'Print checksum' },
    { long: 'xattrs', short: 'X', arg: 'none', description: 'Print extended attributes' },
    { long: 'nul-filenames-only', arg: 'none', description: 'Print only filenames, NUL separated' },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    if (inv.args.length < 1) usageError('An COMMIT argument is required');
    const root = await RepoFile.forCommit(repo, await resolveRevRequired(repo, inv.args[0]!));
    const paths = inv.args.slice(1);
    if (paths.length === 0) {
      await printArgument(inv, root, '/');
      return;
    }
    for (const p of paths) await withErrorPrefix(`Inspecting path '${p}'`, () => printArgument(inv, root, p));
  },
};
