/**
 * `ostree remote show-url NAME`.
 * @module
 */
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { remoteUrl } from '../remotes.js';

export const remoteShowUrlCommand: CommandSpec = {
  name: 'show-url',
  description: 'Show remote repository URL',
  parameters: 'NAME',
  repo: 'open',
  options: [],
  async run(inv) {
    if (inv.args.length < 1) usageError('NAME must be specified');
    await inv.ctx.print(`${remoteUrl(repoOf(inv).config, inv.args[0]!)}\n`);
  },
};
