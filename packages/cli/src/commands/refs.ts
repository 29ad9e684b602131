/**
 * `ostree refs [PREFIX...]`: list, create (`--create=NEWREF REV`), alias (`--alias`) and
 * delete (`--delete`) refs.
 * @module
 */
import { repoOf, type CommandSpec, type Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { listRefs } from '../ref-listing.js';
import { setAlias, setRef } from '../ref-write.js';
import { parseRefspec } from '../refspec.js';
import { RefIsDirectoryError, resolveRev, resolveRevRequired } from '../resolve-rev.js';

async function createRef(inv: Invocation, newRef: string, existing: string): Promise<void> {
  const repo = repoOf(inv);
  const alias = inv.options.flag('alias');
  const aliases = await listRefs(repo.fs, repo.path, { cutPrefix: false, aliasesOnly: true });
  const all = await listRefs(repo.fs, repo.path, { cutPrefix: false });
  let current: string | undefined;
  try {
    current = await resolveRev(repo, newRef, { allowNoent: true, fallbackRemote: false });
  } catch (e) {
    if (!(e instanceof RefIsDirectoryError)) throw e;
  }
  const replacingAlias = alias && aliases.has(newRef);
  if (!replacingAlias && !inv.options.flag('force') && current !== undefined) {
    throw new CliError(`--create specified but ref ${newRef} already exists`);
  }
  const { remote, ref } = parseRefspec(newRef);
  if (alias) {
    if (remote !== undefined) throw new CliError(`Cannot create alias to remote ref: ${remote}`);
    if (!all.has(existing)) throw new CliError(`Cannot create alias to non-existent ref: ${existing}`);
    await setAlias(repo, ref, existing);
  } else {
    await setRef(repo, remote, ref, await resolveRevRequired(repo, existing));
  }
}

async function deleteRefs(inv: Invocation, prefix: string): Promise<void> {
  const repo = repoOf(inv);
  const aliases = await listRefs(repo.fs, repo.path, { cutPrefix: false, aliasesOnly: true });
  const refs = await listRefs(repo.fs, repo.path, { prefix, cutPrefix: false });
  for (const refspec of refs.keys()) {
    const { remote, ref } = parseRefspec(refspec);
    for (const [alias, target] of aliases) {
      if (target === ref) throw new CliError(`Ref '${ref}' has an active alias: '${alias}'`);
    }
    await setRef(repo, remote, ref, undefined);
  }
}

async function doRef(inv: Invocation, prefix: string | undefined): Promise<void> {
  const repo = repoOf(inv);
  const o = inv.options;
  if (o.flag('collections')) throw new CliError('--collections is not supported by ostree-ts');
  const create = o.string('create');
  if (create !== undefined) return createRef(inv, create, prefix!);
  if (o.flag('delete')) return deleteRefs(inv, prefix!);
  const alias = o.flag('alias');
  const refs = await listRefs(repo.fs, repo.path, { prefix, cutPrefix: !(o.flag('list') || alias), aliasesOnly: alias });
  let text = '';
  for (const [name, value] of refs) text += alias ? `${name} -> ${value}\n` : `${name}\n`;
  await inv.ctx.print(text);
}

export const refsCommand: CommandSpec = {
  name: 'refs',
  description: 'List refs',
  parameters: '[PREFIX]',
  repo: 'open',
  options: [
    { long: 'delete', arg: 'none', description: 'Delete refs which match PREFIX, rather than listing them' },
    { long: 'list', arg: 'none', description: 'Do not remove the prefix from the refs' },
    { long: 'alias', short: 'A', arg: 'none', description: 'If used with --create, create an alias, otherwise just list aliases' },
    { long: 'create', arg: 'string', argName: 'NEWREF', description: 'Create a new ref for an existing commit' },
    { long: 'collections', short: 'c', arg: 'none', description: 'Enable listing collection IDs for refs' },
    { long: 'force', arg: 'none', description: 'Overwrite existing refs when creating' },
  ],
  async run(inv) {
    const o = inv.options;
    if (inv.args.length >= 1) {
      if (o.string('create') !== undefined && inv.args.length > 1) {
        throw new CliError('You must specify only 1 existing ref when creating a new ref');
      }
      for (const prefix of inv.args) await doRef(inv, prefix);
      return;
    }
    if (o.flag('delete')) throw new CliError('At least one PREFIX is required when deleting refs');
    if (o.string('create') !== undefined) throw new CliError('You must specify a revision when creating a new ref');
    await doRef(inv, undefined);
  },
};
