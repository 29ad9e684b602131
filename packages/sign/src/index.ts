/**
 * ed25519 signatures for commits, summaries and static deltas, in ostree's layout: signatures
 * in detached metadata (`.commitmeta`) and `summary.sig` under `ostree.sign.ed25519`, and the
 * signed static-delta superblock. Keys as ostree reads them. Pure: no `node:` imports here;
 * the faster node:crypto backend is in `@ostree-ts/sign/node`.
 *
 * ```ts
 * import { ed25519Signer, signCommit, verifyCommitSignature, loadVerificationKeys } from '@ostree-ts/sign';
 * const meta = signCommit(commitBytes, undefined, ed25519Signer(secretKeyBase64));
 * verifyCommitSignature(commitBytes, meta, { ed25519: loadVerificationKeys({ key: publicKeyBase64 }) });
 * ```
 * @module
 */
export {
  ED25519_SEED_BYTES,
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SECRET_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  type Ed25519,
} from './ed25519/engine.js';
export { nobleEd25519 } from './ed25519/noble.js';
export { defaultEd25519, setDefaultEd25519 } from './ed25519/default.js';
export { verifyLikeLibsodium } from './ed25519/libsodium-rules.js';
export { decodeBase64Lenient, encodeBase64 } from './base64.js';
export {
  parseEd25519SecretKey,
  parseEd25519PublicKey,
  formatEd25519SecretKey,
  formatEd25519PublicKey,
  ed25519KeyHex,
  keyFileLines,
  parseEd25519PublicKeyFile,
  loadVerificationKeys,
  loadSystemTrustedKeys,
  SYSTEM_KEY_DIRECTORIES,
  type Ed25519SecretKey,
  type TrustedKeys,
  type VerificationKeySources,
  type KeyFileReader,
} from './keys.js';
export {
  SIGN_TYPES,
  SIGNATURES_TYPE,
  isSignType,
  parseSignType,
  signatureMetadataKey,
  ed25519Signer,
  dummySigner,
  createSigner,
  type SignType,
  type Signer,
} from './signers.js';
export { remoteSignVerification, type RemoteKeyOptions, type RemoteVerification } from './remote-options.js';
export { signaturesOf, appendSignature, removeSignatures } from './detached.js';
export { signCommit, signSummary } from './sign.js';
export {
  verifySignatures,
  verifyDetachedSignatures,
  verifyCommitSignature,
  verifySummarySignature,
  type VerifiedSignature,
  type VerifyOptions,
} from './verify.js';
export {
  SIGNED_SUPERBLOCK_TYPE,
  SIGNED_SUPERBLOCK_MAGIC,
  isSignedDeltaSuperblock,
  signDeltaSuperblock,
  unwrapSignedDeltaSuperblock,
  deltaSignatureTypes,
  verifySignedDeltaSuperblock,
  checkDeltaSignatureForApply,
  type DeltaApplySignatureOptions,
  type SignedSuperblock,
} from './delta.js';
