/**
 * `ostree admin status [--json]`: the deployments in boot order, marking the booted (`*`),
 * pending and rollback ones, as ostree prints them; `--json` (ostree-ts) prints the same
 * facts as one JSON document.
 * @module
 */
import type { DeploymentStatus } from '@ostree-ts/sysroot';
import type { CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { ADMIN_SYSROOT_OPTION, openSysroot } from './admin-common.js';

/** ostree's text for a list of deployments. */
export function formatStatus(list: readonly DeploymentStatus[]): string {
  if (list.length === 0) return 'No deployments.\n';
  let s = '';
  for (const d of list) {
    const marker = d.staged ? ' (staged)' : d.pending ? ' (pending)' : d.rollback ? ' (rollback)' : '';
    s += `${d.booted ? '*' : ' '} ${d.osname} ${d.checksum}.${d.serial}${marker}\n`;
    if (d.version !== undefined) s += `    Version: ${d.version}\n`;
    if (d.unlocked !== 'none') s += `    Unlocked: ${d.unlocked}\n`;
    if (d.pinned) s += '    Pinned: yes\n';
    if (d.refspec === undefined) s += d.hasOrigin ? '    origin: <unknown origin type>\n' : '    origin: none\n';
    else s += `    origin refspec: ${d.refspec}\n`;
  }
  return s;
}

export const adminStatusCommand: CommandSpec = {
  name: 'status',
  description: 'List deployments',
  parameters: '',
  repo: 'none',
  options: [
    ADMIN_SYSROOT_OPTION,
    { long: 'verify', short: 'V', arg: 'none', description: 'Print the commit verification status' },
    { long: 'json', arg: 'none', description: 'Print the status as JSON (ostree-ts)' },
  ],
  async run(inv) {
    if (inv.options.flag('verify')) throw new CliError('--verify is not supported by ostree-ts');
    const { sysroot } = await openSysroot(inv);
    const list = await sysroot.status();
    if (inv.options.flag('json')) {
      const doc = {
        bootversion: sysroot.state.bootversion,
        subbootversion: sysroot.state.subbootversion,
        deployments: list,
      };
      await inv.ctx.print(`${JSON.stringify(doc, null, 2)}\n`);
      return;
    }
    await inv.ctx.print(formatStatus(list));
  },
};
