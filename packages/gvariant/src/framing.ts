/**
 * Framing offsets: the little-endian end positions GVariant appends to variable-sized arrays and
 * tuples. Their width is always little-endian, even when numbers are byteswapped.
 * @module
 */

/**
 * Width of framing offsets as a reader derives it from the container's total size:
 * 0 for an empty container, else the smallest of 1, 2, 4, 8 bytes whose range holds `size`.
 *
 * @param size - total container size in bytes
 * @returns 0, 1, 2, 4 or 8
 * @example
 * ```ts
 * offsetWidthForSize(255); // 1
 * offsetWidthForSize(256); // 2
 * ```
 */
export function offsetWidthForSize(size: number): 0 | 1 | 2 | 4 | 8 {
  if (size === 0) return 0;
  if (size <= 0xff) return 1;
  if (size <= 0xffff) return 2;
  if (size <= 0xffffffff) return 4;
  return 8;
}

// Test hook: real 8-byte offsets need a container over 4 GiB, which a test cannot allocate.
let widthRuleOverride: ((size: number) => number) | undefined;

/**
 * The offset width the decoder uses for a container of `size` bytes: {@link offsetWidthForSize},
 * unless a test replaced the rule.
 * @param size - total container size in bytes
 * @returns 0, 1, 2, 4 or 8
 * @example
 * ```ts
 * readerOffsetWidth(300); // 2
 * ```
 */
export function readerOffsetWidth(size: number): number {
  return widthRuleOverride === undefined ? offsetWidthForSize(size) : widthRuleOverride(size);
}

/**
 * @internal Replaces the decoder's width rule (undefined restores GLib's), so tests can decode
 * crafted small containers with 8-byte framing offsets. Never exported from the package.
 * @param rule - size to width, or undefined
 * @example
 * ```ts
 * setReaderOffsetWidthRuleForTesting(() => 8); // …test…; then pass undefined
 * ```
 */
export function setReaderOffsetWidthRuleForTesting(rule: ((size: number) => number) | undefined): void {
  widthRuleOverride = rule;
}

/**
 * Width a writer must use for `count` offsets after `bodySize` bytes of content: the smallest
 * width for which the whole container (body plus offsets) still fits that width's range. This is
 * decided only after the body is complete, and it agrees with {@link offsetWidthForSize} of the
 * resulting total.
 *
 * @param bodySize - bytes before the offset table
 * @param count - number of offsets
 * @returns 1, 2, 4 or 8
 * @example
 * ```ts
 * framingWidth(254, 1); // 1  (total 255)
 * framingWidth(255, 1); // 2  (total 257: 256 would not fit one byte)
 * ```
 */
export function framingWidth(bodySize: number, count: number): 1 | 2 | 4 | 8 {
  if (bodySize + count <= 0xff) return 1;
  if (bodySize + 2 * count <= 0xffff) return 2;
  if (bodySize + 4 * count <= 0xffffffff) return 4;
  return 8;
}

/**
 * Total container size for `count` offsets after `bodySize` bytes (GLib's normal-form size).
 * @param bodySize - bytes before the offset table
 * @param count - number of offsets
 * @returns bodySize + count × width
 * @example
 * ```ts
 * framedSize(5, 2); // 7
 * ```
 */
export function framedSize(bodySize: number, count: number): number {
  return bodySize + count * framingWidth(bodySize, count);
}

/** Returned for 8-byte offsets that cannot be a position in any JS byte array. */
const TOO_LARGE = Number.MAX_SAFE_INTEGER;

/**
 * Reads a little-endian unsigned offset of `width` bytes at `pos` (caller checks bounds).
 * 8-byte values beyond 2^53 − 1 are clamped to `Number.MAX_SAFE_INTEGER`, which is out of range
 * for any real container, so they are rejected by the caller's range checks instead of losing
 * precision.
 *
 * @param u8 - bytes
 * @param pos - index of the first byte
 * @param width - 0, 1, 2, 4 or 8 (0 reads as 0, as GLib does for empty containers)
 * @returns the offset
 * @example
 * ```ts
 * readOffset(Uint8Array.of(0x34, 0x12), 0, 2); // 0x1234
 * ```
 */
export function readOffset(u8: Uint8Array, pos: number, width: number): number {
  switch (width) {
    case 1:
      return u8[pos]!;
    case 2:
      return u8[pos]! | (u8[pos + 1]! << 8);
    case 4:
      return (u8[pos]! | (u8[pos + 1]! << 8) | (u8[pos + 2]! << 16) | (u8[pos + 3]! << 24)) >>> 0;
    case 8: {
      const lo = (u8[pos]! | (u8[pos + 1]! << 8) | (u8[pos + 2]! << 16) | (u8[pos + 3]! << 24)) >>> 0;
      const hi = (u8[pos + 4]! | (u8[pos + 5]! << 8) | (u8[pos + 6]! << 16) | (u8[pos + 7]! << 24)) >>> 0;
      return hi >= 0x200000 ? TOO_LARGE : hi * 0x100000000 + lo;
    }
    default:
      return 0;
  }
}

/**
 * Writes `value` as a little-endian unsigned offset of `width` bytes at `pos`.
 * @param u8 - destination (caller ensures room)
 * @param pos - index of the first byte
 * @param value - non-negative safe integer that fits `width`
 * @param width - 1, 2, 4 or 8
 * @example
 * ```ts
 * writeOffset(out, 10, 257, 2); // 01 01
 * ```
 */
export function writeOffset(u8: Uint8Array, pos: number, value: number, width: number): void {
  switch (width) {
    case 1:
      u8[pos] = value;
      return;
    case 2:
      u8[pos] = value;
      u8[pos + 1] = value >>> 8;
      return;
    case 4:
      u8[pos] = value;
      u8[pos + 1] = value >>> 8;
      u8[pos + 2] = value >>> 16;
      u8[pos + 3] = value >>> 24;
      return;
    default: {
      const hi = Math.floor(value / 0x100000000);
      writeOffset(u8, pos, value >>> 0, 4);
      writeOffset(u8, pos + 4, hi, 4);
    }
  }
}
