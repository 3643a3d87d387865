import type { Profile, ProfilePatch } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { customerRepo } from './customers.repository.js';
import type { CustomerTable } from './customers.tables.js';
import type { Selectable } from 'kysely';

type CustomerRow = Selectable<CustomerTable>;

export function toProfile(c: CustomerRow): Profile {
  return { id: c.id, phone: c.phone ?? '', name: c.name, email: c.email, locale: c.locale, createdAt: c.created_at.toISOString() };
}

/** Customers: the person or company behind accounts and lines. */
export function createCustomers({ db, clock, ids }: { db: Db; clock: Clock; ids: Ids }) {
  return {
    /**
     * The customer with this phone, created when none exists yet (an imported
     * customer who registers keeps their record).
     */
    async findOrCreateByPhone(trx: Executor, phone: string, name: string): Promise<CustomerRow> {
      const existing = await customerRepo.byPhone(trx, phone);
      if (existing) return existing;
      return customerRepo.insert(trx, { id: ids.uuid(), phone, name, now: clock.now() });
    },

    /** @throws not_found */
    async profile(id: string): Promise<Profile> {
      const c = await customerRepo.byId(db, id);
      if (!c) throw notFound('customer');
      return toProfile(c);
    },

    /** @throws not_found */
    async updateProfile(id: string, patch: ProfilePatch): Promise<Profile> {
      const c = await customerRepo.update(db, id, patch, clock.now());
      if (!c) throw notFound('customer');
      return toProfile(c);
    },
  };
}
export type Customers = ReturnType<typeof createCustomers>;
