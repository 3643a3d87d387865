import type { CustomerView, Interaction } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import { maskPhone } from '../../platform/access.js';
import type { CustomerTable, InteractionTable } from './customers.tables.js';

export type CustomerRow = Selectable<CustomerTable>;

/** DATE columns arrive as a Date (node-postgres default) or text; either way an ISO day. */
export function isoDay(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const y = v.getFullYear();
    return `${String(y).padStart(4, '0')}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  }
  return typeof v === 'string' ? v.slice(0, 10) : null;
}

/** 110105199003071239 → 110***********1239 (same rule as phones: first 3, last 4). */
export const maskIdNumber = maskPhone;

/** A customer for staff; phone and ID number masked unless `reveal`. */
export function toCustomerView(c: CustomerRow, reveal: boolean): CustomerView {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    phone: c.phone === null ? null : reveal ? c.phone : maskPhone(c.phone),
    idNumber: c.id_number === null ? null : reveal ? c.id_number : maskIdNumber(c.id_number),
    masked: !reveal,
    email: c.email,
    birthDate: isoDay(c.birth_date),
    gender: c.gender,
    address: c.address,
    category: c.category,
    tags: c.tags,
    channel: c.channel,
    externalId: c.external_id,
    signupDate: isoDay(c.signup_date),
    monthlyCharge: c.monthly_charge_fen === null ? null : { amount: c.monthly_charge_fen, currency: 'CNY' },
    consent: { sms: c.consent_sms, email: c.consent_email, push: c.consent_push },
    status: c.status,
    locale: c.locale,
    extras: c.extras,
    createdAt: c.created_at.toISOString(),
  };
}

export function toInteraction(r: Selectable<InteractionTable>): Interaction {
  return { id: r.id, channel: r.channel, summary: r.summary, staffName: r.staff_name, createdAt: r.created_at.toISOString() };
}
