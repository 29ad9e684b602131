/**
 * `ostree admin os-init OSNAME`: a new stateroot with its shared `/var`.
 * @module
 */
import { ensureSysrootInitialized, initOsname } from '@ostree-ts/sysroot';
import { usageError, type CommandSpec } from '../command.js';
import { ADMIN_SYSROOT_OPTION, sysrootPath } from './admin-common.js';

export const adminOsInitCommand: CommandSpec = {
  name: 'os-init',
  description: 'Initialize empty state for given operating system',
  parameters: 'OSNAME',
  repo: 'none',
  options: [ADMIN_SYSROOT_OPTION],
  async run(inv) {
    if (inv.args.length < 1) usageError('OSNAME must be specified');
    const path = sysrootPath(inv);
    await ensureSysrootInitialized(inv.ctx.fs, path);
    const osname = inv.args[0]!;
    await initOsname(inv.ctx.fs, path, osname);
    await inv.ctx.print(`ostree/deploy/${osname} initialized as OSTree root\n`);
  },
};
