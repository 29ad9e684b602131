/**
 * `ostree pull REMOTE [BRANCH...]`: fetch commits from an archive repository over HTTP(S),
 * verifying every object before it is stored (@ostree-ts/pull). Without BRANCH, the
 * remote's configured `branches` are pulled, as ostree does.
 * @module
 */
import { pull } from '@ostree-ts/pull';
import { remoteGroup } from '@ostree-ts/repo';
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';

export const pullCommand: CommandSpec = {
  name: 'pull',
  description: 'Download data from remote repository',
  parameters: 'REMOTE [BRANCH...]',
  repo: 'open',
  options: [],
  async run(inv) {
    const repo = repoOf(inv);
    if (inv.args.length < 1) usageError('REMOTE must be specified');
    const [remoteArg, ...rest] = inv.args as [string, ...string[]];
    // `REMOTE:REF` as the only argument means one ref from that remote.
    const colon = rest.length === 0 ? remoteArg.indexOf(':') : -1;
    const remote = colon >= 0 ? remoteArg.slice(0, colon) : remoteArg;
    let refs = colon >= 0 ? [remoteArg.slice(colon + 1)] : rest;
    if (refs.length === 0) {
      const group = remoteGroup(remote);
      refs = repo.config.hasKey(group, 'branches') ? repo.config.getStringList(group, 'branches') : [];
      if (refs.length === 0) throw new CliError('No configured branches for remote ' + remote);
    }
    await pull(repo, { remote, refs });
  },
};
