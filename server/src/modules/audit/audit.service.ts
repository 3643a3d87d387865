import type { AuditEntry } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import type { ActorKind } from './audit.tables.js';
import './audit.tables.js';

/** Who did something, and from where. */
export interface Actor {
  kind: ActorKind;
  id: string | null;
  name: string;
  ip: string;
  userAgent: string;
}

export interface AuditRecord {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  details?: Record<string, unknown>;
}

/** Append-only record of staff actions on personal data (and other sensitive acts). */
export function createAudit({ db, clock }: { db: Db; clock: Clock }) {
  return {
    /** Write in the caller's transaction so the record commits with the act. */
    async record(trx: Executor, actor: Actor, rec: AuditRecord): Promise<void> {
      await trx
        .insertInto('audit_log')
        .values({
          at: clock.now(),
          actor_kind: actor.kind,
          actor_id: actor.id,
          actor_name: actor.name,
          action: rec.action,
          resource_type: rec.resourceType,
          resource_id: rec.resourceId ?? null,
          ip: actor.ip,
          user_agent: actor.userAgent.slice(0, 300),
          details: JSON.stringify(rec.details ?? {}),
        })
        .execute();
    },

    /**
     * A staff read of personal data: run the read, then record it (what was
     * seen can go into the record, e.g. how many rows). A read that fails
     * showed nothing and is not recorded.
     */
    async read<T>(actor: Actor, rec: AuditRecord | ((result: T) => AuditRecord), fn: () => Promise<T>): Promise<T> {
      const result = await fn();
      await this.record(db, actor, typeof rec === 'function' ? rec(result) : rec);
      return result;
    },

    async list(q: { limit?: number; cursor?: string; actorId?: string; resourceType?: string; resourceId?: string; action?: string }) {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
      if (q.actorId) query = query.where('actor_id', '=', q.actorId);
      if (q.resourceType) query = query.where('resource_type', '=', q.resourceType);
      if (q.resourceId) query = query.where('resource_id', '=', q.resourceId);
      if (q.action) query = query.where('action', '=', q.action);
      const c = decodeCursor(q.cursor);
      if (c) query = query.where('id', '<', Number(c.id));
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const items: AuditEntry[] = page.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        ip: r.ip,
        userAgent: r.user_agent,
        details: r.details,
      }));
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.at, last.id) : null };
    },
  };
}
export type Audit = ReturnType<typeof createAudit>;
