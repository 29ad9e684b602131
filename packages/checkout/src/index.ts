/**
 * Checking out OSTree commits into directory trees, hardlinked or copied: `ostree checkout`
 * with all of its modes (user mode, union, union-add, union-identical, whiteouts, subpaths,
 * single files, forced copies, required hardlinks), from every repository mode, plus the
 * (device, inode) cache that lets a later commit of the checkout skip unchanged files.
 * @module
 */
export { checkout, type CheckoutResult, type CheckoutStats } from './checkout.js';
export {
  resolveCheckoutOptions,
  type CheckoutOptions,
  type CheckoutFilter,
  type CheckoutFilterResult,
  type OverwriteMode,
  type ResolvedOptions,
} from './options.js';
export { DevinoCache, devinoLookup, scanHardlinks, type DevinoEntry } from './devino.js';
export { canReflink, canKernelCopy, REFLINK_UNSUPPORTED_CODES, type ReflinkFs, type KernelCopyFs } from './reflink.js';
export { subpathComponents } from './subpath.js';
