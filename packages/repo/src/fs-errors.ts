/**
 * Turns filesystem errors into OstreeErrors where the repo layer knows what they mean, and
 * keeps everything else as IO_ERROR with the original error as `cause`.
 * @module
 */
import { OstreeError, type OstreeErrorCode } from '@ostree-ts/core';
import { hasErrorCode } from '@ostree-ts/io';

/** Runs `f`; a missing path becomes `code` with `message`, other fs failures IO_ERROR. */
export async function mapNotFound<T>(f: () => Promise<T>, code: OstreeErrorCode, message: string): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT') || hasErrorCode(e, 'ENOTDIR')) throw new OstreeError(code, message, { cause: e });
    throw e;
  }
}

/** Runs `f`, returning `undefined` when the path does not exist. */
export async function ifExists<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT')) return undefined;
    throw e;
  }
}
