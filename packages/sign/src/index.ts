/**
 * ed25519 signatures for commits, summaries and static deltas, in ostree's layout
 * @module
 */
export {};
