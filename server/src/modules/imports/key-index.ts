/**
 * An open-addressing hash table from a 64-bit key (two uint32 halves) to the
 * row number that first had it. In-file duplicate detection must remember
 * every phone and ID number seen; a `Map<string, number>` costs ~100 bytes an
 * entry, this costs 12 bytes a slot (≤ 24 per entry at the 0.5 load factor),
 * so a million-row file's dedupe state stays in tens of megabytes.
 */
export class KeyIndex {
  // Slots interleaved as [hi + 1, lo, row]: one probe touches one cache line.
  // Tables of a million keys are far larger than the CPU caches, so separate
  // arrays would cost three cache misses a probe.
  private t: Uint32Array;
  private mask: number;
  private count = 0;
  private last = -1;

  constructor(initialCapacity = 1 << 12) {
    const cap = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.t = new Uint32Array(cap * 3);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The row stored for the key, or -1. */
  get(hi: number, lo: number): number {
    const t = this.t;
    const h = hi + 1;
    for (let i = hash(hi, lo) & this.mask; ; i = (i + 1) & this.mask) {
      const j = i * 3;
      const sh = t[j]!;
      if (sh === 0) return -1;
      if (sh === h && t[j + 1] === lo) return t[j + 2]!;
    }
  }

  /**
   * The row stored for the key, or -1 after storing `row` for it. `hi` must
   * be below 2^32 - 1 (0 marks an empty slot, so `hi + 1` is stored).
   */
  getOrAdd(hi: number, lo: number, row: number): number {
    const t = this.t;
    const h = hi + 1;
    let i = hash(hi, lo) & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const j = i * 3;
      const sh = t[j]!;
      if (sh === 0) break;
      if (sh === h && t[j + 1] === lo) {
        this.last = j;
        return t[j + 2]!;
      }
    }
    const j = i * 3;
    t[j] = h;
    t[j + 1] = lo;
    t[j + 2] = row;
    this.last = j;
    if (++this.count * 2 > this.mask) this.grow();
    return -1;
  }

  /** Overwrites the row of the key last found or added by `getOrAdd`. */
  setLastRow(row: number): void {
    if (this.last >= 0) this.t[this.last + 2] = row;
  }

  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    this.t = new Uint32Array(cap * 3);
    this.mask = cap - 1;
    this.last = -1;
    const t = this.t;
    for (let k = 0; k < old.length; k += 3) {
      if (old[k] === 0) continue;
      let i = hash(old[k]! - 1, old[k + 1]!) & this.mask;
      while (t[i * 3] !== 0) i = (i + 1) & this.mask;
      t[i * 3] = old[k]!;
      t[i * 3 + 1] = old[k + 1]!;
      t[i * 3 + 2] = old[k + 2]!;
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
  /** The row that first had the first `len` digits of `s`, or -1 after recording `row` for them. */
  firstOrAdd(s: string, len: number, row: number): number {
    digitKey(s, len);
    return this.getOrAdd(KH, KL, row);
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
