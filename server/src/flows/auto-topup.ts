import type { Dispatcher } from '../platform/outbox.js';
import type { PaymentFlows } from './payments.js';

/**
 * A low-balance alert from rating triggers the line's auto top-up at once,
 * in the dispatcher's transaction (so the alert is handled exactly once);
 * the periodic `runAutoTopups` job covers thresholds above the alert's.
 */
export function registerAutoTopup(dispatcher: Dispatcher, flows: PaymentFlows): void {
  dispatcher.on('usage.alert', async (trx, event) => {
    const p = event.payload as { lineId?: string; alert?: string };
    if (p.alert === 'low_balance' && p.lineId) await flows.autoTopupLine(trx, p.lineId);
  });
}
