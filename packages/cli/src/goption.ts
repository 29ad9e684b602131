/**
 * Command-line options parsed the way GLib's GOption parses them for ostree: `--name=value`,
 * `--name value`, `-x value`, clusters of short flags (`-RC`), options anywhere among the
 * arguments, the last value winning for single-valued options, `--` ending the options, and
 * GLib's error messages. (commander is not used: ostree's argument rules and messages differ
 * from its conventions in ways scripts can observe, e.g. `-bREF` is an unknown option.)
 * @module
 */
import { CliError } from './errors.js';

/** How an option takes its value (GOptionArg). */
export type OptionArg =
  /** G_OPTION_ARG_NONE: a flag. */
  | 'none'
  /** G_OPTION_ARG_STRING / FILENAME: one value, the last one given wins. */
  | 'string'
  /** G_OPTION_ARG_STRING_ARRAY: every value, in order. */
  | 'strings'
  /** G_OPTION_ARG_INT: a C int parsed with strtol(…, 0). */
  | 'int';

/** One option, as a GOptionEntry describes it. */
export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly arg: OptionArg;
  /** Placeholder shown in help (`--branch=BRANCH`). */
  readonly argName?: string;
  readonly description: string;
  /** Parsed but not listed in help (G_OPTION_FLAG_HIDDEN). */
  readonly hidden?: boolean;
}

/** Parsed option values, keyed by long name. */
export class ParsedOptions {
  /** @internal */
  readonly values = new Map<string, boolean | string | string[] | number>();

  /** True if the flag was given. */
  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** The last value given for a single-valued option. */
  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  /** Every value given for a repeatable option, in order. */
  strings(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }

  /** The value of an integer option. */
  int(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  /** True if the option appeared at all. */
  has(name: string): boolean {
    return this.values.has(name);
  }
}

/** Result of parsing: options, the remaining arguments, and whether help was asked for. */
export interface ParseResult {
  readonly options: ParsedOptions;
  readonly positionals: string[];
  readonly help: boolean;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** GLib's parse_int: strtol with base 0 over the whole string, range-checked to a C int. */
export function parseCInt(text: string, optionName: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (text === '' || m === null) throw new CliError(`Cannot parse integer value “${text}” for ${optionName}`);
  const digits = m[2]!;
  let magnitude: bigint;
  if (/^0[xX]/.test(digits)) magnitude = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  const value = m[1] === '-' ? -magnitude : magnitude;
  if (value > BigInt(INT_MAX) || value < BigInt(INT_MIN)) {
    throw new CliError(`Integer value “${text}” for ${optionName} out of range`);
  }
  return Number(value);
}

function store(opts: ParsedOptions, spec: OptionSpec, value: string | undefined, shownName: string): void {
  switch (spec.arg) {
    case 'none':
      opts.values.set(spec.long, true);
      return;
    case 'string':
      opts.values.set(spec.long, value!);
      return;
    case 'strings': {
      const prev = opts.values.get(spec.long);
      opts.values.set(spec.long, Array.isArray(prev) ? [...prev, value!] : [value!]);
      return;
    }
    case 'int':
      opts.values.set(spec.long, parseCInt(value!, shownName));
      return;
  }
}

/**
 * Parses `args` against `specs`. `-h`, `--help` and `-?` set `help` (GOption's help entry).
 * Everything after `--` is positional; the `--` itself is dropped, as ostree does with the
 * first one.
 * @throws {CliError} with GLib's message for unknown options, missing or bad values
 */
export function parseOptions(specs: readonly OptionSpec[], args: readonly string[]): ParseResult {
  const byLong = new Map(specs.map((s) => [s.long, s]));
  // With two options on one letter (summary's -v/--view and the global -v/--verbose) the
  // first one listed takes it, as in GLib, whose help also hides the later one's letter.
  const byShort = new Map<string, OptionSpec>();
  for (const s of specs) if (s.short !== undefined && !byShort.has(s.short)) byShort.set(s.short, s);
  const options = new ParsedOptions();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      // GLib prints help as soon as it meets the option; later arguments are never looked at.
      if (name === 'help' && eq < 0) return { options, positionals, help: true };
      const spec = byLong.get(name);
      if (spec === undefined) throw new CliError(`Unknown option ${arg}`);
      const shown = `--${name}`;
      let value: string | undefined;
      if (spec.arg !== 'none') {
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < args.length) value = args[++i];
        else throw new CliError(`Missing argument for ${shown}`);
      }
      store(options, spec, value, shown);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of short options, handled letter by letter as GLib does: an option taking a
      // value takes the next argument; an unknown letter makes the whole argument unknown.
      let next = i;
      for (const c of arg.slice(1)) {
        if (c === '?' || (c === 'h' && !byShort.has('h'))) return { options, positionals, help: true };
        const spec = byShort.get(c);
        if (spec === undefined) throw new CliError(`Unknown option ${arg}`);
        const shown = `-${c}`;
        let value: string | undefined;
        if (spec.arg !== 'none') {
          if (next > i) throw new CliError(`Error parsing option ${shown}`);
          if (i + 1 >= args.length) throw new CliError(`Missing argument for ${shown}`);
          next = i + 1;
          value = args[next];
        }
        store(options, spec, value, shown);
      }
      i = next;
      continue;
    }
    positionals.push(arg);
  }
  return { options, positionals, help: false };
}
