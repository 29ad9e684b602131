/**
 * The shape of a command in the command table, and what a running command gets.
 * @module
 */
import type { Repo } from '@ostree-ts/repo';
import type { Context } from './context.js';
import { UsageError } from './errors.js';
import type { OptionSpec, ParsedOptions } from './goption.js';
import type { RepoLocation } from './repo-location.js';

/** How a command uses `--repo`. */
export type RepoUse =
  /** Takes `--repo` and needs an existing repository (opened before anything else). */
  | 'open'
  /** Takes `--repo` but only needs its location (`init`). */
  | 'locate'
  /** Takes no `--repo` (command groups). */
  | 'none';

/** One entry of the command table: the single source of truth for parsing and help. */
export interface CommandSpec {
  readonly name: string;
  /** One line, as `ostree --help` lists it. */
  readonly description: string;
  /** Parameter string for the usage line, e.g. `[PREFIX]`. */
  readonly parameters: string;
  readonly options: readonly OptionSpec[];
  readonly repo: RepoUse;
  /**
   * Help text of `--repo` when the command declares it itself (`remote add`, `remote delete`):
   * it is then listed after the command's own options, as in ostree.
   */
  readonly repoDescription?: string;
  /** Options listed after `--repo` (with `repoDescription`). */
  readonly trailingOptions?: readonly OptionSpec[];
  /** The command itself (absent for groups). */
  readonly run?: (inv: Invocation) => Promise<void>;
  /**
   * For the command table's entries: loads the full command (its module and the packages it
   * needs) once it is chosen, so start-up only pays for the one command that runs. An entry
   * with `load` carries just its name and description.
   */
  readonly load?: () => Promise<CommandSpec>;
  /** Subcommands (`remote add`, …). */
  readonly subcommands?: readonly CommandSpec[];
  /**
   * For groups whose usage ostree prints by hand (`static-delta`): the usage text (stdout for
   * `--help`, stderr before errors) and the error when no subcommand is given.
   */
  readonly groupUsage?: { readonly text: (program: string) => string; readonly noCommand: string };
}

/** A running command. */
export interface Invocation {
  readonly ctx: Context;
  readonly options: ParsedOptions;
  /** Positional arguments after the command name. */
  readonly args: readonly string[];
  /** The repository location (commands with `repo` other than 'none'). */
  readonly location: RepoLocation | undefined;
  /** The opened repository (commands with `repo: 'open'`). */
  readonly repo: Repo | undefined;
  /** Help text of this command (printed before usage errors). */
  readonly help: string;
}

/** The opened repository of an invocation. */
export function repoOf(inv: Invocation): Repo {
  if (inv.repo === undefined) throw new Error(`internal error: command was not given a repository`);
  return inv.repo;
}

/** Fails with help on stderr, then `error: MESSAGE` (ot_util_usage_error). */
export function usageError(message: string): never {
  throw new UsageError(message);
}
