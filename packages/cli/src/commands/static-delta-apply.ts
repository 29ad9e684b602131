/**
 * `ostree static-delta apply-offline [--sign-type=T] [--keys-file=F] [--keys-dir=D] PATH [KEY-ID…]`:
 * applies a delta directory (or superblock file) to the repository with @ostree-ts/delta's
 * streaming executor. Prints nothing on success, as ostree.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { applyOfflineDelta, type SignedSuperblock } from '@ostree-ts/delta';
import { withRepoLock } from '@ostree-ts/repo';
import {
  defaultEd25519,
  parseEd25519PublicKey,
  verifySignatures,
  type SignType,
  type TrustedKeys,
} from '@ostree-ts/sign';
import { repoOf, type CommandSpec, type Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { VERIFY_KEY_OPTIONS, assertDummyEnabled, loadPublicKeys, signTypeOption, useNodeEd25519 } from '../signing.js';

/** Keys given as arguments, as ostree's `add_pk` takes them (unloadable ed25519 keys are errors there). */
function keysFromArguments(type: SignType, keys: readonly string[]): TrustedKeys {
  if (type === 'dummy') return { dummy: keys[keys.length - 1]! };
  try {
    return { ed25519: keys.map((k) => parseEd25519PublicKey(k)) };
  } catch (e) {
    if (e instanceof OstreeError) throw new CliError(e.message, { cause: e });
    throw e;
  }
}

/** ostree's `load_pk` from --keys-file / --keys-dir / system directories; undefined = no verifier. */
async function keysFromFiles(inv: Invocation, type: SignType): Promise<TrustedKeys | undefined> {
  const explicit = inv.options.string('keys-file') !== undefined || inv.options.string('keys-dir') !== undefined;
  try {
    if (type === 'dummy') throw new CliError('not implemented');
    return await loadPublicKeys(inv);
  } catch (e) {
    // Without explicit key sources, failing to load the system keys means "no verifier".
    if (!explicit) return undefined;
    if (e instanceof OstreeError) throw new CliError(e.message, { cause: e });
    throw e;
  }
}

function signatureVerifier(type: SignType, keys: TrustedKeys): (signed: SignedSuperblock) => Promise<boolean> {
  return async (signed) => {
    const signatures = signed.signatures.get(type);
    if (signatures === undefined) throw new CliError(`no signature for 'ostree.sign.${type}' in static-delta superblock`);
    try {
      verifySignatures(type, signed.superblock, signatures, keys, defaultEd25519());
      return true;
    } catch (e) {
      if (e instanceof OstreeError) throw new CliError(e.message, { cause: e });
      throw e;
    }
  };
}

export const applyOfflineCommand: CommandSpec = {
  name: 'apply-offline',
  description: 'Apply static delta file',
  parameters: '',
  repo: 'open',
  options: VERIFY_KEY_OPTIONS,
  async run(inv) {
    const repo = repoOf(inv);
    const [path, ...keyArgs] = inv.args;
    if (path === undefined) throw new CliError('PATH must be specified');
    const type = signTypeOption(inv.options.string('sign-type'));
    useNodeEd25519();
    let keys: TrustedKeys | undefined;
    if (keyArgs.length > 0) {
      assertDummyEnabled(type, inv.ctx.env);
      keys = keysFromArguments(type, keyArgs);
    }
    if (keyArgs.length === 0 || inv.options.string('keys-file') !== undefined) {
      // ostree adds the key arguments, then loads the file's keys into the same verifier: both count.
      const loaded = await keysFromFiles(inv, type);
      if (loaded !== undefined) keys = keys === undefined ? loaded : { ...loaded, ed25519: [...(keys.ed25519 ?? []), ...(loaded.ed25519 ?? [])] };
    }
    await withRepoLock(repo, 'shared', async () => {
      await applyOfflineDelta(repo, inv.ctx.absolute(path), inv.ctx.fs, keys === undefined ? {} : { verifySignature: signatureVerifier(type, keys) });
    });
  },
};
