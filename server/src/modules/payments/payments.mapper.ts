import type { Payment } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import { cny } from '../catalog/catalog.mapper.js';
import type { PaymentTable } from './payments.tables.js';

export type PaymentRow = Selectable<PaymentTable>;

export const toPayment = (r: PaymentRow & { msisdn: string }): Payment => ({
  id: r.id, lineId: r.line_id, msisdn: r.msisdn, provider: r.provider, method: r.method, origin: r.origin,
  amount: cny(r.amount_fen), refunded: cny(r.refunded_fen), status: r.status,
  createdAt: r.created_at.toISOString(), expiresAt: r.expires_at.toISOString(), capturedAt: r.captured_at?.toISOString() ?? null,
});

/** Start of the China-time day containing `at` (auto top-up caps and reconciliation are per local day). */
export function localDayStart(at: Date): Date {
  const OFFSET = 8 * 3600_000;
  const t = at.getTime() + OFFSET;
  return new Date(t - (t % 86_400_000) - OFFSET);
}

/** "2026-11-22" (China time) for an instant. */
export const localDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
