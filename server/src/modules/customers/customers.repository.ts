import type { Executor } from '../../platform/db.js';
import './customers.tables.js';

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
};
