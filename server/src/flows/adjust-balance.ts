import type { Balance } from '@telehall/contracts';
import type { Executor } from '../platform/db.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import { cny } from '../modules/catalog/catalog.mapper.js';
import { lockLine, reactivateIfCovered, suspendIfOverLimit, type LifecycleDeps } from './line-lifecycle.js';

/**
 * A staff correction of a line's balance: a ledger transaction against the
 * staff-adjustment account, with the reason, audited. Positive credits the
 * subscriber, negative debits.
 */
export async function adjustBalance(trx: Executor, d: LifecycleDeps & { audit: Audit }, actor: Actor, input: { lineId: string; amountFen: number; reason: string }): Promise<Balance> {
  const line = await lockLine(trx, input.lineId, null);
  const account = await d.ledger.lineAccount(trx, line.id);
  const adj = await d.ledger.systemAccount(trx, 'staffAdjustment');
  const credit = input.amountFen > 0;
  const txId = await d.ledger.post(trx, {
    kind: 'staff_adjustment', lineId: line.id, reference: `adjustment:${actor.id ?? ''}`, memo: input.reason,
    postings: [{ from: credit ? adj : account.id, to: credit ? account.id : adj, amount: Math.abs(input.amountFen) }],
  });
  const balance = account.balance + input.amountFen;
  if (credit) await reactivateIfCovered(trx, d, line, balance);
  else await suspendIfOverLimit(trx, d, line, balance);
  await d.audit.record(trx, actor, { action: 'line.balance_adjust', resourceType: 'line', resourceId: line.id, details: { amountFen: input.amountFen, reason: input.reason, ledgerTxId: txId } });
  return { lineId: line.id, balance: cny(balance), creditLimit: cny(line.credit_limit_fen), asOf: d.clock.now().toISOString() };
}
