const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** A decimal number as CSV files write it: 12, -3.5, .5, 4., 1e-3 (no hex, no Infinity). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** 10^k for k ≤ 22: every one is an exact double, so m / 10^k is correctly rounded. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO_TO_53 = 2 ** 53;

/**
 * One data row of a CSV file as {@link readCsvFile} hands it over. A line without a double
 * quote (nearly every line of a machine-made file) stays as bytes and its fields are decoded
 * only when asked for, numbers straight from the bytes; a quoted record arrives as text. The
 * object is reused for the next row: keep values, not the object.
 */
export class CsvFields {
  /** Physical line (1-based, the header is line 1) where the row starts. */
  line = 0;
  /** Number of fields. */
  count = 0;
  /** The line holds bytes that are not valid UTF-8. */
  invalidUtf8 = false;
  private buf: Buffer | null = null;
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);
  private texts: string[] | null = null;
  /**
   * `buf` decoded one byte per character, so that string offsets are byte offsets: made once
   * per buffer when first needed, then fields are cut from it in JavaScript instead of one
   * native decode per field.
   */
  private latin1: string | null = null;
  private latin1Of: Buffer | null = null;

  /** @internal Points the view at `buf[start, end)`, a line without quotes. */
  setBytes(buf: Buffer, start: number, end: number, line: number, invalidUtf8: boolean): void {
    this.buf = buf;
    this.texts = null;
    this.line = line;
    this.invalidUtf8 = invalidUtf8;
    let count = 0;
    let from = start;
    for (;;) {
      let comma = buf.indexOf(COMMA, from);
      if (comma === -1 || comma > end) comma = end;
      if (count === this.starts.length) this.grow();
      this.starts[count] = from;
      this.ends[count] = comma;
      count++;
      if (comma === end) break;
      from = comma + 1;
    }
    this.count = count;
  }

  /** @internal Points the view at fields already decoded (a quoted record). */
  setTexts(fields: string[], line: number, invalidUtf8: boolean): void {
    this.buf = null;
    this.texts = fields;
    this.line = line;
    this.invalidUtf8 = invalidUtf8;
    this.count = fields.length;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  /** Field k as text, exactly as in the file (no trimming). */
  text(k: number): string {
    if (this.texts !== null) return this.texts[k] ?? "";
    if (k >= this.count) return "";
    return this.buf!.toString("utf8", this.starts[k], this.ends[k]);
  }

  /** Field k with spaces and tabs at either end removed. */
  trimmed(k: number): string {
    if (this.texts !== null || k >= this.count) return this.text(k).replace(/^[ \t]+|[ \t]+$/g, "");
    const buf = this.buf!;
    let start = this.starts[k]!;
    let end = this.ends[k]!;
    while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
    while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
    // A short ASCII field is cut from the buffer's text; a longer one would be a slice that
    // keeps the whole buffer's text alive for as long as the value is kept.
    if (end - start > 12) return buf.toString("utf8", start, end);
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) return buf.toString("utf8", start, end);
    }
    return this.bytesAsText().substring(start, end);
  }

  /** The most bytes {@link copyTrimmed} can write for field k. */
  maxBytes(k: number): number {
    if (this.texts !== null || k >= this.count) return Buffer.byteLength(this.text(k));
    return this.ends[k]! - this.starts[k]!;
  }

  /**
   * Writes field k as UTF-8, spaces and tabs at either end removed (what {@link trimmed}
   * gives), into `target` at `offset`, which has room for {@link maxBytes}(k); returns the
   * number of bytes written. Keeps a field without making a string of it.
   */
  copyTrimmed(k: number, target: Buffer, offset: number): number {
    if (this.texts !== null || k >= this.count) return target.write(this.trimmed(k), offset);
    const buf = this.buf!;
    let start = this.starts[k]!;
    let end = this.ends[k]!;
    while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
    while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
    if (end - start > 32) return buf.copy(target, offset, start, end);
    for (let i = start; i < end; i++) target[offset + i - start] = buf[i]!;
    return end - start;
  }

  private bytesAsText(): string {
    if (this.latin1Of !== this.buf) {
      this.latin1 = this.buf!.toString("latin1");
      this.latin1Of = this.buf;
    }
    return this.latin1!;
  }

  /** True when every field is empty or blank (a blank line, or one of commas only). */
  blank(): boolean {
    if (this.texts !== null) return this.texts.every((text) => text.trim() === "");
    const buf = this.buf!;
    for (let i = this.starts[0]!, end = this.ends[this.count - 1]!; i < end; i++) {
      const c = buf[i];
      if (c !== SPACE && c !== TAB && c !== COMMA) return false;
    }
    return true;
  }

  /**
   * Field k as a decimal number (spaces and tabs around it allowed), or NaN when it is not
   * one. The result is the same double `Number()` gives for the text; short numbers are read
   * from the bytes without making a string.
   */
  number(k: number): number {
    if (this.texts !== null || k >= this.count) {
      const text = this.trimmed(k);
      return DECIMAL.test(text) ? Number(text) : Number.NaN;
    }
    const buf = this.buf!;
    let i = this.starts[k]!;
    let end = this.ends[k]!;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    while (end > i && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
    const first = i;
    let negative = false;
    if (buf[i] === PLUS || buf[i] === MINUS) {
      negative = buf[i] === MINUS;
      i++;
    }
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let c = buf[i]!;
    while (i < end && c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = buf[++i]!;
    }
    if (i < end && c === DOT) {
      c = buf[++i]!;
      while (i < end && c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        fraction++;
        c = buf[++i]!;
      }
    }
    if (digits === 0) return Number.NaN;
    if (i === end && digits <= 16 && mantissa < TWO_TO_53 && fraction <= 22) {
      // An exact integer (every step below 2^53 is exact) over an exact power of ten: one
      // correctly rounded division, the same double as Number() (Clinger's fast path).
      const value = fraction === 0 ? mantissa : mantissa / POWERS_OF_TEN[fraction]!;
      return negative ? -value : value;
    }
    if (i < end && (c === LOWER_E || c === UPPER_E)) {
      c = buf[++i]!;
      if (i < end && (c === PLUS || c === MINUS)) c = buf[++i]!;
      const exponentStart = i;
      while (i < end && c >= ZERO && c <= NINE) c = buf[++i]!;
      if (i === exponentStart) return Number.NaN;
    }
    if (i !== end) return Number.NaN;
    // Long mantissas and exponents: the grammar is checked (ASCII only), the engine rounds.
    return Number(this.bytesAsText().substring(first, end));
  }
}
