/**
 * An open-addressing hash table from a 64-bit key (two uint32 halves) to the
 * row number that first had it. In-file duplicate detection must remember
 * every phone and ID number seen; a `Map<string, number>` costs ~100 bytes an
 * entry, this costs 12 bytes a slot (≤ 24 per entry at the 0.5 load factor),
 * so a million-row file's dedupe state stays in tens of megabytes.
 */
export class KeyIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private val: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    const cap = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.val = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The row stored for the key, or -1. */
  get(hi: number, lo: number): number {
    let i = hash(hi, lo) & this.mask;
    const h = hi + 1;
    for (;;) {
      const sh = this.hi[i]!;
      if (sh === 0) return -1;
      if (sh === h && this.lo[i] === lo) return this.val[i]!;
      i = (i + 1) & this.mask;
    }
  }

  /**
   * The row stored for the key, or -1 after storing `row` for it. `hi` must
   * be below 2^32 - 1 (all-ones marks an empty slot).
   */
  getOrAdd(hi: number, lo: number, row: number): number {
    let i = hash(hi, lo) & this.mask;
    const h = hi + 1;
    for (;;) {
      const sh = this.hi[i]!;
      if (sh === 0) break;
      if (sh === h && this.lo[i] === lo) return this.val[i]!;
      i = (i + 1) & this.mask;
    }
    this.hi[i] = h;
    this.lo[i] = lo;
    this.val[i] = row;
    if (++this.count * 2 > this.mask) this.grow();
    return -1;
  }

  private grow(): void {
    const { hi, lo, val } = this;
    const cap = hi.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.val = new Int32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < hi.length; j++) {
      if (hi[j] === 0) continue;
      let i = hash(hi[j]! - 1, lo[j]!) & this.mask;
      while (this.hi[i] !== 0) i = (i + 1) & this.mask;
      this.hi[i] = hi[j]!;
      this.lo[i] = lo[j]!;
      this.val[i] = val[j]!;
    }
  }
}

function hash(hi: number, lo: number): number {
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(hi + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 13)) >>> 0;
}

/** A digit string of up to 18 digits as two exact halves (no collisions). */
export function digitKey(digits: string): [number, number] {
  const cut = digits.length - 9;
  return cut > 0 ? [+digits.slice(0, cut), +digits.slice(cut)] : [0, +digits];
}

/**
 * Two independent 32-bit hashes of a string. Used only where a rare
 * collision is harmless (the same-name-and-birth-date review flag): 64 bits
 * give ~3e-8 odds of any collision in a million keys.
 */
export function stringKey(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return [(a >>> 0) % 0xffffffff, b >>> 0];
}
