/**
 * `ostree admin kargs edit-in-place --append-if-missing=ARG`: adds kernel arguments to every
 * entry of the current boot configuration, in place.
 * @module
 */
import type { CommandSpec } from '../command.js';
import { ADMIN_SYSROOT_OPTION, withLockedSysroot } from './admin-common.js';

const adminKargsEditInPlaceCommand: CommandSpec = {
  name: 'edit-in-place',
  description: 'Set new kernel command line arguments in place (applies to all deployments by default)',
  parameters: 'ARGS',
  repo: 'none',
  options: [
    ADMIN_SYSROOT_OPTION,
    { long: 'append-if-missing', arg: 'strings', argName: 'NAME=VALUE', description: 'Append kernel arguments if they do not exist' },
  ],
  async run(inv) {
    await withLockedSysroot(inv, async (sysroot) => {
      await sysroot.kargsEditInPlace(inv.options.strings('append-if-missing'));
    });
  },
};

export const adminKargsCommand: CommandSpec = {
  name: 'kargs',
  description: 'Change kernel arguments',
  parameters: 'COMMAND',
  repo: 'none',
  options: [],
  subcommands: [adminKargsEditInPlaceCommand],
};
