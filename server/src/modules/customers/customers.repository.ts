import type { CustomerQuery } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';
import './customers.tables.js';

const ID_NUMBER = /^[0-9]{17}[0-9X]$/;
const PHONE = /^1[3-9][0-9]{9}$/;

export const customerRepo = {
  byId: (db: Executor, id: string) => db.selectFrom('customer').selectAll().where('id', '=', id).executeTakeFirst(),
  byPhone: (db: Executor, phone: string) => db.selectFrom('customer').selectAll().where('phone', '=', phone).executeTakeFirst(),
  insert: (db: Executor, row: { id: string; phone: string; name: string; now: Date }) =>
    db
      .insertInto('customer')
      .values({ id: row.id, phone: row.phone, name: row.name, created_at: row.now, updated_at: row.now })
      .returningAll()
      .executeTakeFirstOrThrow(),
  update: (
    db: Executor,
    id: string,
    patch: { name?: string; email?: string | null; locale?: 'zh-CN' | 'en' },
    now: Date,
  ) => db.updateTable('customer').set({ ...patch, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirst(),

  /**
   * Staff search, newest first (keyset on the UUIDv7 id, which is creation-ordered). `q` is a name
   * prefix (case-insensitive), or a full phone / ID number (exact).
   */
  search: (db: Executor, q: CustomerQuery & { after?: { at: Date; id: string } }, limit: number) => {
    let query = db.selectFrom('customer').selectAll().orderBy('id', 'desc').limit(limit);
    const text = q.q?.trim();
    if (text) {
      const upper = text.toUpperCase();
      if (PHONE.test(text)) query = query.where('phone', '=', text);
      else if (ID_NUMBER.test(upper)) query = query.where('id_number', '=', upper);
      else query = query.where(sql<string>`lower(name)`, 'like', `${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    }
    if (q.tag) query = query.where(sql<boolean>`tags @> ARRAY[${q.tag}]::text[]`);
    if (q.category) query = query.where('category', '=', q.category);
    if (q.channel) query = query.where('channel', '=', q.channel);
    const after = q.after;
    if (after) query = query.where('id', '<', after.id);
    return query.execute();
  },
};
