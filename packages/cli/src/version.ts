/**
 * `--version`: the YAML-ish block ostree prints. `Version` is the ostree release whose
 * command line ostree-ts follows; `Features` lists only what ostree-ts really provides, so
 * scripts probing for `- gpgme` or `- libcurl` see the truth.
 * @module
 */

/** ostree release whose CLI behaviour is reproduced. */
export const OSTREE_COMPAT_VERSION = '2022.7';
/** This package's version. */
export const OSTREE_TS_VERSION = '0.1.0';

/** The `--version` text. */
export function versionText(): string {
  return `libostree:\n Version: '${OSTREE_COMPAT_VERSION}'\n Implementation: ostree-ts ${OSTREE_TS_VERSION}\n Features:\n  - ostree-ts\n`;
}
