/**
 * `ostree checkout [OPTIONS] COMMIT [DESTINATION]`: materialize a commit (or a subpath of it)
 * as a directory tree, hardlinked into the store where the modes allow it, else copied.
 * @module
 */
import { checkout, type CheckoutOptions } from '@ostree-ts/checkout';
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { parseBoolean } from '../parse-boolean.js';

export const checkoutCommand: CommandSpec = {
  name: 'checkout',
  description: 'Check out a commit into a filesystem tree',
  parameters: 'COMMIT [DESTINATION]',
  repo: 'open',
  options: [
    { long: 'user-mode', short: 'U', arg: 'none', description: 'Do not change file ownership or initialize extended attributes' },
    { long: 'disable-cache', arg: 'none', description: 'Do not update or use the internal repository uncompressed object cache' },
    { long: 'subpath', arg: 'string', argName: 'PATH', description: 'Checkout sub-directory PATH' },
    { long: 'union', arg: 'none', description: 'Keep existing directories, overwrite existing files' },
    { long: 'union-add', arg: 'none', description: 'Keep existing files/directories, only add new' },
    {
      long: 'union-identical',
      arg: 'none',
      description: 'When layering checkouts, error out if a file would be replaced with a different version, but add new files and directories',
    },
    { long: 'whiteouts', arg: 'none', description: "Process 'whiteout' (Docker style) entries" },
    { long: 'process-passthrough-whiteouts', arg: 'none', description: 'Enable overlayfs whiteout extraction into char 0:0 devices' },
    { long: 'allow-noent', arg: 'none', description: 'Do nothing if specified path does not exist' },
    { long: 'from-stdin', arg: 'none', description: 'Process many checkouts from standard input' },
    { long: 'from-file', arg: 'string', argName: 'FILE', description: 'Process many checkouts from input file' },
    { long: 'fsync', arg: 'string', argName: 'POLICY', description: 'Specify how to invoke fsync()' },
    { long: 'require-hardlinks', short: 'H', arg: 'none', description: 'Do not fall back to full copies if hardlinking fails' },
    { long: 'force-copy-zerosized', short: 'z', arg: 'none', description: 'Do not hardlink zero-sized files', hidden: true },
    { long: 'force-copy', short: 'C', arg: 'none', description: 'Never hardlink (but may reflink if available)' },
    { long: 'bareuseronly-dirs', short: 'M', arg: 'none', description: 'Suppress mode bits outside of 0775 for directories (suid, world writable, etc.)' },
    { long: 'skip-list', arg: 'string', argName: 'FILE', description: 'File containing list of files to skip' },
    { long: 'selinux-policy', arg: 'string', argName: 'PATH', description: 'Set SELinux labels based on policy in root filesystem PATH (may be /); implies --force-copy' },
    { long: 'selinux-prefix', arg: 'string', argName: 'PREFIX', description: 'When setting SELinux labels, prefix all paths by PREFIX' },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    const o = inv.options;
    if (o.flag('from-stdin') || o.string('from-file') !== undefined) {
      throw new CliError('--from-stdin and --from-file are not implemented by ostree-ts yet');
    }
    if (inv.args.length < 1) usageError('COMMIT must be specified');
    const rev = inv.args[0]!;
    // As ostree: without DESTINATION, the COMMIT argument itself is the destination path.
    const destination = inv.ctx.absolute(inv.args[1] ?? rev);
    const skipList = o.string('skip-list');
    const fsyncPolicy = o.string('fsync');
    const options: CheckoutOptions = {
      userMode: o.flag('user-mode'),
      disableCache: o.flag('disable-cache'),
      union: o.flag('union'),
      unionAdd: o.flag('union-add'),
      unionIdentical: o.flag('union-identical'),
      whiteouts: o.flag('whiteouts'),
      processPassthroughWhiteouts: o.flag('process-passthrough-whiteouts'),
      allowNoent: o.flag('allow-noent'),
      requireHardlinks: o.flag('require-hardlinks'),
      forceCopyZerosized: o.flag('force-copy-zerosized'),
      forceCopy: o.flag('force-copy'),
      bareuseronlyDirs: o.flag('bareuseronly-dirs'),
      ...(o.string('subpath') !== undefined ? { subpath: o.string('subpath')! } : {}),
      ...(fsyncPolicy !== undefined ? { fsync: parseBoolean(fsyncPolicy) } : {}),
      ...(o.string('selinux-policy') !== undefined ? { selinuxPolicy: o.string('selinux-policy')! } : {}),
      ...(o.string('selinux-prefix') !== undefined ? { selinuxPrefix: o.string('selinux-prefix')! } : {}),
      ...(skipList !== undefined
        ? { skipList: new TextDecoder().decode(await inv.ctx.fs.readFile(inv.ctx.absolute(skipList))).split('\n').filter((l) => l.length > 0) }
        : {}),
    };
    await checkout(repo, rev, destination, options);
  },
};
