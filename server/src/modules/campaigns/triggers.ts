import { sql } from 'kysely';
import type { Dispatcher, OutboxEvent } from '../../platform/outbox.js';
import type { Trx } from '../../platform/db.js';
import { enqueueBatch, materialise, type SendDeps } from './send.js';
import './campaigns.tables.js';

interface UsageAlert {
  lineId?: string;
  customerId?: string;
  alert?: string;
}

/**
 * Event-triggered campaigns. A `usage.alert` at 100% of a data allowance
 * runs every live `data_exhausted` campaign for that line, inside the
 * dispatcher's transaction: the run is keyed by the outbox event id, so a
 * replayed event fires nothing twice, and the offer's own outbox event is
 * delivered on the dispatcher's next pass (well within a minute).
 */
export function registerCampaignTriggers(dispatcher: Dispatcher, d: SendDeps): void {
  // A coupon taken from a campaign and used on a purchase: that campaign's conversion.
  dispatcher.on('loyalty.coupon.used', async (trx: Trx, e: OutboxEvent) => {
    const p = (e.payload ?? {}) as { couponId?: string };
    if (typeof p.couponId !== 'string') return;
    await trx.updateTable('campaign_take').set({ redeemed_at: e.createdAt }).where('kind', '=', 'coupon').where('reference', '=', p.couponId).where('redeemed_at', 'is', null).execute();
  });

  dispatcher.on('usage.alert', async (trx: Trx, e: OutboxEvent) => {
    const p = (e.payload ?? {}) as UsageAlert;
    if (p.alert !== 'data_100' || typeof p.lineId !== 'string') return;
    const live = await trx.selectFrom('campaign').selectAll().where('status', '=', 'running')
      .where(sql<boolean>`schedule->>'kind' = 'trigger' AND schedule->>'event' = 'data_exhausted'`).execute();
    for (const c of live) {
      const opened = await trx.insertInto('campaign_run').values({ campaign_id: c.id, run_no: e.id, status: 'sending', started_at: d.clock.now(), finished_at: null })
        .onConflict((oc) => oc.doNothing()).returning('run_no').executeTakeFirst();
      if (!opened) continue;
      const m = await materialise(trx, d, c, e.id, sql<boolean>`l.id = ${p.lineId}::uuid`);
      await trx.updateTable('campaign_run').set({ audience: m.audience, treated: m.treated, control: m.control, suppressed: m.suppressed, materialised_ms: m.ms })
        .where('campaign_id', '=', c.id).where('run_no', '=', e.id).execute();
      while ((await enqueueBatch(trx, d, c.id, e.id)) > 0);
      await trx.updateTable('campaign').set((eb) => ({ runs: eb('runs', '+', 1) })).where('id', '=', c.id).execute();
    }
  });
}
