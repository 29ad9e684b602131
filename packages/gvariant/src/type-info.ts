/**
 * Alignment and fixed size of GVariant types (GVariant serialisation spec, "type information").
 * @module
 */

/** Codes of the basic (non-container) types. */
export type BasicCode = 'b' | 'y' | 'n' | 'q' | 'i' | 'u' | 'x' | 't' | 'h' | 'd' | 's' | 'o' | 'g';

/** Size/alignment pair; `fixedSize` 0 means variable-sized. */
export interface Layout {
  readonly alignment: 1 | 2 | 4 | 8;
  readonly fixedSize: number;
}

const BASIC: Record<BasicCode, Layout> = {
  b: { alignment: 1, fixedSize: 1 },
  y: { alignment: 1, fixedSize: 1 },
  n: { alignment: 2, fixedSize: 2 },
  q: { alignment: 2, fixedSize: 2 },
  i: { alignment: 4, fixedSize: 4 },
  u: { alignment: 4, fixedSize: 4 },
  h: { alignment: 4, fixedSize: 4 },
  x: { alignment: 8, fixedSize: 8 },
  t: { alignment: 8, fixedSize: 8 },
  d: { alignment: 8, fixedSize: 8 },
  s: { alignment: 1, fixedSize: 0 },
  o: { alignment: 1, fixedSize: 0 },
  g: { alignment: 1, fixedSize: 0 },
};

/**
 * Layout of a basic type.
 * @param code - one of `bynqiuxthdsog`
 * @returns its alignment and fixed size (0 for strings)
 * @example
 * ```ts
 * basicLayout('t'); // { alignment: 8, fixedSize: 8 }
 * ```
 */
export function basicLayout(code: BasicCode): Layout {
  return BASIC[code];
}

/** Variants are 8-aligned (the child may need it) and variable-sized. */
export const VARIANT_LAYOUT: Layout = { alignment: 8, fixedSize: 0 };

/**
 * Arrays and maybes take their element's alignment and are always variable-sized.
 * @param element - layout of the element type
 * @returns the container's layout
 * @example
 * ```ts
 * elementContainerLayout(basicLayout('u')); // { alignment: 4, fixedSize: 0 }
 * ```
 */
export function elementContainerLayout(element: Layout): Layout {
  return { alignment: element.alignment, fixedSize: 0 };
}

/**
 * Layout of a tuple or dict entry: the largest member alignment (1 for `()`); fixed-size only when
 * every member is, in which case the size is the laid-out members rounded up to the alignment,
 * and the unit tuple `()` occupies one byte.
 * @param members - member layouts in order
 * @returns the tuple's layout
 * @example
 * ```ts
 * tupleLayout([basicLayout('y'), basicLayout('t')]); // { alignment: 8, fixedSize: 16 }
 * ```
 */
export function tupleLayout(members: readonly Layout[]): Layout {
  let alignment: 1 | 2 | 4 | 8 = 1;
  let offset = 0;
  let fixed = true;
  for (const m of members) {
    if (m.alignment > alignment) alignment = m.alignment;
    if (m.fixedSize === 0) {
      fixed = false;
    } else if (fixed) {
      offset = alignUp(offset, m.alignment) + m.fixedSize;
    }
  }
  if (!fixed) return { alignment, fixedSize: 0 };
  if (members.length === 0) return { alignment, fixedSize: 1 };
  return { alignment, fixedSize: alignUp(offset, alignment) };
}

/**
 * Rounds `pos` up to a multiple of `alignment`. Safe for any non-negative safe integer (the
 * bitwise step only looks at the low three bits, which ToInt32 preserves).
 * @param pos - position
 * @param alignment - 1, 2, 4 or 8
 * @returns the next multiple of `alignment` at or after `pos`
 * @example
 * ```ts
 * alignUp(9, 8); // 16
 * ```
 */
export function alignUp(pos: number, alignment: number): number {
  return pos + ((-pos) & (alignment - 1));
}
