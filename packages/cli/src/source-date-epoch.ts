/**
 * The commit time when `--timestamp` is not given: `$SOURCE_DATE_EPOCH` read with
 * g_ascii_strtoll (leading digits; the rest ignored) as ostree_repo_write_commit does, else now.
 * @module
 */
import { CliError } from './errors.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Seconds for a new commit. @throws {CliError} ostree's SOURCE_DATE_EPOCH messages */
export function defaultCommitTime(env: Readonly<Record<string, string | undefined>>, now: () => number = Date.now): bigint {
  const text = env['SOURCE_DATE_EPOCH'];
  if (text === undefined) return BigInt(Math.floor(now() / 1000));
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(text);
  if (m === null) throw new CliError('Failed to convert SOURCE_DATE_EPOCH');
  const value = (m[1] === '-' ? -1n : 1n) * BigInt(m[2]!);
  if (value > INT64_MAX || value < INT64_MIN) throw new CliError('Parsing SOURCE_DATE_EPOCH: Numerical result out of range');
  return value;
}
