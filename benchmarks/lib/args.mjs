// What the side-by-side benchmark scripts share before they start: where the monorepo and the
// built ostree-ts command are, `--name VALUE` options, and the default benchmark data directory.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The ostree-ts command exactly as users run it (built: `npm run build`). */
export const OSTREE_TS_CLI = join(REPO_ROOT, 'packages/cli/bin/ostree-ts.mjs');

/** Trees from ../shared/bench/make-rootfs.sh: BENCH_DATA, else /work/bench-data/data. */
export const BENCH_DATA = process.env.BENCH_DATA ?? '/work/bench-data/data';

const argv = process.argv.slice(2);

/** The value after `--name` on the command line, else `dflt`. */
export function option(name, dflt) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
}
