/**
 * Signing glue shared by `sign`, `commit --sign` and `summary --sign`: signer creation with
 * ostree's checks and messages, and the read-modify-write of `.commitmeta` and `summary.sig`.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { joinPath, type Repo } from '@ostree-ts/repo';
import {
  createSigner,
  defaultEd25519,
  keyFileLines,
  loadSystemTrustedKeys,
  parseEd25519PublicKeyFile,
  parseSignType,
  setDefaultEd25519,
  signCommit,
  signSummary,
  type KeyFileReader,
  type Signer,
  type SignType,
  type TrustedKeys,
} from '@ostree-ts/sign';
import { nodeEd25519 } from '@ostree-ts/sign/node';
import { decodeMetadata } from '@ostree-ts/core';
import type { Invocation } from './command.js';
import { CliError } from './errors.js';
import type { OptionSpec } from './goption.js';

let nodeEngineInstalled = false;

/** The CLI runs on Node: use node:crypto's ed25519 (same signatures, much faster than noble). */
export function useNodeEd25519(): void {
  if (nodeEngineInstalled) return;
  setDefaultEd25519(nodeEd25519());
  nodeEngineInstalled = true;
}

/** `--sign-type` (default ed25519) as ostree resolves it. */
export function signTypeOption(name: string | undefined): SignType {
  try {
    return parseSignType(name ?? 'ed25519');
  } catch {
    throw new CliError('Requested signature type is not implemented');
  }
}

/** ostree gates its test signer behind this variable; every dummy operation checks it. */
export function assertDummyEnabled(type: SignType, env: Readonly<Record<string, string | undefined>>): void {
  if (type === 'dummy' && env['OSTREE_DUMMY_SIGN_ENABLED'] !== '1') throw new CliError('dummy signature type is only for ostree testing');
}

/** A signer for `key` (ostree's `set_sk`), with its messages for bad keys. */
export function signerFor(type: SignType, key: string, env: Readonly<Record<string, string | undefined>>): Signer {
  useNodeEd25519();
  assertDummyEnabled(type, env);
  try {
    return createSigner(type, key, defaultEd25519());
  } catch (e) {
    if (e instanceof OstreeError) throw new CliError(e.message, { cause: e });
    throw e;
  }
}

/** Appends one signature of the commit to its `.commitmeta` (ostree_sign_commit). */
export async function signCommitInRepo(repo: Repo, checksum: string, signer: Signer): Promise<void> {
  const commitBytes = await repo.readMetadata('commit', checksum);
  const existing = await repo.loadCommitMeta(checksum);
  await repo.writeCommitMeta(checksum, signCommit(commitBytes, existing, signer));
}

async function readIfExists(fs: Fs, path: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Signs the repository's `summary` with every signer, appending to `summary.sig` (ostree_sign_summary). */
export async function signSummaryInRepo(repo: Repo, signers: readonly Signer[]): Promise<void> {
  if (signers.length === 0) throw new CliError('No keys passed for signing summary');
  const summary = await repo.fs.readFile(joinPath(repo.path, 'summary'));
  const sigPath = joinPath(repo.path, 'summary.sig');
  const oldSig = await readIfExists(repo.fs, sigPath);
  const existing = oldSig === undefined ? undefined : decodeMetadata(oldSig, { strict: false }, 'summary.sig');
  const bytes = signSummary(summary, existing, signers);
  const tmp = joinPath(repo.tmpDir, `ostree-ts-summary-sig-${randomUUID()}`);
  await repo.fs.writeFile(tmp, bytes, { mode: 0o644 });
  await repo.fs.rename(tmp, sigPath);
}

/** Secret keys of a `--keys-file` for signing: every line must be a key (ostree stops at the first bad one). */
export async function secretKeyLines(fs: Fs, path: string): Promise<string[]> {
  const st = await fs.stat(path).catch(() => undefined);
  if (st?.type !== 'file') throw new CliError(`File object '${path}' is not a regular file`);
  return keyFileLines(new TextDecoder().decode(await fs.readFile(path)));
}

/** Key-file access through the CLI's filesystem, for the system trust store. */
export function fsKeyReader(fs: Fs): KeyFileReader {
  return {
    async readText(path) {
      const st = await fs.stat(path).catch(() => undefined);
      if (st?.type !== 'file') return undefined;
      return new TextDecoder().decode(await fs.readFile(path));
    },
    list: (path) => fs.readdir(path).catch(() => undefined),
  };
}

/** `--keys-file` and `--keys-dir`, as the verifying commands (`sign --verify`, `static-delta verify|apply-offline`) declare them. */
export const KEY_SOURCE_OPTIONS: readonly OptionSpec[] = [
  { long: 'keys-file', arg: 'string', argName: 'NAME', description: 'Read key(s) from file' },
  {
    long: 'keys-dir',
    arg: 'string',
    argName: 'NAME',
    description: 'Redefine system-wide directories with public and revoked keys for verification',
  },
];

/** `--sign-type` followed by {@link KEY_SOURCE_OPTIONS}: the options of `static-delta verify` and `apply-offline`. */
export const VERIFY_KEY_OPTIONS: readonly OptionSpec[] = [
  { long: 'sign-type', arg: 'string', argName: 'NAME', description: "Signature type to use (defaults to 'ed25519')" },
  ...KEY_SOURCE_OPTIONS,
];

/**
 * ostree's `load_pk` for ed25519: the public keys of `--keys-file`, else those of the system
 * directories (or `--keys-dir`), with ostree's messages when there are none.
 */
export async function loadPublicKeys(inv: Invocation): Promise<TrustedKeys> {
  const keysFile = inv.options.string('keys-file');
  const reader = fsKeyReader(inv.ctx.fs);
  if (keysFile !== undefined) {
    const text = await reader.readText(inv.ctx.absolute(keysFile));
    if (text === undefined) throw new CliError(`File object '${keysFile}' is not a regular file`);
    try {
      return { ed25519: parseEd25519PublicKeyFile(text, keysFile) };
    } catch (e) {
      if (e instanceof OstreeError) throw new CliError(e.message, { cause: e });
      throw e;
    }
  }
  const keysDir = inv.options.string('keys-dir');
  const trusted = await loadSystemTrustedKeys(reader, keysDir === undefined ? undefined : [inv.ctx.absolute(keysDir)]);
  if ((trusted.ed25519 ?? []).length === 0) throw new CliError('signature: ed25519: no keys loaded');
  return trusted;
}
