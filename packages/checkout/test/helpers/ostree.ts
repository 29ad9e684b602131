// Running real ostree from tests.

import { hasOstree, ostree, ostreeResult } from '../../../../test-vectors/trees/ostree.js';

export { hasOstree, ostree, ostreeResult };

/** The message of a failed `ostree` run, without the `error: ` prefix and final newline. */
export function ostreeError(...args: string[]): string {
  const r = ostreeResult(...args);
  if (r.status === 0) throw new Error(`ostree ${args.join(' ')} unexpectedly succeeded`);
  return r.stderr.replace(/^error: /, '').replace(/\n$/, '');
}
