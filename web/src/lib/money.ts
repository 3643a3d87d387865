/**
 * Formats an integer amount of fen as yuan, e.g. 1250 → '¥12.50', -5 → '-¥0.05'.
 * Works on integers only (number or bigint) so no floating point touches money.
 */
export function formatMoney(fen: number | bigint): string {
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) {
    throw new RangeError(`formatMoney expects an integer number of fen, got ${fen}`);
  }
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

/**
 * Parses a yuan amount typed by a person ("30", "30.5", "¥1,000.05") into
 * integer fen without floating point; null when it is not a plain amount
 * with at most two decimals.
 */
export function parseYuan(input: string): number | null {
  const m = /^\s*¥?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  const fen = BigInt(m[1]!.replace(/,/g, '')) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return fen > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(fen);
}
