/**
 * `ostree pull-local SRC_REPO [REFS...]`: copy commits from a repository on this machine,
 * into local refs (or `refs/remotes/NAME` with `--remote=NAME`), verifying every object.
 * @module
 */
import { pullLocal } from '@ostree-ts/pull';
import { openRepo } from '@ostree-ts/repo';
import { repoOf, usageError, type CommandSpec } from '../command.js';

export const pullLocalCommand: CommandSpec = {
  name: 'pull-local',
  description: 'Copy data from SRC_REPO',
  parameters: 'SRC_REPO [REFS...]',
  repo: 'open',
  options: [
    { long: 'commit-metadata-only', arg: 'none', description: 'Fetch only the commit metadata' },
    { long: 'remote', arg: 'string', argName: 'REMOTE', description: 'Add REMOTE to refspec' },
    { long: 'disable-fsync', arg: 'none', description: 'Do not invoke fsync()' },
    { long: 'untrusted', arg: 'none', description: 'Verify checksums of local sources (always enabled for HTTP pulls)' },
    { long: 'depth', arg: 'int', argName: 'DEPTH', description: 'Traverse DEPTH parents (-1=infinite) (default: 0)' },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    const o = inv.options;
    if (inv.args.length < 1) usageError('DESTINATION must be specified');
    // ostree-ts verifies every object it copies, so --untrusted changes nothing.
    const source = await openRepo(inv.ctx.fs, inv.ctx.absolute(inv.args[0]!));
    const refs = inv.args.slice(1);
    const remote = o.string('remote');
    const depth = o.int('depth');
    await pullLocal(repo, source, {
      ...(refs.length > 0 ? { refs } : {}),
      ...(remote !== undefined ? { remote } : {}),
      ...(depth !== undefined ? { depth } : {}),
      commitMetadataOnly: o.flag('commit-metadata-only'),
    });
  },
};
