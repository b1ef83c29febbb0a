import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

// scrypt parameters: N=2^15, r=8, p=1 (OWASP's minimum recommendation for scrypt) with a
// 16-byte salt and a 32-byte key. They are stored with each hash so they can be raised later.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/**
 * Hashes computed at once. node's scrypt runs on libuv's thread pool (4 threads by default),
 * which file reads and DNS lookups share; a burst of logins would otherwise take every thread
 * for ~100 ms each and stall the rest of the process. Two leave the others free.
 */
export const MAX_CONCURRENT_HASHES = 2;

let running = 0;
let computed = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, so `running` only falls when none waits.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** How many scrypt hashes this process has computed: lets a test see that a refusal cost none. */
export function passwordHashesComputed(): number {
  return computed;
}

function scrypt(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return withHashSlot(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        computed += 1;
        scryptCb(password, salt, keyLength, options, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

/** Hashes a password as `scrypt$N$r$p$saltBase64$keyBase64`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Checks a password against a stored hash in constant time; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, "base64");
  const cost = Number(n);
  const blockSize = Number(r);
  const key = await scrypt(password, Buffer.from(saltB64, "base64"), expected.length, {
    N: cost,
    r: blockSize,
    p: Number(p),
    maxmem: 128 * cost * blockSize * 2,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
