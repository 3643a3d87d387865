import { parseMoneyFen } from './dates-money.js';
import { resolveMapping } from './mapping.js';
import { Fail, normaliseText } from './normalise.js';
import { newStepCounts, type ImportMapping, type RawRow } from './imports.types.js';

/**
 * Streaming median of integer values with bounded memory: a histogram of
 * value → count. While it holds at most `maxBins` distinct values the median
 * is exact; past that, values are coarsened to buckets 10× wider (and again,
 * as needed), so memory stays at `maxBins` entries and the median is exact
 * to within the bucket width (reported by `resolution`). Money columns have
 * few distinct prices, so in practice it stays exact.
 */
export class MedianHistogram {
  private bins = new Map<number, number>();
  private width = 1;
  private n = 0;

  constructor(private readonly maxBins = 65_536) {}

  add(v: number): void {
    const b = Math.floor(v / this.width);
    this.bins.set(b, (this.bins.get(b) ?? 0) + 1);
    this.n++;
    if (this.bins.size > this.maxBins) this.coarsen();
  }

  /** Value units one bucket spans: 1 while the median is exact. */
  get resolution(): number {
    return this.width;
  }

  /** The lower median (an actual value, so still integer fen), or null when empty. */
  median(): number | null {
    if (this.n === 0) return null;
    const keys = [...this.bins.keys()].sort((a, b) => a - b);
    const target = Math.floor((this.n - 1) / 2);
    let seen = 0;
    for (const k of keys) {
      seen += this.bins.get(k)!;
      if (seen > target) return k * this.width + Math.floor((this.width - 1) / 2);
    }
    return null;
  }

  private coarsen(): void {
    const old = this.bins;
    this.bins = new Map();
    this.width *= 10;
    for (const [k, c] of old) {
      const b = Math.floor(k / 10);
      this.bins.set(b, (this.bins.get(b) ?? 0) + c);
    }
  }
}

/**
 * The first pass for `median` rules: reads the money column of every batch
 * and returns its median in fen (null when no cell parses). Open the file
 * twice — once for this pass, once for cleaning; nothing is kept but the
 * histogram. Throws the errors of `resolveMapping`.
 */
export async function collectMedians(
  batches: AsyncIterable<RawRow[]>,
  mapping: ImportMapping,
  header: readonly string[],
): Promise<{ monthlyChargeFen: number | null }> {
  const idx = resolveMapping(mapping, header).fieldIndex.monthlyChargeFen;
  const h = new MedianHistogram();
  const scratch = newStepCounts();
  for await (const batch of batches) {
    if (idx < 0) continue;
    for (const r of batch) {
      const s = normaliseText(r.cells[idx] ?? '', scratch);
      if (s === '') continue;
      const v = parseMoneyFen(s, scratch);
      if (!(v instanceof Fail)) h.add(v);
    }
  }
  return { monthlyChargeFen: h.median() };
}
