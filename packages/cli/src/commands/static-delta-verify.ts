/**
 * Static-delta signing for the `static-delta` command: `generate --sign=KEY [--sign-type=T]
 * [--keys-file=F]` (a hook that wraps the superblock) and `static-delta verify
 * [--sign-type=T] [--keys-file=F] [--keys-dir=D] DELTA [KEY…]`, with ostree's messages.
 * @module
 */
import { join } from 'node:path';
import { OstreeError, deltaDirectory } from '@ostree-ts/core';
import {
  defaultEd25519,
  parseEd25519PublicKey,
  signDeltaSuperblock,
  verifySignedDeltaSuperblock,
  type Signer,
  type TrustedKeys,
} from '@ostree-ts/sign';
import { repoOf, type CommandSpec, type Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { validateChecksumArgument } from '../refspec.js';
import { VERIFY_KEY_OPTIONS, assertDummyEnabled, loadPublicKeys, secretKeyLines, signTypeOption, signerFor, useNodeEd25519 } from '../signing.js';

/**
 * `generate --sign`: the signers from `--sign` and `--keys-file` (every line a secret key, as
 * ostree reads it), or undefined when no signing was asked for. Keys are checked before the
 * delta is computed.
 */
export async function deltaSigningHook(inv: Invocation): Promise<((superblock: Uint8Array) => Uint8Array) | undefined> {
  const o = inv.options;
  const keysFile = o.string('keys-file');
  const keys = o.strings('sign');
  if (keys.length === 0 && keysFile === undefined) return undefined;
  const type = signTypeOption(o.string('sign-type'));
  if (keysFile !== undefined) keys.push(...(await secretKeyLines(inv.ctx.fs, inv.ctx.absolute(keysFile))));
  const signers: Signer[] = keys.map((key) => signerFor(type, key, inv.ctx.env));
  return (superblock) => signDeltaSuperblock(superblock, signers);
}

/** The superblock file a delta id names: a path if it contains `/`, else `FROM-TO` or `TO` in the repo. */
function superblockPath(inv: Invocation, id: string): string {
  if (id.includes('/')) return inv.ctx.absolute(id);
  const dash = id.indexOf('-');
  const from = dash < 0 ? undefined : id.slice(0, dash);
  const to = dash < 0 ? id : id.slice(dash + 1);
  if (from !== undefined) validateChecksumArgument(from);
  validateChecksumArgument(to);
  return join(repoOf(inv).path, deltaDirectory(from, to), 'superblock');
}

async function trustedKeys(inv: Invocation, type: 'ed25519' | 'dummy', keyArgs: readonly string[]): Promise<TrustedKeys> {
  const o = inv.options;
  const keysFile = o.string('keys-file');
  if (type === 'dummy') {
    // ostree's dummy engine keeps one key (the last added) and cannot load key files.
    if (keyArgs.length === 0 || keysFile !== undefined) throw new CliError('not implemented');
    return { dummy: keyArgs[keyArgs.length - 1]! };
  }
  const ed25519: Uint8Array[] = [];
  for (const key of keyArgs) {
    try {
      ed25519.push(parseEd25519PublicKey(key));
    } catch (e) {
      throw new CliError((e as Error).message, { cause: e });
    }
  }
  if (keyArgs.length > 0 && keysFile === undefined) return { ed25519 };
  const loaded = await loadPublicKeys(inv);
  return { ed25519: [...ed25519, ...loaded.ed25519!], revokedEd25519: loaded.revokedEd25519 ?? [] };
}

export const staticDeltaVerifyCommand: CommandSpec = {
  name: 'verify',
  description: 'Verify static delta signatures',
  parameters: 'STATIC-DELTA-FILE [KEY-ID...]',
  repo: 'open',
  options: VERIFY_KEY_OPTIONS,
  async run(inv) {
    const [id, ...keyArgs] = inv.args;
    if (id === undefined) throw new CliError('DELTA must be specified');
    let type;
    try {
      type = signTypeOption(inv.options.string('sign-type'));
    } catch (e) {
      await inv.ctx.print('Sign-type not supported\n');
      throw e;
    }
    useNodeEd25519();
    const keys = await trustedKeys(inv, type, keyArgs);
    let failure: unknown;
    try {
      let bytes: Uint8Array;
      try {
        bytes = await inv.ctx.fs.readFile(superblockPath(inv, id));
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(`opening delta: ${(e as Error).message}`, { cause: e });
      }
      assertDummyEnabled(type, inv.ctx.env);
      verifySignedDeltaSuperblock(bytes, keys, { type, engine: defaultEd25519() });
    } catch (e) {
      failure = e;
    }
    await inv.ctx.print(`Verification ${failure === undefined ? 'OK' : 'fails'}\n`);
    if (failure instanceof OstreeError) throw new CliError(failure.message, { cause: failure });
    if (failure !== undefined) throw failure;
  },
};
