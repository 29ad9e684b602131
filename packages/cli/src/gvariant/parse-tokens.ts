/**
 * The lexical layer of the GVariant text parser: GLib's tokenizer (token boundaries, keyword
 * and number detection) and its `START-END:message` errors.
 * @module
 */
/** A parse failure; the message is GLib's (`0-2:unable to infer type`). */
export class VariantParseError extends Error {}

/** A byte range of the input, as GLib reports positions. */
export interface SourceRef {
  start: number;
  end: number;
}

/** C-locale character classes (g_ascii_is*). */
export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);
}
export function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}
export function isAlpha(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}
export function isAlnum(c: number | undefined): boolean {
  return isAlpha(c) || isDigit(c);
}
export function isXdigit(c: number | undefined): boolean {
  return isDigit(c) || (c !== undefined && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)));
}

/** Throws GLib's `START-END:message` (or `POS:message`) error. */
export function fail(ref: SourceRef, message: string, other?: SourceRef): never {
  let where = ref.start === ref.end ? `${ref.start}` : `${ref.start}-${ref.end}`;
  if (other !== undefined) where += `,${other.start}-${other.end}`;
  throw new VariantParseError(`${where}:${message}`);
}

/** Decodes ASCII token text. */
export const ascii = new TextDecoder('latin1');

/** GLib's token stream: one prepared token at a time over the UTF-8 input. */
export class TokenStream {
  /** Start of the current token, or -1 when none is prepared. */
  private thisPos = -1;
  /** End of the prepared token (or the read position when none is). */
  pos = 0;

  constructor(readonly text: Uint8Array) {}

  private at(i: number): number | undefined {
    return i < this.text.length ? this.text[i] : undefined;
  }

  get thisStart(): number {
    return this.thisPos;
  }

  /** Prepares the next token; false at the end of input. */
  prepare(): boolean {
    if (this.thisPos >= 0) return this.thisPos < this.pos;
    let p = this.pos;
    while (p < this.text.length && isSpace(this.text[p])) p++;
    this.pos = p;
    if (p >= this.text.length || this.text[p] === 0) {
      this.thisPos = p;
      return false;
    }
    const c = this.text[p]!;
    let end: number;
    if (c === 0x2d || c === 0x2b || c === 0x2e || isDigit(c)) {
      for (end = p; end < this.text.length; end++) {
        const d = this.text[end];
        if (!isAlnum(d) && d !== 0x2d && d !== 0x2b && d !== 0x2e) break;
      }
    } else if (c === 0x62 && (this.at(p + 1) === 0x27 || this.at(p + 1) === 0x22)) {
      end = this.quotedEnd(p + 2, this.text[p + 1]!);
    } else if (c >= 0x61 && c <= 0x7a) {
      for (end = p; end < this.text.length; end++) if (!isAlnum(this.text[end])) break;
    } else if (c === 0x27 || c === 0x22) {
      end = this.quotedEnd(p + 1, c);
    } else if (c === 0x40 || c === 0x25) {
      let brackets = 0;
      for (end = p + 1; end < this.text.length; end++) {
        const d = this.text[end]!;
        if (d === 0 || d === 0x2c || d === 0x3a || d === 0x3e || d === 0x5d || isSpace(d)) break;
        if (d === 0x28 || d === 0x7b) brackets++;
        else if ((d === 0x29 || d === 0x7d) && !brackets--) break;
      }
    } else {
      end = p + 1;
    }
    this.thisPos = p;
    this.pos = end;
    return true;
  }

  // The end of a quoted token starting after its opening quote (GLib's scanning rule).
  private quotedEnd(from: number, quote: number): number {
    let end = from;
    for (; end < this.text.length; end++) {
      const d = this.text[end];
      if (d === quote || d === 0) break;
      if (d === 0x5c) {
        end++;
        if (end >= this.text.length || this.text[end] === 0) break;
      }
    }
    if (end < this.text.length && this.text[end] !== 0) end++;
    return end;
  }

  next(): void {
    this.thisPos = -1;
  }

  token(): Uint8Array {
    this.prepare();
    return this.text.subarray(this.thisPos, this.pos);
  }

  tokenText(): string {
    return ascii.decode(this.token());
  }

  peek(ch: string): boolean {
    return this.prepare() && this.text[this.thisPos] === ch.charCodeAt(0);
  }

  peek2(a: string, b: string): boolean {
    return this.prepare() && this.pos - this.thisPos >= 2 && this.text[this.thisPos] === a.charCodeAt(0) && this.text[this.thisPos + 1] === b.charCodeAt(0);
  }

  isKeyword(): boolean {
    return this.prepare() && this.pos - this.thisPos >= 2 && isAlpha(this.text[this.thisPos]) && isAlpha(this.text[this.thisPos + 1]);
  }

  isNumeric(): boolean {
    if (!this.prepare()) return false;
    const c = this.text[this.thisPos];
    return isDigit(c) || c === 0x2d || c === 0x2b || c === 0x2e;
  }

  peekString(s: string): boolean {
    return this.prepare() && this.tokenText() === s;
  }

  consume(s: string): boolean {
    if (!this.peekString(s)) return false;
    this.next();
    return true;
  }

  require(s: string, purpose: string): void {
    if (!this.consume(s)) this.error(false, `expected '${s}'${purpose}`);
  }

  error(thisToken: boolean, message: string): never {
    this.prepare();
    const start = this.thisPos;
    fail({ start, end: thisToken ? this.pos : start }, message);
  }
}

