/**
 * ostree's `ot_parse_boolean`, as its `--fsync=POLICY` options use it.
 * @module
 */
import { CliError } from './errors.js';

/** `1/true/yes` or `0/false/no/none` (any case). @throws {CliError} otherwise */
export function parseBoolean(value: string): boolean {
  const v = value.toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no' || v === 'none') return false;
  throw new CliError(`Invalid boolean argument '${value}'`);
}
