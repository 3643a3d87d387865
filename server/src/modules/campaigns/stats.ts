/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

/**
 * Uplift of treated over control conversion, in percentage points, with a
 * 95% Wald interval for the difference of two proportions. With an empty
 * arm there is nothing to compare: the interval is the whole range.
 */
export function uplift(t: { n: number; converted: number }, c: { n: number; converted: number }) {
  if (!t.n || !c.n) return { pp: 0, low: -100, high: 100, significant: false };
  const pt = t.converted / t.n;
  const pc = c.converted / c.n;
  const se = Math.sqrt((pt * (1 - pt)) / t.n + (pc * (1 - pc)) / c.n);
  const diff = pt - pc;
  const r = (x: number) => Math.round(x * 100_000) / 1000;
  const low = diff - Z95 * se;
  const high = diff + Z95 * se;
  return { pp: r(diff), low: r(low), high: r(high), significant: low > 0 || high < 0 };
}

/** Pearson chi-square statistic of observed counts against expected proportions. */
export function chiSquare(observed: number[], expectedShare: number[]): number {
  const n = observed.reduce((s, x) => s + x, 0);
  return observed.reduce((s, o, i) => {
    const e = n * expectedShare[i]!;
    return s + (o - e) ** 2 / e;
  }, 0);
}
