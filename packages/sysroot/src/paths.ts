/**
 * Where things live in a sysroot (spec §7.1), as functions of the sysroot path.
 * @module
 */

/** Joins POSIX path segments with single slashes. */
export function join(...parts: string[]): string {
  return parts
    .filter((p) => p.length > 0)
    .join('/')
    .replace(/\/{2,}/g, '/');
}

/** A deployment's identity: stateroot, commit and serial. */
export interface DeploymentId {
  readonly osname: string;
  readonly csum: string;
  readonly deployserial: number;
}

/** `CHECKSUM.SERIAL`, the deployment directory's name. */
export function deploymentName(d: DeploymentId): string {
  return `${d.csum}.${d.deployserial}`;
}

/** `ostree/deploy/OS/deploy/CHECKSUM.SERIAL`, relative to the sysroot. */
export function deploymentRelPath(d: DeploymentId): string {
  return `ostree/deploy/${d.osname}/deploy/${deploymentName(d)}`;
}

/** `ostree/deploy/OS/deploy/CHECKSUM.SERIAL.origin`, relative to the sysroot. */
export function originRelPath(d: DeploymentId): string {
  return `${deploymentRelPath(d)}.origin`;
}

/** Parses a deployment directory name (`^([0-9a-f]+)\.([0-9]+)$`), or undefined. */
export function parseDeploymentName(name: string): { csum: string; deployserial: number } | undefined {
  const m = /^([0-9a-f]+)\.([0-9]+)$/.exec(name);
  return m === null ? undefined : { csum: m[1]!, deployserial: Number.parseInt(m[2]!, 10) };
}

/** Parses the `ostree=` kernel argument (`/ostree/boot.B/OS/BOOTCSUM/SERIAL`), or undefined. */
export function parseOstreeKarg(value: string): { bootversion: number; osname: string; bootcsum: string; bootserial: number } | undefined {
  const m = /^\/ostree\/boot\.([01])\/([^/]+)\/([^/]+)\/([0-9]+)$/.exec(value);
  if (m === null) return undefined;
  return { bootversion: Number(m[1]), osname: m[2]!, bootcsum: m[3]!, bootserial: Number.parseInt(m[4]!, 10) };
}

/** The lock file ostree takes while changing a sysroot. */
export const SYSROOT_LOCK = 'ostree/lock';
