/**
 * `ostree remote list [-u]`.
 * @module
 */
import { repoOf, type CommandSpec } from '../command.js';
import { remoteNames, remoteUrl } from '../remotes.js';

export const remoteListCommand: CommandSpec = {
  name: 'list',
  description: 'List remote repository names',
  parameters: '',
  repo: 'open',
  options: [{ long: 'show-urls', short: 'u', arg: 'none', description: 'Show remote URLs in list' }],
  async run(inv) {
    const config = repoOf(inv).config;
    const names = remoteNames(config);
    if (!inv.options.flag('show-urls')) {
      await inv.ctx.print(names.map((n) => `${n}\n`).join(''));
      return;
    }
    const width = Math.max(0, ...names.map((n) => new TextEncoder().encode(n).length));
    for (const n of names) {
      const pad = ' '.repeat(Math.max(0, width - new TextEncoder().encode(n).length));
      await inv.ctx.print(`${n}${pad}  ${remoteUrl(config, n)}\n`);
    }
  },
};
