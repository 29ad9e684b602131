/**
 * `ostree admin set-origin REMOTENAME URL [BRANCH]`: adds the remote if missing and points a
 * deployment's origin at it.
 * @module
 */
import { remoteGroup } from '@ostree-ts/repo';
import { usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { ADMIN_SYSROOT_OPTION, withLockedSysroot } from './admin-common.js';

export const adminSetOriginCommand: CommandSpec = {
  name: 'set-origin',
  description: 'Set Origin and create a new origin file',
  parameters: 'REMOTENAME URL [BRANCH]',
  repo: 'none',
  options: [
    ADMIN_SYSROOT_OPTION,
    { long: 'set', arg: 'strings', argName: 'KEY=VALUE', description: 'Set config option KEY=VALUE for remote' },
    { long: 'index', arg: 'int', argName: 'INDEX', description: 'Operate on the deployment INDEX, starting from zero' },
  ],
  async run(inv) {
    if (inv.args.length < 2) usageError('REMOTENAME and URL must be specified');
    const [remote, url, branch] = inv.args as [string, string, string | undefined];
    await withLockedSysroot(inv, async (sysroot) => {
      const index = inv.options.int('index');
      let target;
      if (index === undefined || index === -1) {
        target = sysroot.booted;
        if (target === undefined) throw new CliError('Not currently booted into an OSTree system');
      } else target = sysroot.indexed(index);
      const repo = sysroot.repo;
      const group = remoteGroup(remote);
      // ADD_IF_NOT_EXISTS: an existing remote is left as it is.
      if (!repo.config.hasGroup(group)) {
        repo.config.setValue(group, 'url', url);
        for (const kv of inv.options.strings('set')) {
          const eq = kv.indexOf('=');
          if (eq < 0) throw new CliError(`Missing '=' in KEY=VALUE pair '${kv}'`);
          repo.config.setValue(group, kv.slice(0, eq), kv.slice(eq + 1));
        }
        await repo.saveConfig();
      }
      await sysroot.setOriginRefspec(target, remote, branch);
    });
  },
};
