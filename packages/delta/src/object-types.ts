/**
 * ostree's numeric object types (`OstreeObjectType`), as delta parts and fallbacks store them.
 * @module
 */
import { OBJECT_TYPES, type ObjectType } from '@ostree-ts/core';
import { invalidDelta } from './errors.js';

/** The byte ostree stores for an object type: file=1, dirtree=2, dirmeta=3, commit=4, … */
export function objectTypeByte(type: ObjectType): number {
  return OBJECT_TYPES.indexOf(type) + 1;
}

/**
 * The object type for a stored byte.
 * @throws {OstreeError} INVALID_DELTA for bytes outside 1…9
 */
export function objectTypeFromByte(byte: number): ObjectType {
  const type = OBJECT_TYPES[byte - 1];
  if (type === undefined || byte < 1) throw invalidDelta(`invalid object type ${byte}`);
  return type;
}
