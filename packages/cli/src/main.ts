/**
 * The `ostree-ts` command: ostree's argument handling (the first argument not starting with
 * `-` is the command; options may come before or after it), dispatch through the command
 * table, and ostree's error reporting (`error: MESSAGE` on stderr, exit code 1).
 * @module
 */
import type { Repo } from '@ostree-ts/repo';
import type { CommandSpec, Invocation } from './command.js';
import { COMMANDS, NOT_IMPLEMENTED } from './commands/index.js';
import { Context, type Environment } from './context.js';
import { CliError, FatalError, UsageError } from './errors.js';
import { parseOptions, type OptionSpec } from './goption.js';
import { formatCommandList, formatHelp } from './help.js';
import { LazyDeflatePool } from './deflate-pool.js';
import { locateRepo, openRepoAt, type RepoLocation } from './repo-location.js';
import { streamSink } from './output.js';
import { versionText } from './version.js';

const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { long: 'verbose', short: 'v', arg: 'none', description: 'Print debug information during command processing' },
  { long: 'version', arg: 'none', description: 'Print version information and exit' },
];

const REPO_DESCRIPTION = 'Path to OSTree repository (defaults to current directory or /sysroot/ostree/repo)';

function repoOption(spec: CommandSpec): OptionSpec {
  return { long: 'repo', arg: 'string', argName: 'PATH', description: spec.repoDescription ?? REPO_DESCRIPTION };
}

function optionsOf(spec: CommandSpec): OptionSpec[] {
  if (spec.repo === 'none') return [...spec.options, ...GLOBAL_OPTIONS];
  if (spec.repoDescription !== undefined) return [...spec.options, repoOption(spec), ...(spec.trailingOptions ?? []), ...GLOBAL_OPTIONS];
  return [repoOption(spec), ...spec.options, ...GLOBAL_OPTIONS];
}

/** A group of commands: the top level or `remote`. */
interface Group {
  readonly program: string;
  readonly commands: readonly CommandSpec[];
  readonly summary: string;
  readonly noCommand: string;
  unknownCommand(name: string): string;
  /** Stop looking for the command name at `--` (true for subcommand groups). */
  readonly stopAtDashDash: boolean;
  /** The group's own usage text, when ostree does not use GOption's help for it. */
  readonly usage?: string;
}

function groupHelp(g: Group): string {
  return g.usage ?? formatHelp({ program: g.program, parameters: 'COMMAND', summary: g.summary, options: GLOBAL_OPTIONS });
}

function commandHelp(spec: CommandSpec, program: string): string {
  return formatHelp({ program, parameters: spec.parameters, summary: spec.description, options: optionsOf(spec) });
}

/** Splits off the command name: the first argument that does not start with `-`. */
function takeCommandName(args: readonly string[], stopAtDashDash: boolean): [string | undefined, string[]] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (stopAtDashDash && a === '--') break;
    if (!a.startsWith('-')) return [a, [...args.slice(0, i), ...args.slice(i + 1)]];
  }
  return [undefined, [...args]];
}

async function runCommand(ctx: Context, spec: CommandSpec, program: string, args: readonly string[]): Promise<number> {
  const help = commandHelp(spec, program);
  const { options, positionals, help: wantsHelp } = parseOptions(optionsOf(spec), args);
  if (wantsHelp) {
    await ctx.print(help);
    return 0;
  }
  if (options.flag('version')) {
    await ctx.print(versionText());
    return 0;
  }
  let location: RepoLocation | undefined;
  let repo: Repo | undefined;
  if (spec.repo !== 'none') location = await locateRepo(ctx, options.string('repo'));
  const pool = new LazyDeflatePool();
  try {
    if (spec.repo === 'open') repo = await openRepoAt(ctx, location!, { deflater: pool.deflater });
    const inv: Invocation = { ctx, options, args: positionals, location, repo, help };
    await spec.run!(inv);
  } catch (e) {
    if (e instanceof UsageError) e.help ??= help;
    throw e;
  } finally {
    await pool.close();
  }
  return 0;
}

