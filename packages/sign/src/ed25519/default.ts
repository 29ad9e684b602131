/**
 * The process-wide ed25519 backend used when a call does not pass one.
 * @module
 */
import type { Ed25519 } from './engine.js';
import { nobleEd25519 } from './noble.js';

let current: Ed25519 | undefined;

/** The backend calls use by default: noble unless {@link setDefaultEd25519} chose another. */
export function defaultEd25519(): Ed25519 {
  return (current ??= nobleEd25519());
}

/**
 * Makes `engine` the default backend, e.g. `setDefaultEd25519(nodeEd25519())` from
 * `@ostree-ts/sign/node` at program start. Both give identical signatures.
 */
export function setDefaultEd25519(engine: Ed25519): void {
  current = engine;
}
