/**
 * `ostree config (get KEY|set KEY VALUE|unset KEY)`, KEY being `SECTION.NAME` or, with
 * `--group=GROUP`, just `NAME`.
 * @module
 */
import { KeyFileError } from '@ostree-ts/keyfile';
import { repoOf, usageError, type CommandSpec, type Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { copyConfig, keyFileMessage, writeConfig } from '../repo-config.js';

function splitKey(k: string): [string, string] {
  const dot = k.indexOf('.');
  if (dot < 0) throw new CliError('Key must be of the form "sectionname.keyname"');
  return [k.slice(0, dot), k.slice(dot + 1)];
}

function target(inv: Invocation, needed: number, groupMessage: string, plainMessage: string): [string, string] {
  const group = inv.options.string('group');
  if (inv.args.length < needed) throw new CliError(group !== undefined ? groupMessage : plainMessage);
  return group !== undefined ? [group, inv.args[1]!] : splitKey(inv.args[1]!);
}

export const configCommand: CommandSpec = {
  name: 'config',
  description: 'Change repo configuration settings',
  parameters: '(get KEY|set KEY VALUE|unset KEY)',
  repo: 'open',
  options: [{ long: 'group', arg: 'string', description: 'Group name' }],
  async run(inv) {
    const repo = repoOf(inv);
    if (inv.args.length < 1) usageError('OPERATION must be specified');
    const op = inv.args[0]!;
    if (inv.args.length > (op === 'set' ? 3 : 2)) usageError('Too many arguments given');
    if (op === 'set') {
      const [section, key] = target(inv, 3, 'GROUP name, KEY and VALUE must be specified', 'KEY and VALUE must be specified');
      const config = copyConfig(repo);
      try {
        config.setString(section, key, inv.args[2]!);
      } catch (e) {
        throw new CliError(`Invalid group or key name: ${(e as Error).message}`, { cause: e });
      }
      await writeConfig(repo, config);
    } else if (op === 'get') {
      const [section, key] = target(inv, 2, 'Group name and key must be specified', 'KEY must be specified');
      let value: string;
      try {
        value = copyConfig(repo).getString(section, key);
      } catch (e) {
        throw keyFileMessage(e, section, key);
      }
      await inv.ctx.print(`${value}\n`);
    } else if (op === 'unset') {
      const [section, key] = target(inv, 2, 'Group name and key must be specified', 'KEY must be specified');
      const config = copyConfig(repo);
      try {
        config.removeKey(section, key);
      } catch (e) {
        if (e instanceof KeyFileError && (e.code === 'KEYFILE_GROUP_NOT_FOUND' || e.code === 'KEYFILE_KEY_NOT_FOUND')) return;
        throw keyFileMessage(e, section, key);
      }
      await writeConfig(repo, config);
    } else {
      throw new CliError(`Unknown operation ${op}`);
    }
  },
};
