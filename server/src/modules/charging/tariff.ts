/**
 * Tariff maths in integer units: money in fen, data in bytes, voice in
 * seconds, SMS as a count. Every record's charge is rounded up to the fen
 * (data) or to the started minute (voice), which is what the 详单 shows.
 */
export type UsageType = 'data' | 'voice' | 'sms';

export interface Tariff {
  dataFenPerGb: number;
  voiceFenPerMin: number;
  smsFenEach: number;
}

export const GB = 1024 ** 3;
export const MB = 1024 ** 2;

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** Price of `quantity` units beyond the allowance. */
export function overageCharge(type: UsageType, quantity: number, t: Tariff): number {
  if (quantity <= 0) return 0;
  switch (type) {
    case 'data':
      // bytes × fen/GB can pass 2^53 for big sessions: exact in BigInt.
      return Number(ceilDiv(BigInt(quantity) * BigInt(t.dataFenPerGb), BigInt(GB)));
    case 'voice':
      return Math.ceil(quantity / 60) * t.voiceFenPerMin;
    case 'sms':
      return quantity * t.smsFenEach;
  }
}

const rateOf = (type: UsageType, t: Tariff): number =>
  type === 'data' ? t.dataFenPerGb : type === 'voice' ? t.voiceFenPerMin : t.smsFenEach;

/** The most of `quantity` whose overage charge fits in `budget` fen. */
export function affordableQuantity(type: UsageType, quantity: number, budget: number, t: Tariff): number {
  const rate = rateOf(type, t);
  if (rate === 0) return quantity;
  if (budget <= 0) return 0;
  const q =
    type === 'data' ? Number((BigInt(budget) * BigInt(GB)) / BigInt(rate))
    : type === 'voice' ? Math.floor(budget / rate) * 60
    : Math.floor(budget / rate);
  return Math.min(quantity, q);
}
