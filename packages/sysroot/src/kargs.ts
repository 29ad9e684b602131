/**
 * Kernel command lines as ostree edits them (libostree's OstreeKernelArgs): an ordered list of
 * `key` / `key=value` arguments where `replace` keeps the position of the first argument with
 * the same key, `append` always adds, and the string form joins with single spaces.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';

interface KernelArg {
  readonly key: string;
  readonly value: string | undefined;
}

function splitArg(arg: string): KernelArg {
  const eq = arg.indexOf('=');
  return eq < 0 ? { key: arg, value: undefined } : { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
}

/** An editable kernel command line. */
export class KernelArgs {
  private args: KernelArg[] = [];

  /** Parses a command line split on single spaces, as ostree does (`options` of a BLS entry). */
  static parse(options: string | undefined): KernelArgs {
    const k = new KernelArgs();
    if (options !== undefined && options !== '') for (const a of options.split(' ')) k.append(a);
    return k;
  }

  /** A command line from separate arguments. */
  static from(argv: readonly string[]): KernelArgs {
    const k = new KernelArgs();
    for (const a of argv) k.append(a);
    return k;
  }

  /** Adds `arg` at the end, even if its key is already present (`--karg-append`). */
  append(arg: string): void {
    this.args.push(splitArg(arg));
  }

  /**
   * Sets `arg`, replacing every argument with the same key: the new one takes the position of
   * the first of them (`--karg`), or goes at the end if the key is new.
   */
  replace(arg: string): void {
    const next = splitArg(arg);
    const first = this.args.findIndex((a) => a.key === next.key);
    if (first < 0) {
      this.args.push(next);
      return;
    }
    const kept = this.args.filter((a, i) => i < first || a.key !== next.key);
    kept.splice(first, 0, next);
    this.args = kept;
  }

  /**
   * True if an argument's key equals `arg` exactly. (ostree looks the whole `key=value`
   * string up as a key, so a `key=value` argument is never "contained".)
   */
  containsKey(arg: string): boolean {
    return this.args.some((a) => a.key === arg);
  }

  /** Appends `arg` unless {@link containsKey} (ostree's `append_if_missing`). */
  appendIfMissing(arg: string): void {
    if (!this.containsKey(arg)) this.append(arg);
  }

  /**
   * Deletes one argument (`--karg-delete`): `key=value` deletes that exact argument; a bare
   * `key` deletes the key when it has a single value.
   * @throws {OstreeError} INVALID_ARGUMENT when absent or ambiguous (ostree's messages)
   */
  delete(arg: string): void {
    const { key, value } = splitArg(arg);
    const same = this.args.filter((a) => a.key === key);
    if (same.length === 0) throw new OstreeError('INVALID_ARGUMENT', `No karg '${key}' found`);
    if (value === undefined) {
      if (same.length > 1) throw new OstreeError('INVALID_ARGUMENT', `Multiple values for key '${key}' found`);
      this.args = this.args.filter((a) => a.key !== key);
      return;
    }
    const i = this.args.findIndex((a) => a.key === key && a.value === value);
    if (i < 0) throw new OstreeError('INVALID_ARGUMENT', `No karg '${arg}' found`);
    this.args.splice(i, 1);
  }

  /** The arguments in order. */
  toArray(): string[] {
    return this.args.map((a) => (a.value === undefined ? a.key : `${a.key}=${a.value}`));
  }

  toString(): string {
    return this.toArray().join(' ');
  }
}
