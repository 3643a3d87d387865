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
