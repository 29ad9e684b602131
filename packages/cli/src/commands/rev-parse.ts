/**
 * `ostree rev-parse REV...` and `--single`.
 * @module
 */
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { listCommitsStartingWith, resolveRevRequired } from '../resolve-rev.js';

export const revParseCommand: CommandSpec = {
  name: 'rev-parse',
  description: 'Output the target of a rev',
  parameters: 'REV',
  repo: 'open',
  options: [
    {
      long: 'single',
      short: 'S',
      arg: 'none',
      description: 'If the repository has exactly one commit, then print it; any other case will result in an error',
    },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    if (inv.options.flag('single')) {
      if (inv.args.length >= 1) usageError('Cannot specify arguments with --single');
      const commits = await listCommitsStartingWith(repo, '');
      if (commits.length > 1) throw new CliError('Multiple commit objects found');
      if (commits.length === 0) throw new CliError('No commit objects found');
      await inv.ctx.print(`${commits[0]}\n`);
      return;
    }
    if (inv.args.length < 1) usageError('REV must be specified');
    for (const rev of inv.args) await inv.ctx.print(`${await resolveRevRequired(repo, rev)}\n`);
  },
};
