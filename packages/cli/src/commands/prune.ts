/**
 * `ostree prune`: delete unreachable objects.
 * @module
 */
import { pruneRepo, type PruneOptions } from '@ostree-ts/repo';
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { formatSize } from '../format-size.js';
import { listRefs } from '../ref-listing.js';
import { parseTimestamp } from '../timestamp-parse.js';

export const pruneCommand: CommandSpec = {
  name: 'prune',
  description: 'Search for unreachable objects',
  parameters: '',
  repo: 'open',
  options: [
    { long: 'no-prune', arg: 'none', description: "Only display unreachable objects; don't delete" },
    { long: 'refs-only', arg: 'none', description: 'Only compute reachability via refs' },
    { long: 'depth', arg: 'int', argName: 'DEPTH', description: 'Only traverse DEPTH parents for each commit (default: -1=infinite)' },
    { long: 'delete-commit', arg: 'string', argName: 'COMMIT', description: 'Specify a commit to delete' },
    { long: 'keep-younger-than', arg: 'string', argName: 'DATE', description: 'Prune all commits older than the specified date' },
    {
      long: 'static-deltas-only',
      arg: 'none',
      description: 'Change the behavior of delete-commit and keep-younger-than to prune only static deltas',
    },
    { long: 'retain-branch-depth', arg: 'strings', argName: 'BRANCH=DEPTH', description: 'Additionally retain BRANCH=DEPTH commits' },
    { long: 'only-branch', arg: 'strings', argName: 'BRANCH', description: 'Only prune BRANCH (may be specified multiple times)' },
    { long: 'commit-only', arg: 'none', description: 'Only traverse and delete commit objects.' },
  ],
  async run(inv) {
    const o = inv.options;
    const deleteCommit = o.string('delete-commit');
    if (deleteCommit !== undefined && o.flag('no-prune')) usageError('Cannot specify both --delete-commit and --no-prune');
    if (o.flag('static-deltas-only')) {
      if (deleteCommit === undefined) {
        throw new CliError('--static-deltas-only requires --delete-commit; see https://github.com/ostreedev/ostree/issues/1479');
      }
      throw new CliError('--static-deltas-only is not supported by ostree-ts');
    }
    for (const name of ['retain-branch-depth', 'only-branch']) {
      if (o.has(name)) throw new CliError(`--${name} is not supported by ostree-ts`);
    }
    const options: PruneOptions = {
      noPrune: o.flag('no-prune'),
      refsOnly: o.flag('refs-only'),
      depth: o.int('depth') ?? -1,
      commitOnly: o.flag('commit-only'),
      ...(deleteCommit !== undefined ? { deleteCommit } : {}),
    };
    const keep = o.string('keep-younger-than');
    if (keep !== undefined) {
      const seconds = parseTimestamp(keep, inv.ctx.env['TZ']);
      if (seconds === undefined) throw new CliError(`Could not parse '${keep}'`);
      Object.assign(options, { keepYoungerThan: Number(seconds) });
    }
    const repo = repoOf(inv);
    // Checked here too, so the message names refs in ostree's listing order.
    const refs = await listRefs(repo.fs, repo.path, { cutPrefix: true });
    if (deleteCommit !== undefined) {
      for (const [ref, checksum] of refs) {
        if (checksum === deleteCommit) throw new CliError(`Commit '${deleteCommit}' is referenced by '${ref}'`);
      }
    }
    const result = await pruneRepo(repo, options);
    let s = o.flag('commit-only') ? `Total (commit only) objects: ${result.objectsTotal}\n` : `Total objects: ${result.objectsTotal}\n`;
    if (result.objectsPruned === 0) s += 'No unreachable objects\n';
    else if (o.flag('no-prune')) s += `Would delete: ${result.objectsPruned} objects, freeing ${formatSize(result.bytesFreed)}\n`;
    else s += `Deleted ${result.objectsPruned} objects, ${formatSize(result.bytesFreed)} freed\n`;
    await inv.ctx.print(s);
  },
};
