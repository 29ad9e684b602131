/**
 * `ostree admin pin [--unpin] INDEX…` and `ostree admin cleanup`.
 * @module
 */
import { usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { ADMIN_SYSROOT_OPTION, withLockedSysroot } from './admin-common.js';

export const adminPinCommand: CommandSpec = {
  name: 'pin',
  description: 'Change the "pinning" state of a deployment',
  parameters: 'INDEX',
  repo: 'none',
  options: [ADMIN_SYSROOT_OPTION, { long: 'unpin', short: 'u', arg: 'none', description: 'Unset pin' }],
  async run(inv) {
    if (inv.args.length < 1) usageError('INDEX must be specified');
    const pin = !inv.options.flag('unpin');
    await withLockedSysroot(inv, async (sysroot) => {
      for (const arg of inv.args) {
        // g_ascii_strtoull: digits only (an empty string is 0), and the whole string must parse.
        if (!/^[ \t]*[+]?[0-9]*$/.test(arg)) throw new CliError(`Invalid index: ${arg}`);
        const index = Number(arg.trim() === '' ? 0 : arg.trim());
        if (!Number.isSafeInteger(index)) throw new CliError(`Index too large: ${arg}`);
        const changed = await sysroot.setPinned(index, pin);
        sysroot.note(changed ? `Deployment ${arg} is now ${pin ? 'pinned' : 'unpinned'}` : `Deployment ${arg} is already ${pin ? 'pinned' : 'unpinned'}`);
      }
    });
  },
};

export const adminCleanupCommand: CommandSpec = {
  name: 'cleanup',
  description: 'Delete untagged deployments and repository objects',
  parameters: '',
  repo: 'none',
  options: [ADMIN_SYSROOT_OPTION],
  async run(inv) {
    await withLockedSysroot(inv, async (sysroot) => {
      await sysroot.cleanup({ prune: true });
    });
  },
};
