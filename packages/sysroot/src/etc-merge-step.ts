/**
 * The default `/etc` merge step of a deployment: {@link mergeEtc} from the merge deployment's
 * `usr/etc` → `etc` changes into the new deployment's `etc`, logging ostree's summary line.
 * @module
 */
import type { EtcMergeStep } from './deploy-tree.js';
import { etcMergeSummary, mergeEtc } from './etc-merge.js';
import { join } from './paths.js';

/** Applies the merge deployment's local `/etc` changes to the new deployment (spec §7.9). */
export const defaultEtcMerge: EtcMergeStep = async (fs, mergeRoot, newRoot, log) => {
  const result = await mergeEtc(fs, { origDefaults: join(mergeRoot, 'usr/etc'), modifiedEtc: join(mergeRoot, 'etc'), target: join(newRoot, 'etc') });
  log(etcMergeSummary(result));
};
