/**
 * `ostree admin status`: the deployments in boot order, marking the booted (`*`), pending and
 * rollback ones, as ostree 2022.7 prints them; `--json` and `--is-default` as upstream ostree
 * (2024+) prints them.
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
    if (!d.hasOrigin) s += '    origin: none\n';
    else {
      s += d.refspec === undefined ? '    origin: <unknown origin type>\n' : `    origin refspec: ${d.refspec}\n`;
      if (d.sourceTitle !== undefined) s += `    \`- ${d.sourceTitle}\n`;
    }
  }
  return s;
}

/**
 * The JSON writer upstream ostree uses for `status --json` (util-linux's ul_jsonwrt): three
 * spaces per level, `},{` between array objects, empty strings as `null`.
 */
class UlJsonWriter {
  private out = '';
  private indent = 0;
  private afterClose = false;

  private pad(): string {
    return '   '.repeat(this.indent);
  }

  private name(name: string | undefined): void {
    if (name !== undefined) {
      if (this.afterClose) this.out += ',\n';
      this.out += `${this.pad()}${JSON.stringify(name.toLowerCase())}`;
    } else if (this.afterClose) this.out += ',';
    else this.out += this.pad();
  }

  open(name: string | undefined, type: 'object' | 'array'): void {
    this.name(name);
    this.out += `${name !== undefined ? ': ' : ''}${type === 'object' ? '{' : '['}\n`;
    this.indent++;
    this.afterClose = false;
  }

  close(type: 'object' | 'array'): void {
    this.indent--;
    this.out += `\n${this.pad()}${type === 'object' ? '}' : ']'}`;
    if (type === 'object' && this.indent === 0) this.out += '\n';
    this.afterClose = true;
  }

  value(name: string, raw: string): void {
    this.name(name);
    this.out += `: ${raw}`;
    this.afterClose = true;
  }

  string(name: string, s: string | undefined): void {
    // ul_jsonwrt escapes only `"`, `\` and control characters: JSON.stringify does the same for those.
    this.value(name, s === undefined || s === '' ? 'null' : JSON.stringify(s));
  }

  text(): string {
    return this.out;
  }
}

/** Upstream ostree's `admin status --json` document. */
export function formatStatusJson(list: readonly DeploymentStatus[]): string {
  const w = new UlJsonWriter();
  w.open(undefined, 'object');
  w.open('deployments', 'array');
  for (const d of list) {
    w.open(undefined, 'object');
    w.string('checksum', d.checksum);
    w.string('stateroot', d.osname);
    w.string('refspec', d.refspec);
    w.value('serial', String(d.serial));
    w.value('index', String(d.index));
    w.value('booted', String(d.booted));
    w.value('pending', String(d.pending));
    w.value('rollback', String(d.rollback));
    w.value('finalization-locked', 'false');
    w.value('soft-reboot-target', 'false');
    w.value('staged', String(d.staged));
    w.value('pinned', String(d.pinned));
    w.string('unlocked', d.unlocked);
    if (d.version !== undefined) w.string('version', d.version);
    if (d.sourceTitle !== undefined) w.string('source-title', d.sourceTitle);
    w.close('object');
  }
  w.close('array');
  w.close('object');
  return w.text();
}

export const adminStatusCommand: CommandSpec = {
  name: 'status',
  description: 'List deployments',
  parameters: '',
  repo: 'none',
  options: [
    ADMIN_SYSROOT_OPTION,
    { long: 'verify', short: 'V', arg: 'none', description: 'Print the commit verification status' },
    { long: 'json', short: 'J', arg: 'none', description: 'Emit JSON' },
    { long: 'skip-signatures', short: 'S', arg: 'none', description: 'Skip signatures in output' },
    { long: 'is-default', short: 'D', arg: 'none', description: 'Output "default" if booted into the default deployment, otherwise "not-default"' },
  ],
  async run(inv) {
    if (inv.options.flag('verify')) throw new CliError('--verify is not supported by ostree-ts');
    const { sysroot } = await openSysroot(inv);
    const list = await sysroot.status();
    if (inv.options.flag('json')) {
      await inv.ctx.print(formatStatusJson(list));
      return;
    }
    if (inv.options.flag('is-default')) {
      if (list.length === 0) throw new CliError('Not in a booted OSTree system');
      await inv.ctx.print(list[0]!.booted ? 'default\n' : 'not-default\n');
      return;
    }
    await inv.ctx.print(formatStatus(list));
  },
};
