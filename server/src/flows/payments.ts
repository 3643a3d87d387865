import type { CallbackResult, PaymentCreated, PaymentRequest, Refund } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import { inTransaction, type Db, type Executor } from '../platform/db.js';
import { AppError, notFound } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { idempotent, type Outcome } from '../platform/idempotency.js';
import { enqueue } from '../platform/outbox.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import { cny } from '../modules/catalog/catalog.mapper.js';
import type { Ledger } from '../modules/ledger/ledger.service.js';
import { clearingAccount, type PaymentProvider } from '../modules/payments/gateway.js';
import { localDayStart, toPayment, type PaymentRow } from '../modules/payments/payments.mapper.js';
import type { Payments } from '../modules/payments/payments.service.js';
import type { CallbackOutcome } from '../modules/payments/payments.tables.js';
import { lockLine, reactivateIfCovered, type LifecycleDeps } from './line-lifecycle.js';
import { reserveTopupCoupon } from '../modules/loyalty/coupons.js';

type Deps = LifecycleDeps & { db: Db; log: Logger; audit: Audit; payments: Payments; providers: Map<string, PaymentProvider>; clearing(trx: Executor, provider: string): Promise<string> };

/**
 * Credit a locked, pending payment: clearing → line balance, mark captured,
 * lift a credit-limit suspension, emit `payment.captured` (same transaction).
 */
async function capture(trx: Executor, d: Deps, p: PaymentRow, providerRef: string): Promise<void> {
  const line = await lockLine(trx, p.line_id, null);
  const account = await d.ledger.lineAccount(trx, line.id);
  const clearing = await d.clearing(trx, p.provider);
  const txId = await d.ledger.post(trx, {
    kind: 'payment', lineId: line.id, reference: `payment:${p.id}`, memo: `top-up via ${p.provider} ${providerRef}`,
    postings: [{ from: clearing, to: account.id, amount: p.amount_fen }],
  });
  const now = d.clock.now();
  await trx.updateTable('payment').set({ status: 'captured', captured_at: now, provider_ref: providerRef, ledger_tx_id: txId }).where('id', '=', p.id).execute();
  const balance = account.balance + p.amount_fen;
  await reactivateIfCovered(trx, d, line, balance);
  await enqueue(trx, d.clock, 'payment.captured', line.id, {
    paymentId: p.id, lineId: line.id, customerId: p.customer_id, msisdn: line.msisdn, amountFen: p.amount_fen, balanceFen: balance, origin: p.origin, capturedAt: now.toISOString(),
  });
}

const REJECT: Partial<Record<CallbackOutcome, (id: string | null) => AppError>> = {
  bad_signature: () => new AppError('unauthorized', 'invalid_signature', 'The callback signature is not valid'),
  malformed: () => new AppError('invalid_data', 'malformed_callback', 'The callback body is not a payment notification'),
  unknown_provider: () => new AppError('not_found', 'provider_not_found', 'No such payment provider'),
  unknown_payment: () => new AppError('not_found', 'payment_not_found', 'payment not found'),
  amount_mismatch: () => new AppError('unprocessable', 'amount_mismatch', 'The amount does not match the payment'),
  late: () => new AppError('conflict', 'payment_expired', 'The payment expired before it was paid; nothing was credited'),
  not_pending: () => new AppError('conflict', 'payment_not_pending', 'The payment is no longer pending'),
};

