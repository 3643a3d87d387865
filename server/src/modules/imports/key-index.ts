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

// Scratch output of the key encoders: no array is allocated per key.
let KH = 0;
let KL = 0;

/**
 * Encodes the first `len` (≤ 18) characters of a digit string as two exact
 * halves (no collisions); only digits are expected.
 */
function digitKey(s: string, len: number): void {
  const cut = len - 9;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < cut; i++) hi = hi * 10 + (s.charCodeAt(i) - 48);
  for (let i = cut < 0 ? 0 : cut; i < len; i++) lo = lo * 10 + (s.charCodeAt(i) - 48);
  KH = hi;
  KL = lo;
}

/**
 * Two independent 32-bit hashes of `a` + separator + `b`. Used only where a
 * rare collision is harmless (the same-name-and-birth-date review flag):
 * 64 bits give ~3e-8 odds of any collision in a million keys.
 */
function pairKey(a: string, b: string): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ a.length;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  h1 = Math.imul(h1 ^ 0xffff, 0x01000193);
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  KH = (h1 >>> 0) % 0xffffffff;
  KL = h2 >>> 0;
}

/** A {@link KeyIndex} keyed by digit strings (phones, ID numbers' first 17). */
export class DigitIndex extends KeyIndex {
  /** The row that first had the first `len` digits of `s`, or -1. */
  find(s: string, len: number): number {
    digitKey(s, len);
    return this.get(KH, KL);
  }
  add(s: string, len: number, row: number): void {
    digitKey(s, len);
    this.getOrAdd(KH, KL, row);
  }
}

/** A {@link KeyIndex} keyed by a hash of two strings; see `pairKey` on collisions. */
export class PairIndex extends KeyIndex {
  /** The row that first had (a, b), or -1 after recording `row` for it. */
  firstOrAdd(a: string, b: string, row: number): number {
    pairKey(a, b);
    return this.getOrAdd(KH, KL, row);
  }
}
