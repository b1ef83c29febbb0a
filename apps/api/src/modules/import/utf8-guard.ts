import { isUtf8 } from "node:buffer";
import { Transform, type TransformCallback } from "node:stream";

const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Sits between a file and the CSV parser: drops a leading UTF-8 byte order mark, passes every
 * other byte through unchanged, and notes the physical lines (1-based, counted by LF as an
 * editor shows them) that contain bytes which are not valid UTF-8. The parser decodes invalid
 * bytes to U+FFFD like any decoder; this record of where they were is what lets the import
 * reject exactly those rows, while a genuine U+FFFD in the text stays a valid character.
 *
 * Validation uses the native `buffer.isUtf8` on whole chunks; only a chunk that fails is
 * walked byte by byte to find the offending lines.
 */
export class Utf8Guard extends Transform {
  /** Lines containing invalid UTF-8, ascending, each once. */
  readonly invalidLines: number[] = [];
  private linesBefore = 0;
  private carry: Buffer = Buffer.alloc(0);
  private bomChecked = false;
  private head: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let data = chunk;
    if (!this.bomChecked) {
      // The BOM may in theory straddle chunks: wait for three bytes.
      this.head = Buffer.concat([this.head, data]);
      if (this.head.length < 3) return done();
      this.bomChecked = true;
      data = this.head;
      if (data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2]) data = data.subarray(3);
      this.head = Buffer.alloc(0);
    }
    this.inspect(data, false);
    done(null, data);
  }

  override _flush(done: TransformCallback): void {
    if (!this.bomChecked && this.head.length > 0) {
      this.inspect(this.head, true);
      this.push(this.head);
    } else {
      this.inspect(Buffer.alloc(0), true);
    }
    done();
  }

  private inspect(data: Buffer, end: boolean): void {
    const whole = this.carry.length > 0 ? Buffer.concat([this.carry, data]) : data;
    // Keep an incomplete sequence at the end for the next chunk, unless the input ends here.
    const cut = end ? whole.length : completeLength(whole);
    const part = whole.subarray(0, cut);
    if (!isUtf8(part)) this.markInvalid(part);
    this.linesBefore += countLf(part);
    this.carry = Buffer.from(whole.subarray(cut));
  }

  private markInvalid(part: Buffer): void {
    let line = this.linesBefore + 1;
    let lineStart = 0;
    for (const offset of invalidOffsets(part)) {
      line += countLf(part.subarray(lineStart, offset));
      lineStart = offset;
      if (this.invalidLines[this.invalidLines.length - 1] !== line) this.invalidLines.push(line);
    }
  }
}

function countLf(buf: Buffer): number {
  let count = 0;
  let at = buf.indexOf(LF);
  while (at !== -1) {
    count++;
    at = buf.indexOf(LF, at + 1);
  }
  return count;
}

/** Length of the prefix of `buf` that does not end inside a multi-byte sequence. */
function completeLength(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const byte = buf[buf.length - back]!;
    if (byte < 0x80) return buf.length; // ASCII: nothing pending
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return need > back ? buf.length - back : buf.length;
    }
    // a continuation byte: keep looking for its lead byte
  }
  return buf.length;
}

/** For a lead byte: how many continuation bytes follow and the range of the first one. */
function leadByte(b: number): { need: number; lo: number; hi: number } | null {
  if (b >= 0xc2 && b <= 0xdf) return { need: 1, lo: 0x80, hi: 0xbf };
  if (b === 0xe0) return { need: 2, lo: 0xa0, hi: 0xbf }; // no overlong forms
  if (b === 0xed) return { need: 2, lo: 0x80, hi: 0x9f }; // no surrogates
  if (b >= 0xe1 && b <= 0xef) return { need: 2, lo: 0x80, hi: 0xbf };
  if (b === 0xf0) return { need: 3, lo: 0x90, hi: 0xbf }; // no overlong forms
  if (b >= 0xf1 && b <= 0xf3) return { need: 3, lo: 0x80, hi: 0xbf };
  if (b === 0xf4) return { need: 3, lo: 0x80, hi: 0x8f }; // nothing above U+10FFFF
  return null;
}

/**
 * Offsets of bytes where an invalid sequence starts, following the UTF-8 definition of
 * RFC 3629 (no overlong forms, no surrogates, nothing above U+10FFFF).
 */
export function* invalidOffsets(buf: Uint8Array): Generator<number> {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const lead = leadByte(b);
    let ok = lead !== null;
    for (let k = 1; ok && k <= lead!.need; k++) {
      const c = buf[i + k];
      const min = k === 1 ? lead!.lo : 0x80;
      const max = k === 1 ? lead!.hi : 0xbf;
      if (c === undefined || c < min || c > max) ok = false;
    }
    if (ok) {
      i += lead!.need + 1;
    } else {
      yield i;
      i++;
    }
  }
}
