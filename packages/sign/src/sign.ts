/**
 * Making signatures for commits and summaries, laid out as ostree writes them.
 * @module
 */
import { encodeMetadata, type Metadata } from '@ostree-ts/core';
import { appendSignature } from './detached.js';
import type { Signer } from './signers.js';

/**
 * Signs a commit: `commitBytes` is the commit object as stored; returns the new detached
 * metadata (`existing` plus the signature, ostree's entry order) to write as `.commitmeta`.
 */
export function signCommit(commitBytes: Uint8Array, existing: Metadata | undefined, signer: Signer): Metadata {
  return appendSignature(existing, signer.type, signer.sign(commitBytes));
}

/**
 * Signs the exact `summary` file bytes with each signer in turn, appending to `existing`
 * (the old `summary.sig`, usually none since regenerating the summary deletes it), and
 * returns the `summary.sig` bytes.
 */
export function signSummary(summaryBytes: Uint8Array, existing: Metadata | undefined, signers: readonly Signer[]): Uint8Array {
  let metadata = existing;
  for (const signer of signers) metadata = appendSignature(metadata, signer.type, signer.sign(summaryBytes));
  return encodeMetadata(metadata ?? []);
}
