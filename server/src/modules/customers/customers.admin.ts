import type { CustomerCategory, CustomerInput, CustomerPatch, CustomerQuery, CustomerView, Interaction, Unmasked } from '@telehall/contracts';
import type { Updateable } from 'kysely';
import { maskPhone } from '../../platform/access.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import type { Actor, Audit } from '../audit/audit.service.js';
import { toCustomerView, toInteraction, type CustomerRow } from './customers.mapper.js';
import { customerRepo } from './customers.repository.js';
import type { CustomerTable } from './customers.tables.js';

/** Masks what a search term might reveal before it goes into the audit log. */
const maskTerm = (q: string | undefined) => (q === undefined ? undefined : /^[0-9X]{11,18}$/i.test(q) ? maskPhone(q) : q);

function columnsOf(p: CustomerPatch): Updateable<CustomerTable> {
  const out: Updateable<CustomerTable> = {};
  if (p.name !== undefined) out.name = p.name;
  if (p.kind !== undefined) out.kind = p.kind;
  if (p.email !== undefined) out.email = p.email;
  if (p.idNumber !== undefined) out.id_number = p.idNumber;
  if (p.birthDate !== undefined) out.birth_date = p.birthDate;
  if (p.gender !== undefined) out.gender = p.gender;
  if (p.address !== undefined) out.address = p.address;
  if (p.category !== undefined) out.category = p.category;
  if (p.tags !== undefined) out.tags = p.tags;
  if (p.channel !== undefined) out.channel = p.channel;
  if (p.externalId !== undefined) out.external_id = p.externalId;
  if (p.consent !== undefined) {
    out.consent_sms = p.consent.sms;
    out.consent_email = p.consent.email;
    out.consent_push = p.consent.push;
  }
  return out;
}

/** Translates the unique/foreign-key violations a staff edit can hit into stable 4xx codes. */
function dbError(err: unknown): never {
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23505') throw conflict(`${e.constraint ?? 'customer'}_taken`.replace('_uq_taken', '_taken'), 'Another customer already has this value');
  throw err;
}

/**
 * Staff operations on customers. Every read of personal data is audited;
 * phone and ID numbers are always returned masked, and only
 * {@link CustomerAdmin.unmask} (permission `personal_data.view`) reveals them.
 */
export function createCustomerAdmin({ db, clock, ids, audit }: { db: Db; clock: Clock; ids: Ids; audit: Audit }) {
  /** @throws invalid_data `category_unknown` */
  async function checkCategory(code: string | undefined): Promise<void> {
    if (code === undefined) return;
    const c = await db.selectFrom('customer_category').select('code').where('code', '=', code).executeTakeFirst();
    if (!c) throw invalid('category_unknown', 'Unknown customer category');
  }

  async function row(id: string): Promise<CustomerRow> {
    const c = await customerRepo.byId(db, id);
    if (!c) throw notFound('customer');
    return c;
  }

  return {
    row,

    /** @throws invalid_data `invalid_cursor` */
    async search(actor: Actor, q: CustomerQuery): Promise<{ items: CustomerView[]; nextCursor: string | null }> {
      const limit = q.limit ?? 50;
      const c = decodeCursor(q.cursor);
      const rows = await customerRepo.search(db, { ...q, after: c ? { at: c.at, id: c.id } : undefined }, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      await audit.record(db, actor, {
        action: 'customer.search',
        resourceType: 'customer',
        details: { filter: { q: maskTerm(q.q), tag: q.tag, category: q.category, channel: q.channel }, results: page.length },
      });
      return { items: page.map((r) => toCustomerView(r, false)), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
    },

    /** @throws not_found `customer_not_found` */
    async view(actor: Actor, id: string): Promise<CustomerView> {
      const c = await row(id);
      await audit.record(db, actor, { action: 'customer.view', resourceType: 'customer', resourceId: id });
      return toCustomerView(c, false);
    },

    /** The full phone, ID number and line numbers: an explicit, audited act. @throws not_found */
    async unmask(actor: Actor, id: string): Promise<Unmasked> {
      const c = await row(id);
      const lines = await db.selectFrom('line').select(['id', 'msisdn']).where('customer_id', '=', id).orderBy('created_at').execute();
      await audit.record(db, actor, { action: 'customer.unmask', resourceType: 'customer', resourceId: id, details: { fields: ['phone', 'idNumber', 'lines.msisdn'] } });
      return { phone: c.phone, idNumber: c.id_number, lines };
    },

    /** @throws conflict `customer_phone_taken` | `customer_id_number_taken` | `customer_external_taken`; invalid_data `category_unknown` */
    async create(actor: Actor, input: CustomerInput): Promise<CustomerView> {
      await checkCategory(input.category);
      const now = clock.now();
      const id = ids.uuid();
      const created = await db.transaction().execute(async (trx) => {
        const c = await trx
          .insertInto('customer')
          .values({ id, phone: input.phone ?? null, created_at: now, updated_at: now, ...columnsOf(input) } as never)
          .returningAll()
          .executeTakeFirstOrThrow()
          .catch(dbError);
        await audit.record(trx, actor, { action: 'customer.create', resourceType: 'customer', resourceId: id });
        return c;
      });
      return toCustomerView(created, false);
    },

    /** @throws not_found; conflict and invalid_data as {@link create} */
    async update(actor: Actor, id: string, patch: CustomerPatch): Promise<CustomerView> {
      await checkCategory(patch.category);
      const set = columnsOf(patch);
      const updated = await db.transaction().execute(async (trx) => {
        const c = await trx.updateTable('customer').set({ ...set, updated_at: clock.now() }).where('id', '=', id).returningAll().executeTakeFirst().catch(dbError);
        if (!c) throw notFound('customer');
        await audit.record(trx, actor, { action: 'customer.update', resourceType: 'customer', resourceId: id, details: { fields: Object.keys(patch) } });
        return c;
      });
      return toCustomerView(updated, false);
    },

    /** @throws not_found */
    async addInteraction(actor: Actor, customerId: string, input: { channel: Interaction['channel']; summary: string }): Promise<Interaction> {
      await row(customerId);
      const r = await db
        .insertInto('interaction')
        .values({ id: ids.uuid(), customer_id: customerId, channel: input.channel, summary: input.summary, staff_id: actor.id ?? '', staff_name: actor.name, created_at: clock.now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit.record(db, actor, { action: 'customer.interaction.create', resourceType: 'customer', resourceId: customerId, details: { interactionId: r.id } });
      return toInteraction(r);
    },

    async interactions(customerId: string, limit = 50): Promise<Interaction[]> {
      const rows = await db.selectFrom('interaction').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(toInteraction);
    },

    async categories(): Promise<CustomerCategory[]> {
      const rows = await db.selectFrom('customer_category').selectAll().orderBy('built_in', 'desc').orderBy('code').execute();
      return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, builtIn: r.built_in }));
    },

    /** @throws conflict `category_exists` */
    async addCategory(actor: Actor, c: { code: string; nameZh: string; nameEn: string }): Promise<CustomerCategory> {
      const r = await db.insertInto('customer_category').values({ code: c.code, name_zh: c.nameZh, name_en: c.nameEn }).onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
      if (!r) throw conflict('category_exists', 'A category with this code exists');
      await audit.record(db, actor, { action: 'customer_category.create', resourceType: 'customer_category', resourceId: c.code });
      return { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, builtIn: r.built_in };
    },
  };
}
export type CustomerAdmin = ReturnType<typeof createCustomerAdmin>;
