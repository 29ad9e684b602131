/**
 * A deployment: one checked-out commit of a stateroot, with the boot configuration that
 * points at it (spec §7.3, §7.5).
 * @module
 */
import type { BlsEntry } from '@ostree-ts/bootloader';
import type { KeyFile } from '@ostree-ts/keyfile';
import type { DeploymentId } from './paths.js';

/** How a deployment is unlocked (`ostree admin unlock`); ostree-ts only reads it. */
export type UnlockedState = 'none' | 'hotfix' | 'transient' | 'development';

/** One deployment, as loaded from the current boot configuration or newly made. */
export interface Deployment extends DeploymentId {
  /** SHA-256 of the kernel, initramfs and devicetrees (names `/boot/ostree/OS-BOOTCSUM/`). */
  readonly bootcsum: string;
  /** Index among deployments sharing {@link bootcsum} (the last part of `ostree=`). */
  readonly bootserial: number;
  /** Position in the deployment list (0 = default). */
  readonly index: number;
  /** The `.origin` keyfile (undefined if the file is missing). */
  readonly origin: KeyFile | undefined;
  /** Kernel arguments (the BLS `options`), undefined when none were set. */
  readonly options: string | undefined;
  /** Overlay initramfs checksums (`/boot/ostree/initramfs-overlays/CSUM.img`). */
  readonly overlayInitrds: readonly string[];
  /** The BLS entry it was loaded from, if any. */
  readonly bootconfig?: BlsEntry;
  readonly unlocked: UnlockedState;
}

/** Same stateroot, commit and serial (ostree_deployment_equal). */
export function sameDeployment(a: DeploymentId | undefined, b: DeploymentId | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.osname === b.osname && a.csum === b.csum && a.deployserial === b.deployserial;
}

/** True if the origin has `[libostree-transient] pinned=true`. */
export function isPinned(d: Deployment): boolean {
  if (d.origin === undefined || !d.origin.hasKey('libostree-transient', 'pinned')) return false;
  try {
    return d.origin.getBoolean('libostree-transient', 'pinned');
  } catch {
    return false;
  }
}

/** The origin's `[origin] refspec`, or undefined. */
export function originRefspec(d: Deployment): string | undefined {
  if (d.origin === undefined || !d.origin.hasKey('origin', 'refspec')) return undefined;
  return d.origin.getString('origin', 'refspec');
}
