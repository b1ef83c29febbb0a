const EMPTY = -1;

/**
 * Remembers where each key was first seen (its line or index), for finding duplicates in an
 * import of millions of rows. A `Map<string, number>` of a million ids costs ~60 MB of V8 heap
 * and makes the garbage collector let the heap grow several times that; this keeps ASCII keys
 * (external ids and emails are ASCII once valid) as bytes in one growing buffer, with an
 * open-addressing hash table of typed arrays: ~30 MB outside the heap for a million keys.
 * Comparisons are exact (the bytes are compared, not just hashes). Other keys (non-ASCII or
 * longer than 255 characters: invalid ids, which are being rejected anyway) go to a small Map.
 */
export class FirstSeenIndex {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private offsets = new Int32Array(1 << 10);
  private lengths = new Uint8Array(1 << 10);
  private refs = new Int32Array(1 << 10);
  private slots = new Int32Array(1 << 11).fill(EMPTY);
  private count = 0;
  private readonly others = new Map<string, number>();

  /** How many keys are stored. */
  get size(): number {
    return this.count + this.others.size;
  }

  /**
   * Registers `key` as first seen at `ref`, unless it was seen before.
   *
   * @returns the ref of the earlier occurrence, or undefined when the key is new (and now stored).
   */
  firstOrAdd(key: string, ref: number): number | undefined {
    const hash = asciiHash(key);
    if (hash === undefined) {
      const earlier = this.others.get(key);
      if (earlier === undefined) this.others.set(key, ref);
      return earlier;
    }
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]!; entry !== EMPTY; entry = this.slots[slot]!) {
      if (this.matches(entry, key)) return this.refs[entry];
      slot = (slot + 1) & mask;
    }
    this.store(key, ref, slot);
    return undefined;
  }

  private matches(entry: number, key: string): boolean {
    if (this.lengths[entry] !== key.length) return false;
    const offset = this.offsets[entry]!;
    for (let i = 0; i < key.length; i++) {
      if (this.bytes[offset + i] !== key.charCodeAt(i)) return false;
    }
    return true;
  }

  private store(key: string, ref: number, slot: number): void {
    if (this.used + key.length > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + key.length));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    if (this.count === this.offsets.length) {
      this.offsets = grow(this.offsets, new Int32Array(this.count * 2));
      this.lengths = grow(this.lengths, new Uint8Array(this.count * 2));
      this.refs = grow(this.refs, new Int32Array(this.count * 2));
    }
    const entry = this.count++;
    this.bytes.write(key, this.used, "latin1");
    this.offsets[entry] = this.used;
    this.lengths[entry] = key.length;
    this.refs[entry] = ref;
    this.used += key.length;
    this.slots[slot] = entry;
    // Keep the table at most half full, so that probe runs stay short.
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = hashBytes(this.bytes, this.offsets[entry]!, this.lengths[entry]!) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = entry;
    }
    this.slots = slots;
  }
}

function grow<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

// 32-bit FNV-1a (Fowler, Noll, Vo), over the character codes of an ASCII key.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of an ASCII key of at most 255 characters; undefined for any other key. */
function asciiHash(key: string): number | undefined {
  if (key.length > 255) return undefined;
  let hash = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code > 0x7f) return undefined;
    hash = Math.imul(hash ^ code, FNV_PRIME);
  }
  return hash >>> 0;
}

function hashBytes(bytes: Buffer, offset: number, length: number): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ bytes[offset + i]!, FNV_PRIME);
  return hash >>> 0;
}
