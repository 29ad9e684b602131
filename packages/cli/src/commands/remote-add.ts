/**
 * `ostree remote add NAME URL [BRANCH...]`: writes a `[remote "NAME"]` group with ostree's key
 * order (url, branches, contenturl, custom-backend, --set keys, gpg-verify, sign-verify,
 * collection-id).
 * @module
 */
import { KeyFile } from '@ostree-ts/keyfile';
import { remoteGroup } from '@ostree-ts/repo';
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import type { OptionSpec } from '../goption.js';
import { validateRemoteName } from '../refspec.js';
import { copyConfig, writeConfig } from '../repo-config.js';
import { hasRemote } from '../remotes.js';

/** One remote option in the order ostree's GVariantBuilder receives it. */
type RemoteOption = readonly [key: string, value: string | boolean | readonly string[]];

export const REMOTE_REPO_DESCRIPTION = 'Path to OSTree repository (defaults to /sysroot/ostree/repo)';
export const SYSROOT_OPTION: OptionSpec = { long: 'sysroot', arg: 'string', argName: 'PATH', description: 'Use sysroot at PATH (overrides --repo)' };

export const remoteAddCommand: CommandSpec = {
  name: 'add',
  description: 'Add a remote repository',
  parameters: 'NAME [metalink=|mirrorlist=]URL [BRANCH...]',
  repo: 'open',
  repoDescription: REMOTE_REPO_DESCRIPTION,
  trailingOptions: [SYSROOT_OPTION],
  options: [
    { long: 'set', arg: 'strings', argName: 'KEY=VALUE', description: 'Set config option KEY=VALUE for remote' },
    { long: 'no-gpg-verify', arg: 'none', description: 'Disable GPG verification' },
    { long: 'no-sign-verify', arg: 'none', description: 'Disable signature verification' },
    {
      long: 'sign-verify',
      arg: 'strings',
      argName: 'KEYTYPE=[inline|file]:PUBKEY',
      description: 'Verify signatures using KEYTYPE=inline:PUBKEY or KEYTYPE=file:/path/to/key',
    },
    { long: 'if-not-exists', arg: 'none', description: 'Do nothing if the provided remote exists' },
    { long: 'force', arg: 'none', description: 'Replace the provided remote if it exists' },
    { long: 'gpg-import', arg: 'string', argName: 'FILE', description: 'Import GPG key from FILE' },
    { long: 'custom-backend', arg: 'string', argName: 'NAME', description: 'This remote has content not fetched via libostree' },
    { long: 'contenturl', arg: 'string', argName: 'URL', description: 'Use URL when fetching content' },
    {
      long: 'collection-id',
      arg: 'string',
      argName: 'COLLECTION-ID',
      description: 'Globally unique ID for this repository as an collection of refs for redistribution to other repositories',
    },
  ],
  async run(inv) {
    if (inv.options.has('sysroot')) throw new CliError('--sysroot is not supported by ostree-ts');
    const repo = repoOf(inv);
    const o = inv.options;
    const customBackend = o.string('custom-backend');
    let url: string | undefined;
    if (customBackend !== undefined) {
      if (inv.args.length < 1) usageError('NAME must be specified');
      url = inv.args[1];
    } else {
      if (inv.args.length < 2) usageError('NAME and URL must be specified');
      url = inv.args[1];
    }
    const name = inv.args[0]!;
    if (o.flag('if-not-exists') && o.flag('force')) usageError('Can only specify one of --if-not-exists and --force');

    const options: RemoteOption[] = [];
    if (inv.args.length > 2) options.push(['branches', inv.args.slice(2)]);
    const contentUrl = o.string('contenturl');
    if (contentUrl !== undefined) options.push(['contenturl', contentUrl]);
    if (customBackend !== undefined) options.push(['custom-backend', customBackend]);
    for (const kv of o.strings('set')) {
      const eq = kv.indexOf('=');
      if (eq < 0) throw new CliError("Missing '=' in KEY=VALUE for --set");
      options.push([kv.slice(0, eq), kv.slice(eq + 1)]);
    }
    if (o.flag('no-gpg-verify') || o.flag('no-sign-verify')) options.push(['gpg-verify', false]);
    if (o.flag('no-sign-verify')) {
      if (o.strings('sign-verify').length > 0) throw new CliError('Cannot specify both --sign-verify and --no-sign-verify');
      options.push(['sign-verify', false]);
    }
    const signTypes: string[] = [];
    for (const keyspec of o.strings('sign-verify')) {
      const [type, reference] = parseSignVerifySpec(keyspec);
      options.push(reference);
      signTypes.push(type);
    }
    if (signTypes.length > 0) options.push(['sign-verify', signTypes.join(',')]);
    const collectionId = o.string('collection-id');
    if (collectionId !== undefined) options.push(['collection-id', collectionId]);
    if (o.string('gpg-import') !== undefined) throw new CliError('--gpg-import is not supported by ostree-ts');

    validateRemoteName(name);
    const group = remoteGroup(name);
    const exists = hasRemote(repo.config, name);
    if (exists && o.flag('if-not-exists')) return;
    if (exists && !o.flag('force')) throw new CliError(`Remote configuration for "${name}" already exists: (in config)`);

    // The remote's own options, then copied key by key into the config (ot_keyfile_copy_group).
    const remote = new KeyFile();
    if (url !== undefined) {
      if (url.startsWith('metalink=')) remote.setString(group, 'metalink', url.slice('metalink='.length));
      else remote.setString(group, 'url', url);
    }
    for (const [key, value] of options) {
      if (typeof value === 'string') remote.setString(group, key, value);
      else if (typeof value === 'boolean') remote.setBoolean(group, key, value);
      else remote.setStringList(group, key, value);
    }
    const config = copyConfig(repo);
    if (exists) config.removeGroup(group);
    for (const key of remote.hasGroup(group) ? remote.keys(group) : []) config.setValue(group, key, remote.getValue(group, key));
    await writeConfig(repo, config);
  },
};

/** The sign types `--sign-verify` accepts (ostree's built-in signers). */
const SIGN_TYPES = new Set(['ed25519', 'dummy']);

/**
 * `--sign-verify=KEYTYPE=inline:KEY` or `KEYTYPE=file:PATH` → the sign type and the remote
 * option `verification-KEYTYPE-key` / `verification-KEYTYPE-file`, with ostree's messages.
 */
function parseSignVerifySpec(keyspec: string): [string, [string, string]] {
  const eq = keyspec.indexOf('=');
  if (eq < 0) throw new CliError(`Failed to parse KEYTYPE=[inline|file]:DATA in ${keyspec}`);
  const type = keyspec.slice(0, eq);
  if (!SIGN_TYPES.has(type)) throw new CliError('Requested signature type is not implemented');
  const rest = keyspec.slice(eq + 1);
  const colon = rest.indexOf(':');
  const reference = colon < 0 ? rest : rest.slice(0, colon);
  if (reference !== 'inline' && reference !== 'file') throw new CliError(`Invalid key reference ${reference}, expected inline|file`);
  if (colon < 0) throw new CliError(`Missing key after ${reference}: in ${keyspec}`);
  const option = reference === 'inline' ? `verification-${type}-key` : `verification-${type}-file`;
  return [type, [option, rest.slice(colon + 1)]];
}
