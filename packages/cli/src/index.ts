/**
 * The ostree-ts command line: ostree's subcommands, flags and output.
 * @module
 */
export { main, run } from './main.js';
export { Context, type Environment } from './context.js';
export { CaptureSink, type Sink } from './output.js';
export { COMMANDS } from './commands/index.js';
export type { CommandSpec, Invocation } from './command.js';
