/**
 * Running an external program (ostree's GRUB generator protocol), behind a small interface so
 * the backends stay testable and runtime-neutral.
 * @module
 */

/** Result of running a program. */
export interface CommandResult {
  /** Exit status, or null if a signal ended it. */
  readonly status: number | null;
  readonly signal?: string | null;
  /** Captured standard error (only when debugging is on; otherwise discarded). */
  readonly stderr?: string;
}

/**
 * Runs `argv` (looked up on PATH) with the current environment plus `env`, waiting for it to
 * end. When `debug` is false, standard output and error are discarded (as ostree does unless
 * `OSTREE_DEBUG_GRUB2` is set).
 */
export type CommandRunner = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  debug: boolean,
) => Promise<CommandResult>;

/** The default runner: Node's `child_process.spawn` (imported lazily so other runtimes can load this package). */
export const nodeCommandRunner: CommandRunner = async (argv, env, debug) => {
  const { spawn } = await import('node:child_process');
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env: { ...process.env, ...env },
      stdio: ['ignore', debug ? 'inherit' : 'ignore', debug ? 'inherit' : 'ignore'],
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal }));
  });
};
