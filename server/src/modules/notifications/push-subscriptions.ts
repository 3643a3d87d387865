import type { PushSubscriptionInput } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { Ids } from '../../platform/ids.js';
import './notifications.tables.js';

/** Browsers that asked for Web Push; an endpoint belongs to whoever subscribed it last. */
export function createPushSubscriptions({ db, clock, ids }: { db: Db; clock: Clock; ids: Ids }) {
  return {
    async save(customerId: string, s: PushSubscriptionInput, userAgent: string): Promise<void> {
      await db.insertInto('push_subscription')
        .values({ id: ids.uuid(), customer_id: customerId, endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth, user_agent: userAgent.slice(0, 300), created_at: clock.now() })
        .onConflict((oc) => oc.column('endpoint').doUpdateSet({ customer_id: customerId, p256dh: s.keys.p256dh, auth: s.keys.auth, user_agent: userAgent.slice(0, 300) }))
        .execute();
    },
    async remove(customerId: string, endpoint: string): Promise<number> {
      const r = await db.deleteFrom('push_subscription').where('customer_id', '=', customerId).where('endpoint', '=', endpoint).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async count(customerId: string): Promise<number> {
      const r = await db.selectFrom('push_subscription').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
export type PushSubscriptions = ReturnType<typeof createPushSubscriptions>;
