/**
 * `ostree summary -u|--view|--raw`.
 * @module
 */
import { join } from 'node:path';
import { updateSummary } from '@ostree-ts/repo';
import { repoOf, type CommandSpec } from '../command.js';
import { keyValueEntries } from '../commit-metadata.js';
import { strerror } from '../errno.js';
import { CliError } from '../errors.js';
import { dumpSummary } from '../summary-dump.js';
import { signSummaryInRepo, signTypeOption, signerFor } from '../signing.js';

export const summaryCommand: CommandSpec = {
  name: 'summary',
  description: 'Manage summary metadata',
  parameters: '',
  repo: 'open',
  options: [
    { long: 'update', short: 'u', arg: 'none', description: 'Update the summary' },
    { long: 'view', short: 'v', arg: 'none', description: 'View the local summary file' },
    { long: 'raw', arg: 'none', description: 'View the raw bytes of the summary file' },
    { long: 'gpg-sign', arg: 'strings', argName: 'KEY-ID', description: 'GPG Key ID to sign the summary with' },
    { long: 'gpg-homedir', arg: 'string', argName: 'HOMEDIR', description: 'GPG Homedir to use when looking for keyrings' },
    { long: 'sign', arg: 'strings', argName: 'KEY-ID', description: 'Key ID to sign the summary with' },
    { long: 'sign-type', arg: 'string', argName: 'NAME', description: "Signature type to use (defaults to 'ed25519')" },
    { long: 'add-metadata', short: 'm', arg: 'strings', argName: 'KEY=VALUE', description: 'Additional metadata field to add to the summary' },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    const o = inv.options;
    // --sign: the type is checked first (as ostree), the keys before the summary is rewritten.
    const signType = o.has('sign') ? signTypeOption(o.string('sign-type')) : undefined;
    if (o.flag('update')) {
      const signers = signType === undefined ? [] : o.strings('sign').map((key) => signerFor(signType, key, inv.ctx.env));
      if (o.has('gpg-sign')) throw new CliError('Signing summaries with GPG is not supported by ostree-ts');
      if (repo.settings.collectionId !== undefined) {
        throw new CliError('Updating the summary of a repository with a collection ID (ostree-metadata commit) is not supported by ostree-ts');
      }
      const metadataArgs = o.strings('add-metadata');
      const additionalMetadata =
        // glnx_prefix_error_null adds its own ": " after ostree's "…: " prefix, hence the doubled colon.
        metadataArgs.length > 0 ? keyValueEntries(metadataArgs, true, (_arg, value, message) => `Error parsing variant ‘${value}’: : ${message}`) : undefined;
      await updateSummary(repo, additionalMetadata === undefined ? {} : { additionalMetadata });
      if (signers.length > 0) await signSummaryInRepo(repo, signers);
    } else if (o.flag('view') || o.flag('raw')) {
      let bytes: Uint8Array;
      try {
        bytes = await repo.fs.readFile(join(repo.path, 'summary'));
      } catch (e) {
        throw new CliError(`openat(summary): ${strerror(e)}`, { cause: e });
      }
      await inv.ctx.print(dumpSummary(bytes, o.flag('raw'), inv.ctx.env['TZ']));
    } else {
      throw new CliError('No option specified; use -u to update summary');
    }
  },
};