/** Top-ups, gateway callbacks, refunds and auto top-up: the money side of payments. */
export function createPaymentFlows(deps: { db: Db; clock: Clock; ids: Ids; log: Logger; ledger: Ledger; audit: Audit; payments: Payments; providers: PaymentProvider[] }) {
  // The clearing account is created in its own committed statement before a capture
  // or refund transaction opens (`warm`): created inside a capture that rolls back, or
  // seen by a concurrent capture before that one commits, its id would be cached while
  // the row does not (yet) exist. Only when nothing warmed it (the dispatcher's auto
  // top-up) is it created inside the transaction.
  const warmed = new Map<string, string>();
  const warm = async (provider: string) => {
    if (!warmed.has(provider)) warmed.set(provider, await deps.ledger.systemAccount(deps.db, clearingAccount(provider)));
  };
  const clearing = (trx: Executor, provider: string) => {
    const id = warmed.get(provider);
    return id ? Promise.resolve(id) : deps.ledger.systemAccount(trx, clearingAccount(provider));
  };
  const d: Deps = { ...deps, clearing, providers: new Map(deps.providers.map((p) => [p.name, p])) };
  const { db, clock, log, payments } = d;

  const lockPayment = (trx: Executor, id: string) => trx.selectFrom('payment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

  /** Auto top-up of one line if it is below its threshold and under today's caps. Returns the payment id. */
  async function autoTopupLine(trx: Executor, lineId: string): Promise<string | null> {
    const cfg = await trx.selectFrom('auto_topup').selectAll().where('line_id', '=', lineId).where('enabled', '=', true).forUpdate().executeTakeFirst();
    if (!cfg) return null;
    const { balance } = await d.ledger.lineAccount(trx, lineId);
    if (balance >= cfg.threshold_fen) return null;
    const now = clock.now();
    const today = await trx.selectFrom('payment').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.val(0)).as('fen')])
      .where('line_id', '=', lineId).where('origin', '=', 'auto_topup').where('status', '=', 'captured').where('created_at', '>=', localDayStart(now)).executeTakeFirstOrThrow();
    if (Number(today.n) >= cfg.daily_max_count || Number(today.fen) + cfg.amount_fen > cfg.daily_max_fen) {
      log.info({ lineId, today }, 'auto top-up skipped: daily cap reached');
      return null;
    }
    const provider = d.providers.get('sandbox')!;
    const id = d.ids.uuid();
    const row: PaymentRow = {
      id, customer_id: cfg.customer_id, line_id: lineId, provider: provider.name, method: 'saved', origin: 'auto_topup', amount_fen: cfg.amount_fen, refunded_fen: 0,
      status: 'pending', provider_ref: null, ledger_tx_id: null, created_at: now, expires_at: now, captured_at: null,
    };
    await trx.insertInto('payment').values(row).execute();
    const { providerRef } = await provider.chargeSaved({ id, amountFen: cfg.amount_fen });
    await capture(trx, d, row, providerRef);
    return id;
  }

  return {
    /**
     * A pending top-up, optionally holding a top-up-bonus coupon; the same Idempotency-Key replays it.
     * @throws not_found, conflict `idempotency_key_reused`, unprocessable `coupon_used` | `coupon_expired` | `coupon_reserved` | `coupon_not_applicable` | `coupon_min_spend`
     */
    create: (actor: Actor, customerId: string, input: PaymentRequest, key?: string): Promise<Outcome<PaymentCreated>> =>
      idempotent(db, clock, { scope: `payment:${customerId}`, key, body: input }, 201, async (trx) => {
        const created = await payments.create(trx, customerId, input);
        // A top-up-bonus coupon is held by the payment; loyalty credits the bonus on capture.
        if (input.couponId) await reserveTopupCoupon(trx, d, { customerId, lineId: input.lineId, couponId: input.couponId, amountFen: input.amount, paymentId: created.payment.id });
        return created;
      }),

    /**
     * A gateway's callback. Only a correctly signed, well-formed notice for a
     * pending, unexpired payment of the same amount moves money; a replay of
     * a handled notice returns the first result; every attempt is recorded.
     * @throws unauthorized `invalid_signature`, invalid_data `malformed_callback`, not_found, unprocessable `amount_mismatch`, conflict `payment_expired` | `payment_not_pending`
     */
    async callback(providerName: string, raw: string, signature: string | undefined, ip: string): Promise<{ result: CallbackResult; replayed: boolean }> {
      const provider = d.providers.get(providerName);
      const reject = async (outcome: CallbackOutcome, paymentId: string | null, signatureValid: boolean): Promise<never> => {
        await payments.logCallback(db, { provider: providerName, paymentId, outcome, signatureValid, body: raw, ip });
        log.warn({ provider: providerName, paymentId, outcome, ip }, 'payment callback rejected');
        throw REJECT[outcome]!(paymentId);
      };
      if (!provider) return reject('unknown_provider', null, false);
      if (!provider.verify(raw, signature)) {
        const guess = /"paymentId"\s*:\s*"([0-9a-f-]{36})"/.exec(raw)?.[1] ?? null;
        const known = guess ? await db.selectFrom('payment').select('id').where('id', '=', guess).executeTakeFirst() : undefined;
        return reject('bad_signature', known?.id ?? null, false);
      }
      const msg = provider.parse(raw);
      if (!msg) return reject('malformed', null, true);
      await warm(providerName);

      const res = await inTransaction(db, async (trx) => {
        const p = await lockPayment(trx, msg.paymentId);
        let outcome: CallbackOutcome;
        if (!p || p.provider !== providerName) outcome = 'unknown_payment';
        else if (p.status === 'captured' && msg.status === 'succeeded' && msg.providerRef === p.provider_ref && msg.amount === p.amount_fen) outcome = 'duplicate';
        else if (p.status === 'cancelled' && msg.status === 'cancelled') outcome = 'duplicate';
        else if (p.status === 'expired' || (p.status === 'pending' && clock.now() >= p.expires_at)) outcome = 'late';
        else if (p.status !== 'pending') outcome = 'not_pending';
        else if (msg.amount !== p.amount_fen || msg.currency !== 'CNY') outcome = 'amount_mismatch';
        else if (msg.status === 'cancelled') outcome = 'cancelled';
        else outcome = 'captured';

        if (outcome === 'late' && p?.status === 'pending') await trx.updateTable('payment').set({ status: 'expired' }).where('id', '=', p.id).execute();
        if (outcome === 'cancelled') await trx.updateTable('payment').set({ status: 'cancelled', provider_ref: msg.providerRef }).where('id', '=', p!.id).execute();
        if (outcome === 'captured') await capture(trx, d, p!, msg.providerRef);
        await payments.logCallback(trx, { provider: providerName, paymentId: p?.id ?? null, outcome, signatureValid: true, body: raw, ip });
        return { outcome, status: outcome === 'captured' ? 'captured' as const : outcome === 'cancelled' ? 'cancelled' as const : p?.status ?? 'pending' };
      });
      if (REJECT[res.outcome]) {
        log.warn({ provider: providerName, paymentId: msg.paymentId, outcome: res.outcome, ip }, 'payment callback rejected');
        throw REJECT[res.outcome]!(msg.paymentId);
      }
      const first = res.status === 'captured' ? 'captured' : 'cancelled';
      return { result: { paymentId: msg.paymentId, status: res.status, outcome: first }, replayed: res.outcome === 'duplicate' };
    },

    /**
     * Refund part or all of a captured payment: line → clearing, audited.
     * The payment row is locked, so concurrent refunds cannot exceed it.
     * @throws not_found, unprocessable `payment_not_captured` | `refund_exceeds_payment`, insufficient_funds `balance_below_refund`
     */
    refund: async (actor: Actor, paymentId: string, input: { amount: number; reason: string }, key?: string): Promise<Outcome<Refund>> => {
      for (const name of d.providers.keys()) await warm(name);
      return idempotent(db, clock, { scope: `refund:${actor.id ?? ''}`, key, body: { paymentId, ...input } }, 201, async (trx) => {
        const p = await lockPayment(trx, paymentId);
        if (!p) throw notFound('payment');
        if (p.status !== 'captured') throw new AppError('unprocessable', 'payment_not_captured', 'Only a captured payment can be refunded');
        const refundable = p.amount_fen - p.refunded_fen;
        if (input.amount > refundable) {
          throw new AppError('unprocessable', 'refund_exceeds_payment', 'The refund exceeds what is left of the payment', { details: { refundable: cny(refundable) } });
        }
        const line = await lockLine(trx, p.line_id, null);
        const account = await d.ledger.lineAccount(trx, line.id);
        if (account.balance < input.amount) {
          throw new AppError('insufficient_funds', 'balance_below_refund', 'The line balance no longer covers this refund', { details: { balance: cny(account.balance) } });
        }
        const clearing = await d.clearing(trx, p.provider);
        const id = d.ids.uuid();
        const txId = await d.ledger.post(trx, {
          kind: 'refund', lineId: line.id, reference: `refund:${id}`, memo: input.reason,
          postings: [{ from: account.id, to: clearing, amount: input.amount }],
        });
        const now = clock.now();
        await trx.updateTable('payment').set({ refunded_fen: p.refunded_fen + input.amount }).where('id', '=', p.id).execute();
        await trx.insertInto('payment_refund').values({ id, payment_id: p.id, line_id: line.id, amount_fen: input.amount, reason: input.reason, staff_id: actor.kind === 'staff' ? actor.id : null, ledger_tx_id: txId, created_at: now }).execute();
        await d.audit.record(trx, actor, { action: 'payment.refund', resourceType: 'payment', resourceId: p.id, details: { amountFen: input.amount, reason: input.reason, ledgerTxId: txId, lineId: line.id } });
        await enqueue(trx, clock, 'payment.refunded', line.id, { paymentId: p.id, refundId: id, lineId: line.id, customerId: p.customer_id, amountFen: input.amount });
        return {
          id, paymentId: p.id, amount: cny(input.amount), reason: input.reason, createdAt: now.toISOString(),
          payment: toPayment({ ...p, refunded_fen: p.refunded_fen + input.amount, msisdn: line.msisdn }),
        };
      });
    },

    autoTopupLine,

    /** Auto top-up every enabled line below its threshold (the periodic job). Returns payments made. */
    async runAutoTopups(): Promise<number> {
      await warm('sandbox');
      const due = await sql<{ line_id: string }>`SELECT t.line_id FROM auto_topup t JOIN ledger_account a ON a.line_id = t.line_id AND a.kind = 'line_balance'
        WHERE t.enabled AND a.balance < t.threshold_fen ORDER BY t.line_id LIMIT 1000`.execute(db);
      let made = 0;
      for (const r of due.rows) {
        try {
          if (await inTransaction(db, (trx) => autoTopupLine(trx, r.line_id))) made++;
        } catch (err) {
          log.error({ err, lineId: r.line_id }, 'auto top-up failed');
        }
      }
      return made;
    },
  };
}
export type PaymentFlows = ReturnType<typeof createPaymentFlows>;
