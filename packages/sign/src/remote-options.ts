/**
 * A remote's signature settings (`sign-verify`, `sign-verify-summary`,
 * `verification-<type>-key`, `verification-<type>-file`) turned into what to verify with, by
 * ostree's rules (ostree-repo-pull-verify.c).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { loadVerificationKeys, type TrustedKeys } from './keys.js';
import { SIGN_TYPES, parseSignType, type SignType } from './signers.js';

/** The key settings of one remote, with `verification-ed25519-file`'s contents already read. */
export interface RemoteKeyOptions {
  /** `verification-ed25519-key`. */
  readonly ed25519Key?: string;
  /** Contents of the file `verification-ed25519-file` names. */
  readonly ed25519File?: string;
  /** That file's name, for messages. */
  readonly ed25519FileName?: string;
  /** `verification-dummy-key` (only honoured by callers that allow the dummy type). */
  readonly dummyKey?: string;
}

/** What a remote asks to verify, or undefined when verification is off. */
export interface RemoteVerification {
  /** Types to accept, in the order to try them. */
  readonly types: readonly SignType[];
  /** Keys from the remote's configuration. */
  readonly keys: TrustedKeys;
  /**
   * True when ed25519 is accepted but the remote configures no ed25519 key: ostree then uses
   * the system trust store, so merge in `loadSystemTrustedKeys(...)` before verifying.
   */
  readonly needsSystemKeys: boolean;
}

/** GKeyFile's booleans as ostree tests them here: exactly `true`/`1` or `false`/`0`. */
function truthiness(value: string): boolean | undefined {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

/**
 * Interprets `sign-verify` (or `sign-verify-summary`): unset, empty or false → off;
 * true → every type, keys optional; otherwise a `;`-separated list of types, each of which
 * must have keys configured.
 * @throws {OstreeError} UNSUPPORTED for an unknown type; INVALID_CONFIG when a listed type
 *   has no keys or its keys do not parse
 */
export function remoteSignVerification(value: string | undefined, options: RemoteKeyOptions): RemoteVerification | undefined {
  if (value === undefined || value === '') return undefined;
  const truth = truthiness(value);
  if (truth === false) return undefined;
  const listed = truth === true ? undefined : value.split(';').map((s) => s.trim()).filter((s) => s !== '').map(parseSignType);
  const types = listed ?? [...SIGN_TYPES];
  const ed25519 = loadVerificationKeys({
    ...(options.ed25519Key !== undefined ? { key: options.ed25519Key } : {}),
    ...(options.ed25519File !== undefined ? { file: options.ed25519File } : {}),
    ...(options.ed25519FileName !== undefined ? { fileName: options.ed25519FileName } : {}),
  });
  if (listed !== undefined) {
    for (const type of listed) {
      const configured = type === 'ed25519' ? ed25519.length > 0 : options.dummyKey !== undefined;
      if (!configured) throw new OstreeError('INVALID_CONFIG', `No keys found for required signapi type ${type}`);
    }
  }
  const keys: TrustedKeys = { ed25519, ...(options.dummyKey !== undefined ? { dummy: options.dummyKey } : {}) };
  return { types, keys, needsSystemKeys: types.includes('ed25519') && ed25519.length === 0 };
}
