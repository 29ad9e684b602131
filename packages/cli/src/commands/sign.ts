/**
 * `ostree sign [--verify] [--delete] [--sign-type=T] [--keys-file=F] [--keys-dir=D] COMMIT KEY…`:
 * signs a commit (signatures appended to its `.commitmeta`) or verifies its signatures.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { withRepoLock, type Repo } from '@ostree-ts/repo';
import {
  defaultEd25519,
  ed25519KeyHex,
  parseEd25519PublicKey,
  parseEd25519SecretKey,
  removeSignatures,
  signaturesOf,
  verifyLikeLibsodium,
  verifySignatures,
  type SignType,
  type TrustedKeys,
  type VerifiedSignature,
} from '@ostree-ts/sign';
import { repoOf, usageError, type CommandSpec, type Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { resolveRevRequired } from '../resolve-rev.js';
import { KEY_SOURCE_OPTIONS, loadPublicKeys, secretKeyLines, signCommitInRepo, signTypeOption, signerFor, useNodeEd25519 } from '../signing.js';

export const signCommand: CommandSpec = {
  name: 'sign',
  description: 'Sign a commit',
  parameters: 'COMMIT KEY-ID...',
  repo: 'open',
  options: [
    { long: 'delete', short: 'd', arg: 'none', description: 'Delete signatures having any of the KEY-IDs' },
    { long: 'verify', arg: 'none', description: 'Verify signatures' },
    { long: 'sign-type', short: 's', arg: 'string', argName: 'NAME', description: "Signature type to use (defaults to 'ed25519')" },
    ...KEY_SOURCE_OPTIONS,
  ],
  run: (inv) => runSign(inv),
};

async function runSign(inv: Invocation): Promise<void> {
  const repo = repoOf(inv);
  const o = inv.options;
  const [commit, ...keys] = inv.args;
  if (commit === undefined) usageError('Need a COMMIT to sign or verify');
  const keysFile = o.string('keys-file');
  if (!o.flag('verify') && keysFile === undefined && keys.length === 0) usageError('Need at least one KEY-ID to sign with');
  const checksum = await resolveRevRequired(repo, commit);
  const type = signTypeOption(o.string('sign-type'));
  useNodeEd25519();
  if (o.flag('verify')) {
    await inv.ctx.print(`${(await verifyCommit(inv, repo, checksum, type, keys, keysFile)).message}\n`);
  } else if (o.flag('delete')) {
    await withRepoLock(repo, 'shared', () => deleteSignatures(inv, repo, checksum, type, keys));
  } else {
    await withRepoLock(repo, 'shared', async () => {
      for (const key of keys) await signCommitInRepo(repo, checksum, signerFor(type, key, inv.ctx.env));
      if (keysFile !== undefined) {
        for (const key of await secretKeyLines(inv.ctx.fs, inv.ctx.absolute(keysFile))) {
          await signCommitInRepo(repo, checksum, signerFor(type, key, inv.ctx.env));
        }
      }
    });
  }
}

async function commitSignatures(repo: Repo, checksum: string, type: SignType): Promise<{ data: Uint8Array; signatures: Uint8Array[] | undefined }> {
  const data = await repo.readMetadata('commit', checksum);
  return { data, signatures: signaturesOf(await repo.loadCommitMeta(checksum), type) };
}

/** One verification attempt (ostree_sign_commit_verify), with ostree's error for a commit without signatures. */
async function verifyWith(repo: Repo, checksum: string, type: SignType, trusted: TrustedKeys, env: Readonly<Record<string, string | undefined>>): Promise<VerifiedSignature> {
  if (type === 'dummy' && env['OSTREE_DUMMY_SIGN_ENABLED'] !== '1') throw new CliError('dummy signature type is only for ostree testing');
  const { data, signatures } = await commitSignatures(repo, checksum, type);
  if (signatures === undefined) {
    throw new CliError(type === 'ed25519' ? 'ed25519: commit have no signatures of my type' : 'signature: dummy: commit have no signatures of my type');
  }
  try {
    return verifySignatures(type, data, signatures, trusted, defaultEd25519());
  } catch (e) {
    if (e instanceof OstreeError) throw new CliError(e.message, { cause: e });
    throw e;
  }
}

function trustedFromKeyArgument(type: SignType, key: string): TrustedKeys | undefined {
  if (type === 'dummy') return { dummy: key };
  try {
    return { ed25519: [parseEd25519PublicKey(key)] };
  } catch {
    return undefined; // ostree skips keys it cannot load
  }
}

/**
 * ostree's order: each KEY argument on its own (errors swallowed), then — with no KEY or
 * with --keys-file — the keys file or the system trust store, whose error is reported.
 */
async function verifyCommit(inv: Invocation, repo: Repo, checksum: string, type: SignType, keys: string[], keysFile: string | undefined): Promise<VerifiedSignature> {
  for (const key of keys) {
    const trusted = trustedFromKeyArgument(type, key);
    if (trusted === undefined) continue;
    try {
      return await verifyWith(repo, checksum, type, trusted, inv.ctx.env);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
    }
  }
  if (keys.length === 0 || keysFile !== undefined) {
    if (type === 'dummy') throw new CliError('not implemented');
    return verifyWith(repo, checksum, type, await loadPublicKeys(inv), inv.ctx.env);
  }
  throw new CliError('No valid signatures found');
}

/**
 * `--delete`: ostree 2022.7 accepts the flag but ignores it (and signs). ostree-ts removes the
 * signatures made by each KEY (an ed25519 secret or public key; for dummy, the key text).
 */
async function deleteSignatures(inv: Invocation, repo: Repo, checksum: string, type: SignType, keys: string[]): Promise<void> {
  const data = await repo.readMetadata('commit', checksum);
  let metadata = await repo.loadCommitMeta(checksum);
  for (const key of keys) {
    let matches: (signature: Uint8Array) => boolean;
    let name: string;
    if (type === 'dummy') {
      const bytes = new TextEncoder().encode(key);
      matches = (s) => s.length === bytes.length && s.every((b, i) => b === bytes[i]);
      name = key;
    } else {
      const publicKey = ed25519PublicKeyOf(key);
      matches = (s) => verifyLikeLibsodium(defaultEd25519(), s, data, publicKey);
      name = ed25519KeyHex(publicKey);
    }
    const result = metadata === undefined ? { metadata, removed: 0 } : removeSignatures(metadata, type, matches);
    if (result.removed === 0) throw new CliError(`No ${type} signatures by key '${name}' found`);
    metadata = result.metadata;
  }
  await repo.writeCommitMeta(checksum, metadata !== undefined && metadata.length > 0 ? metadata : undefined);
}

function ed25519PublicKeyOf(key: string): Uint8Array {
  try {
    return parseEd25519PublicKey(key);
  } catch {
    try {
      return parseEd25519SecretKey(key).publicKey;
    } catch {
      throw new CliError('Incorrect ed25519 key');
    }
  }
}
