/**
 * `ostree log REV`: the commit and its ancestors, newest first.
 * @module
 */
import { decodeCommit, isOstreeError } from '@ostree-ts/core';
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { dumpObject } from '../commit-dump.js';
import { CliError } from '../errors.js';
import { resolveRevRequired } from '../resolve-rev.js';

export const logCommand: CommandSpec = {
  name: 'log',
  description: 'Show log starting at commit or ref',
  parameters: 'REV',
  repo: 'open',
  options: [{ long: 'raw', arg: 'none', description: 'Show raw variant data' }],
  async run(inv) {
    const repo = repoOf(inv);
    if (inv.args.length < 1) usageError('A rev argument is required');
    let checksum: string | undefined = await resolveRevRequired(repo, inv.args[0]!);
    const flags = { raw: inv.options.flag('raw') };
    for (let first = true; checksum !== undefined; first = false) {
      let bytes: Uint8Array;
      try {
        bytes = await repo.readMetadata('commit', checksum);
      } catch (e) {
        if (!isOstreeError(e, 'OBJECT_NOT_FOUND')) throw e;
        if (first) throw new CliError(`No such metadata object ${checksum}.commit`, { cause: e });
        await inv.ctx.print('<< History beyond this commit not fetched >>\n');
        return;
      }
      await inv.ctx.print(dumpObject('commit', checksum, bytes, flags));
      checksum = decodeCommit(bytes).parent;
    }
  },
};
