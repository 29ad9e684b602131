/**
 * `ostree admin undeploy INDEX`, `ostree admin set-default INDEX` and `ostree-ts admin
 * rollback`: rewrites of the deployment list.
 * @module
 */
import { usageError, type CommandSpec } from '../command.js';
import { ADMIN_SYSROOT_OPTION, atoi, withLockedSysroot } from './admin-common.js';

export const adminUndeployCommand: CommandSpec = {
  name: 'undeploy',
  description: 'Delete deployment INDEX',
  parameters: 'INDEX',
  repo: 'none',
  options: [ADMIN_SYSROOT_OPTION],
  async run(inv) {
    if (inv.args.length < 1) usageError('INDEX must be specified');
    await withLockedSysroot(inv, async (sysroot) => {
      const d = await sysroot.undeploy(atoi(inv.args[0]!));
      sysroot.note(`Deleted deployment ${d.csum}.${d.deployserial}`);
      await sysroot.cleanup({ prune: true });
    });
  },
};

export const adminSetDefaultCommand: CommandSpec = {
  name: 'set-default',
  description: 'Set deployment INDEX as the default',
  parameters: 'INDEX',
  repo: 'none',
  options: [ADMIN_SYSROOT_OPTION],
  async run(inv) {
    if (inv.args.length < 1) usageError('INDEX must be specified');
    await withLockedSysroot(inv, async (sysroot) => {
      await sysroot.setDefault(atoi(inv.args[0]!));
    });
  },
};

export const adminRollbackCommand: CommandSpec = {
  name: 'rollback',
  description: 'Make the rollback deployment the default (ostree-ts)',
  parameters: '',
  repo: 'none',
  options: [ADMIN_SYSROOT_OPTION],
  async run(inv) {
    await withLockedSysroot(inv, async (sysroot) => {
      const d = await sysroot.rollback();
      sysroot.note(`Deployment ${d.csum}.${d.deployserial} is now the default`);
    });
  },
};
