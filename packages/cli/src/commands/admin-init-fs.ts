/**
 * `ostree admin init-fs PATH`: a new sysroot's top-level directories and `ostree/repo`.
 * @module
 */
import { initFs } from '@ostree-ts/sysroot';
import { usageError, type CommandSpec } from '../command.js';
import { ADMIN_SYSROOT_OPTION } from './admin-common.js';

export const adminInitFsCommand: CommandSpec = {
  name: 'init-fs',
  description: 'Initialize a root filesystem',
  parameters: 'PATH',
  repo: 'none',
  options: [
    ADMIN_SYSROOT_OPTION,
    { long: 'modern', arg: 'none', description: 'Only create /boot and /ostree' },
  ],
  async run(inv) {
    if (inv.args.length < 1) usageError('PATH must be specified');
    await initFs(inv.ctx.fs, inv.ctx.absolute(inv.args[0]!), { modern: inv.options.flag('modern') });
  },
};
