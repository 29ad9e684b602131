/**
 * OSTree static deltas: codec, generation, streaming bounded-memory apply
 * @module
 */
export {};
