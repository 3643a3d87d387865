import { affordableQuantity, overageCharge, type Tariff, type UsageType } from './tariff.js';

export interface Bucket {
  id: string;
  kind: UsageType;
  source: 'plan' | 'addon';
  total: number;
  used: number;
  startsAt: number;
  expiresAt: number;
}

export interface RatingLine {
  tariff: Tariff;
  /** money available, fen; may be negative down to -creditLimit */
  balance: number;
  creditLimit: number;
  buckets: Bucket[];
}

export interface UsageEvent {
  id: string;
  type: UsageType;
  quantity: number;
  startedAt: number;
}

export interface Rated {
  id: string;
  fromAllowance: number;
  chargedQuantity: number;
  chargeFen: number;
  /** what could not be rated because the credit limit was reached */
  unratedQuantity: number;
}

/** Add-on buckets before plan buckets, then the earliest expiry first. */
export function bucketOrder(a: Bucket, b: Bucket): number {
  if (a.source !== b.source) return a.source === 'addon' ? -1 : 1;
  return a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Rate one event against a line, mutating the line's buckets and balance:
 * allowance first (see bucketOrder), then overage at the tariff, never
 * taking the balance below -creditLimit. What does not fit is left unrated,
 * and the caller suspends the line.
 */
export function rateEvent(line: RatingLine, e: UsageEvent): Rated {
  let need = e.quantity;
  let fromAllowance = 0;
  // The hot path of rating: usually one usable bucket, so no array unless there are more.
  let first: Bucket | undefined;
  let usable: Bucket[] | undefined;
  for (const b of line.buckets) {
    if (b.kind !== e.type || b.startsAt > e.startedAt || e.startedAt >= b.expiresAt || b.used >= b.total) continue;
    if (!first) first = b;
    else (usable ??= [first]).push(b);
  }
  for (const b of usable ? usable.sort(bucketOrder) : first ? [first] : []) {
    if (need === 0) break;
    const take = Math.min(need, b.total - b.used);
    b.used += take;
    need -= take;
    fromAllowance += take;
  }
  if (need === 0) return { id: e.id, fromAllowance, chargedQuantity: 0, chargeFen: 0, unratedQuantity: 0 };
  const budget = line.balance + line.creditLimit;
  const charged = affordableQuantity(e.type, need, budget, line.tariff);
  const chargeFen = overageCharge(e.type, charged, line.tariff);
  line.balance -= chargeFen;
  return { id: e.id, fromAllowance, chargedQuantity: charged, chargeFen, unratedQuantity: need - charged };
}

/** Time order, ties by id, so any split of a batch rates alike. */
export const eventOrder = (a: UsageEvent, b: UsageEvent): number => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Rate a line's events in time order (see eventOrder). */
export function rateLine(line: RatingLine, events: UsageEvent[]): Rated[] {
  const ordered = [...events].sort(eventOrder);
  return ordered.map((e) => rateEvent(line, e));
}
