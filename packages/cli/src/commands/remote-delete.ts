/**
 * `ostree remote delete NAME`.
 * @module
 */
import { join } from 'node:path';
import { remoteGroup } from '@ostree-ts/repo';
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { errnoOf } from '../errno.js';
import { CliError } from '../errors.js';
import { validateRemoteName } from '../refspec.js';
import { copyConfig, writeConfig } from '../repo-config.js';
import { hasRemote } from '../remotes.js';
import { REMOTE_REPO_DESCRIPTION, SYSROOT_OPTION } from './remote-add.js';

export const remoteDeleteCommand: CommandSpec = {
  name: 'delete',
  description: 'Delete a remote repository',
  parameters: 'NAME',
  repo: 'open',
  repoDescription: REMOTE_REPO_DESCRIPTION,
  trailingOptions: [SYSROOT_OPTION],
  options: [{ long: 'if-exists', arg: 'none', description: 'Do nothing if the provided remote does not exist' }],
  async run(inv) {
    if (inv.options.has('sysroot')) throw new CliError('--sysroot is not supported by ostree-ts');
    const repo = repoOf(inv);
    if (inv.args.length < 1) usageError('NAME must be specified');
    const name = inv.args[0]!;
    validateRemoteName(name);
    if (!hasRemote(repo.config, name)) {
      if (inv.options.flag('if-exists')) return;
      throw new CliError(`Remote "${name}" not found`);
    }
    const config = copyConfig(repo);
    config.removeGroup(remoteGroup(name));
    await writeConfig(repo, config);
    try {
      await repo.fs.unlink(join(repo.path, `${name}.trustedkeys.gpg`));
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT') throw e;
    }
  },
};
