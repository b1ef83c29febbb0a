// SHA-256 (FIPS 180-4), in plain TypeScript because the domain package uses no Node API.
// Used for stable group assignment, not for secrets.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Bytes(text: string): Uint8Array {
  if (isAscii(text)) {
    const ascii = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) ascii[i] = text.charCodeAt(i);
    return ascii;
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else {
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
  }
  return Uint8Array.from(out);
}

// Work buffers reused across calls (the function is synchronous, so no call can interleave):
// hashing 100,000 short keys for an assignment then allocates nothing per key.
const W = new Uint32Array(64);
const H = new Uint32Array(8);
let block = new Uint8Array(128);

/**
 * SHA-256 digest of bytes.
 *
 * @param message the bytes.
 * @returns the eight 32-bit words of the digest (big-endian order of the standard), a new array.
 * @example
 * sha256Hex(utf8Bytes("abc")); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export function sha256(message: Uint8Array): Uint32Array {
  const length = message.length;
  const padded = ((length + 9 + 63) >> 6) << 6;
  if (block.length < padded) block = new Uint8Array(padded);
  const buf = block;
  buf.set(message);
  padAndCompress(buf, length, padded);
  return Uint32Array.from(H);
}

/** Appends the 0x80 byte, zeros and the 64-bit bit length (FIPS 180-4 §5.1.1), then hashes. */
function padAndCompress(buf: Uint8Array, length: number, padded: number): void {
  buf[length] = 0x80;
  buf.fill(0, length + 1, padded);
  const bitLength = length * 8;
  const high = Math.floor(bitLength / 0x100000000);
  const low = bitLength >>> 0;
  buf[padded - 8] = high >>> 24;
  buf[padded - 7] = (high >>> 16) & 255;
  buf[padded - 6] = (high >>> 8) & 255;
  buf[padded - 5] = high & 255;
  buf[padded - 4] = low >>> 24;
  buf[padded - 3] = (low >>> 16) & 255;
  buf[padded - 2] = (low >>> 8) & 255;
  buf[padded - 1] = low & 255;
  compress(buf, padded);
}

function compress(buf: Uint8Array, padded: number): void {
  const h = H;
  h[0] = 0x6a09e667;
  h[1] = 0xbb67ae85;
  h[2] = 0x3c6ef372;
  h[3] = 0xa54ff53a;
  h[4] = 0x510e527f;
  h[5] = 0x9b05688c;
  h[6] = 0x1f83d9ab;
  h[7] = 0x5be0cd19;
  const w = W;
  for (let offset = 0; offset < padded; offset += 64) {
    for (let t = 0; t < 16; t++) {
      const i = offset + t * 4;
      w[t] = (buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15]!;
      const b = w[t - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a: number = h[0]!;
    let b: number = h[1]!;
    let c: number = h[2]!;
    let d: number = h[3]!;
    let e: number = h[4]!;
    let f: number = h[5]!;
    let g: number = h[6]!;
    let hh: number = h[7]!;
    for (let t = 0; t < 64; t++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + s1 + ch + K[t]! + w[t]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = h[0]! + a;
    h[1] = h[1]! + b;
    h[2] = h[2]! + c;
    h[3] = h[3]! + d;
    h[4] = h[4]! + e;
    h[5] = h[5]! + f;
    h[6] = h[6]! + g;
    h[7] = h[7]! + hh;
  }
}

/**
 * The first 52 bits of the SHA-256 of a string's UTF-8 bytes, as a number in [0, 1). ASCII text
 * is written straight into the work buffer, so this allocates nothing for the usual keys.
 *
 * @param text any string.
 * @returns (first 52 bits of the digest) / 2^52.
 */
export function sha256Unit(text: string): number {
  if (!isAscii(text)) {
    sha256(utf8Bytes(text));
  } else {
    const length = text.length;
    const padded = ((length + 9 + 63) >> 6) << 6;
    if (block.length < padded) block = new Uint8Array(padded);
    const buf = block;
    for (let i = 0; i < length; i++) buf[i] = text.charCodeAt(i);
    padAndCompress(buf, length, padded);
  }
  // 32 bits from the first word and 20 from the second: 52 bits, exact in a double.
  return (H[0]! * 2 ** 20 + (H[1]! >>> 12)) / 2 ** 52;
}

/** The digest as 64 lower-case hex digits. */
export function sha256Hex(message: Uint8Array): string {
  return Array.from(sha256(message), (word) => word.toString(16).padStart(8, "0")).join("");
}