async function dispatch(ctx: Context, group: Group, args: readonly string[]): Promise<number> {
  const [name, rest] = takeCommandName(args, group.stopAtDashDash);
  const entry = group.commands.find((c) => c.name === name);
  if (entry === undefined) {
    const { options, help } = parseOptions(GLOBAL_OPTIONS, rest);
    if (help) {
      await ctx.print(groupHelp(group));
      return 0;
    }
    if (options.flag('version')) {
      await ctx.print(versionText());
      return 0;
    }
    await ctx.printErr(groupHelp(group));
    if (name !== undefined && group.program === ctx.programName && NOT_IMPLEMENTED.includes(name)) {
      throw new CliError(`Command '${name}' is not implemented by ostree-ts`);
    }
    throw new CliError(name === undefined ? group.noCommand : group.unknownCommand(name));
  }
  const spec = entry.load === undefined ? entry : await entry.load();
  const program = `${group.program} ${spec.name}`;
  if (spec.subcommands !== undefined) {
    return dispatch(
      ctx,
      {
        program,
        commands: spec.subcommands,
        summary: `${spec.description}\n\n${formatCommandList(`Builtin "${spec.name}" Commands:`, spec.subcommands)}`,
        noCommand: spec.groupUsage?.noCommand ?? `No "${spec.name}" subcommand specified`,
        unknownCommand: (n) => `Unknown "${spec.name}" subcommand '${n}'`,
        stopAtDashDash: true,
        ...(spec.groupUsage ? { usage: spec.groupUsage.text(program) } : {}),
      },
      rest,
    );
  }
  return runCommand(ctx, spec, program, rest);
}

/** Runs one command line in `ctx`; returns the exit code. */
export async function run(ctx: Context, argv: readonly string[]): Promise<number> {
  const top: Group = {
    program: ctx.programName,
    commands: COMMANDS,
    summary: formatCommandList('Builtin Commands:', COMMANDS),
    noCommand: 'No command specified',
    unknownCommand: (n) => `Unknown command '${n}'`,
    stopAtDashDash: false,
  };
  let code: number;
  try {
    code = await dispatch(ctx, top, argv);
  } catch (e) {
    code = 1;
    if (e instanceof FatalError) {
      await ctx.printErr(`${ctx.programName}: ${e.message}\n`);
    } else {
      if (e instanceof UsageError) {
        if (e.help !== undefined) await ctx.printErr(e.trailingNewline ? `${e.help}\n` : e.help);
      }
      await ctx.printErr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      if (!(e instanceof CliError) && !(e instanceof Error && e.name === 'OstreeError') && ctx.env['OSTREE_TS_DEBUG']) {
        await ctx.printErr(`${(e as Error).stack ?? ''}\n`);
      }
    }
  }
  await ctx.out.flush();
  await ctx.err.flush();
  return code;
}

/**
 * The CLI entry point: runs `argv` (without the program name) against the real process
 * (stdout, stderr, environment, working directory, Node filesystem) and returns the exit code.
 * Never calls process.exit. `overrides` replaces parts of the environment (tests, embedding).
 */
export async function main(argv: string[], overrides: Partial<Environment> = {}): Promise<number> {
  // A command-line process does one job: direct (synchronous) file system calls are much
  // cheaper than thread-pool round trips, and nothing else waits on the event loop.
  const fs = overrides.fs ?? (await import('@ostree-ts/io-node')).nodeFs({ syncCalls: true });
  const ctx = new Context({
    stdout: overrides.stdout ?? streamSink(process.stdout),
    stderr: overrides.stderr ?? streamSink(process.stderr),
    env: overrides.env ?? process.env,
    cwd: overrides.cwd ?? process.cwd(),
    fs,
    ...(overrides.programName !== undefined ? { programName: overrides.programName } : {}),
    stdoutIsTerminal: overrides.stdoutIsTerminal ?? (overrides.stdout === undefined && process.stdout.isTTY === true),
  });
  return run(ctx, argv);
}
