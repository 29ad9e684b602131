/**
 * The command table: every command ostree-ts implements, in `ostree --help` order. Parsing,
 * dispatch and help all come from here. Each entry names its command and loads the module
 * only when that command runs (`CommandSpec.load`): importing every command eagerly pulled in
 * every package (sysroot, bootloader, pull, delta, sign, …) and cost each run ~7 MiB of RSS
 * and ~0.1 s of start-up. `test/command-table.test.ts` checks the names and descriptions here
 * against the loaded commands.
 * @module
 */
import type { CommandSpec } from '../command.js';

function lazy(name: string, description: string, load: () => Promise<CommandSpec>): CommandSpec {
  return { name, description, parameters: '', options: [], repo: 'none', load };
}

export const COMMANDS: readonly CommandSpec[] = [
  lazy('admin', 'Commands for managing a host system booted with ostree', async () => (await import('./admin.js')).adminCommand),
  lazy('cat', 'Concatenate contents of files', async () => (await import('./cat.js')).catCommand),
  lazy('checkout', 'Check out a commit into a filesystem tree', async () => (await import('./checkout.js')).checkoutCommand),
  lazy('commit', 'Commit a new revision', async () => (await import('./commit.js')).commitCommand),
  lazy('config', 'Change repo configuration settings', async () => (await import('./config.js')).configCommand),
  lazy('fsck', 'Check the repository for consistency', async () => (await import('./fsck.js')).fsckCommand),
  lazy('init', 'Initialize a new empty repository', async () => (await import('./init.js')).initCommand),
  lazy('log', 'Show log starting at commit or ref', async () => (await import('./log.js')).logCommand),
  lazy('ls', 'List file paths', async () => (await import('./ls.js')).lsCommand),
  lazy('prune', 'Search for unreachable objects', async () => (await import('./prune.js')).pruneCommand),
  lazy('pull', 'Download data from remote repository', async () => (await import('./pull.js')).pullCommand),
  lazy('pull-local', 'Copy data from SRC_REPO', async () => (await import('./pull-local.js')).pullLocalCommand),
  lazy('refs', 'List refs', async () => (await import('./refs.js')).refsCommand),
  lazy('remote', 'Remote commands that may involve internet access', async () => (await import('./remote.js')).remoteCommand),
  lazy('rev-parse', 'Output the target of a rev', async () => (await import('./rev-parse.js')).revParseCommand),
  lazy('show', 'Output a metadata object', async () => (await import('./show.js')).showCommand),
  lazy('sign', 'Sign a commit', async () => (await import('./sign.js')).signCommand),
  lazy('static-delta', 'Static delta related commands', async () => (await import('./static-delta.js')).staticDeltaCommand),
  lazy('summary', 'Manage summary metadata', async () => (await import('./summary.js')).summaryCommand),
];

/** ostree commands ostree-ts does not implement (a clearer error than "Unknown command"). */
export const NOT_IMPLEMENTED: readonly string[] = [
  'checksum',
  'create-usb',
  'diff',
  'export',
  'find-remotes',
  'gpg-sign',
  'reset',
  'trivial-httpd',
];
