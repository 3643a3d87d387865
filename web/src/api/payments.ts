import { queryOptions } from '@tanstack/react-query';
import type { AutoTopup, Bill, Line, Payment, PaymentCreated, PaymentMethod, Reconciliation, Refund } from '@telehall/contracts';
import { staffApi, subscriberApi } from './client';
import { queryKeys } from './keys';

/** Top-ups, receipts, auto top-up and bills (subscriber); payment search, refunds and reconciliation (console). */

export const myLinesQuery = () =>
  queryOptions({
    queryKey: queryKeys.payments.lines(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Line[] }>('/api/me/lines', { signal }),
    select: (d) => d.items,
  });

export const myPaymentsQuery = () =>
  queryOptions({
    queryKey: queryKeys.payments.mine(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Payment[] }>('/api/me/payments', { signal }),
    select: (d) => d.items,
  });

export const paymentQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.payments.one(id),
    queryFn: ({ signal }) => subscriberApi.get<Payment>(`/api/me/payments/${encodeURIComponent(id)}`, { signal }),
  });

export const autoTopupQuery = (lineId: string) =>
  queryOptions({
    queryKey: queryKeys.payments.autoTopup(lineId),
    queryFn: ({ signal }) => subscriberApi.get<AutoTopup>('/api/me/auto-topup', { signal, query: { lineId } }),
  });

export const billsQuery = () =>
  queryOptions({
    queryKey: queryKeys.payments.bills(),
    queryFn: ({ signal }) => subscriberApi.get<{ items: Bill[] }>('/api/me/bills', { signal }),
    select: (d) => d.items,
  });

export const billQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.payments.bill(id),
    queryFn: ({ signal }) => subscriberApi.get<Bill>(`/api/me/bills/${encodeURIComponent(id)}`, { signal }),
  });

/** Start a top-up; the key makes a double tap create one payment. */
export function startTopup(body: { lineId: string; amount: number; method: PaymentMethod; couponId?: string }, idempotencyKey: string): Promise<PaymentCreated> {
  return subscriberApi.post<PaymentCreated>('/api/me/payments', body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export function saveAutoTopup(body: AutoTopup): Promise<AutoTopup> {
  return subscriberApi.put<AutoTopup>('/api/me/auto-topup', body);
}

export function billPdf(id: string): Promise<Blob> {
  return subscriberApi.get<Blob>(`/api/me/bills/${encodeURIComponent(id)}/pdf`, { responseType: 'blob' });
}

export interface PaymentFilters {
  msisdn?: string;
  status?: Payment['status'];
  [k: string]: string | undefined;
}

export const adminPaymentsQuery = (filters: PaymentFilters) =>
  queryOptions({
    queryKey: queryKeys.payments.admin(filters),
    queryFn: ({ signal }) => staffApi.get<{ items: Payment[] }>('/api/admin/payments', { signal, query: filters }),
    select: (d) => d.items,
  });

export function refundPayment(id: string, body: { amount: number; reason: string }, idempotencyKey: string): Promise<Refund> {
  return staffApi.post<Refund>(`/api/admin/payments/${encodeURIComponent(id)}/refunds`, body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export const reconciliationQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: queryKeys.payments.reconciliation(from, to),
    queryFn: ({ signal }) => staffApi.get<Reconciliation>('/api/admin/reconciliation', { signal, query: { from, to } }),
  });

/** A fresh idempotency key for one user action. */
export const newKey = () => `web-${crypto.randomUUID()}`;
