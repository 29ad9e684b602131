/**
 * `ostree admin upgrade [--pull-only|--deploy-only] [--os=]`: pulls the origin's ref from its
 * remote with @ostree-ts/pull, then deploys it with @ostree-ts/sysroot (the sysroot package
 * never pulls by itself).
 * @module
 */
import { pull } from '@ostree-ts/pull';
import { usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { ADMIN_OS_OPTION, ADMIN_SYSROOT_OPTION, withLockedSysroot } from './admin-common.js';

export const adminUpgradeCommand: CommandSpec = {
  name: 'upgrade',
  description: 'Construct new tree from current origin and deploy it, if it changed',
  parameters: '',
  repo: 'none',
  options: [
    ADMIN_OS_OPTION,
    { long: 'reboot', short: 'r', arg: 'none', description: 'Reboot after a successful upgrade' },
    { long: 'allow-downgrade', arg: 'none', description: 'Permit deployment of chronologically older trees' },
    { long: 'override-commit', arg: 'string', argName: 'CHECKSUM', description: 'Deploy CHECKSUM instead of the latest tree' },
    { long: 'pull-only', arg: 'none', description: 'Do not create a deployment, just download' },
    { long: 'deploy-only', arg: 'none', description: 'Do not pull, only deploy' },
    { long: 'stage', arg: 'none', description: 'Complete deployment at OS shutdown' },
    ADMIN_SYSROOT_OPTION,
  ],
  async run(inv) {
    const o = inv.options;
    if (o.flag('pull-only') && o.flag('deploy-only')) usageError('Cannot simultaneously specify --pull-only and --deploy-only');
    if (o.flag('pull-only') && o.flag('reboot')) usageError('Cannot simultaneously specify --pull-only and --reboot');
    if (o.flag('stage')) throw new CliError('--stage is not supported by ostree-ts (it needs a booted system)');
    if (o.flag('reboot')) throw new CliError('--reboot is not supported by ostree-ts');
    await withLockedSysroot(inv, async (sysroot) => {
      const osname = o.string('os');
      const src = sysroot.upgradeSource(osname);
      const override = o.string('override-commit');
      if (!o.flag('deploy-only') && src.remote !== undefined) {
        await pull(sysroot.repo, { remote: src.remote, refs: [override ?? src.ref] });
        // ostree's pull checks the timestamp before anything moves (timestamp-check-from-rev).
        if (!o.flag('allow-downgrade')) await sysroot.assertNotDowngrade(src.merge.csum, override ?? (await sysroot.upgradeTarget(src)));
        if (override !== undefined) await sysroot.repo.setRef(`${src.remote}:${src.ref}`, override);
      }
      const target = await sysroot.upgradeTarget({ ...src, overrideCommit: override ?? src.overrideCommit });
      if (target === src.merge.csum) {
        sysroot.note('No update available.');
        return;
      }
      if (o.flag('pull-only')) return;
      await sysroot.upgrade(osname, { allowDowngrade: o.flag('allow-downgrade'), ...(override !== undefined ? { overrideCommit: override } : {}) });
    });
  },
};
