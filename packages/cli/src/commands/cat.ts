/**
 * `ostree cat COMMIT PATH...`: file contents from a commit, following symlinks inside the tree.
 * @module
 */
import { repoOf, usageError, type CommandSpec, type Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { RepoFile } from '../repo-tree.js';
import { resolveRevRequired } from '../resolve-rev.js';

const MAX_SYMLINKS = 40;

async function catFile(inv: Invocation, start: RepoFile): Promise<void> {
  let f = start;
  for (let hops = 0; ; hops++) {
    const obj = await f.contentObject();
    if (obj.header.symlinkTarget === '') {
      for await (const chunk of obj.chunks()) await inv.ctx.out.bytes(chunk);
      return;
    }
    if (hops >= MAX_SYMLINKS) throw new CliError('Too many levels of symbolic links');
    f = f.parent!.resolveRelative(obj.header.symlinkTarget);
  }
}

export const catCommand: CommandSpec = {
  name: 'cat',
  description: 'Concatenate contents of files',
  parameters: 'COMMIT PATH...',
  repo: 'open',
  options: [],
  async run(inv) {
    const repo = repoOf(inv);
    if (inv.args.length < 2) usageError('A COMMIT and at least one PATH argument are required');
    const root = await RepoFile.forCommit(repo, await resolveRevRequired(repo, inv.args[0]!));
    for (const p of inv.args.slice(1)) await catFile(inv, root.resolveRelative(p));
  },
};
