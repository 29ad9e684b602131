// `ostree checkout` flags → CheckoutOptions, as the CLI will map them (tests run the same
// case through real ostree and through checkout()).
import type { CheckoutOptions } from '../../src/index.js';

export function optionsFromFlags(flags: readonly string[]): CheckoutOptions {
  const o: { -readonly [K in keyof CheckoutOptions]: CheckoutOptions[K] } = {};
  for (const f of flags) {
    if (f === '-U' || f === '--user-mode') o.userMode = true;
    else if (f === '--disable-cache') o.disableCache = true;
    else if (f.startsWith('--subpath=')) o.subpath = f.slice('--subpath='.length);
    else if (f === '--union') o.union = true;
    else if (f === '--union-add') o.unionAdd = true;
    else if (f === '--union-identical') o.unionIdentical = true;
    else if (f === '--whiteouts') o.whiteouts = true;
    else if (f === '--process-passthrough-whiteouts') o.processPassthroughWhiteouts = true;
    else if (f === '--allow-noent') o.allowNoent = true;
    else if (f.startsWith('--fsync=')) o.fsync = !['false', 'no', '0', 'off'].includes(f.slice('--fsync='.length));
    else if (f === '-H' || f === '--require-hardlinks') o.requireHardlinks = true;
    else if (f === '-z' || f === '--force-copy-zerosized') o.forceCopyZerosized = true;
    else if (f === '-C' || f === '--force-copy') o.forceCopy = true;
    else if (f === '-M' || f === '--bareuseronly-dirs') o.bareuseronlyDirs = true;
    else throw new Error(`flag not mapped in tests: ${f}`);
  }
  return o;
}
