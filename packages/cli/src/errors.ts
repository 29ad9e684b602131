/**
 * Failures a command reports. Every failure ends as `error: MESSAGE` on stderr and exit code 1,
 * as ostree's `g_printerr ("error: %s\n")`; a usage error prints the command's help first.
 * @module
 */

/** A failure with the message ostree would print after `error: `. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** Wrong arguments: the command's help goes to stderr before the message (ot_util_usage_error). */
export class UsageError extends CliError {
  /** ot_util_usage_error adds a blank line after the help; the "requires --repo" path does not. */
  readonly trailingNewline: boolean;
  /** The command's help text, attached by the dispatcher. */
  help: string | undefined;

  constructor(message: string, options: { trailingNewline?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.trailingNewline = options.trailingNewline ?? true;
  }
}

/**
 * A failure that ends the process the way C's errx() does: `PROGRAM: MESSAGE` on stderr, exit 1,
 * no `error:` prefix (ostree uses it when a commit's timestamp cannot be shown).
 */
export class FatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FatalError';
  }
}

/** Runs `fn`; a CliError it throws gets `prefix: ` in front of its message (g_prefix_error). */
export async function withErrorPrefix<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error && !(e instanceof FatalError)) {
      throw new CliError(`${prefix}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}
