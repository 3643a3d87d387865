import type { CannedReply, CannedReplyInput, FaqArticle, FaqArticleInput, SupportSettings } from '@telehall/contracts';
import { sql, type Selectable } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import type { CannedReplyTable, FaqArticleTable } from './support.tables.js';
import './support.tables.js';

const toFaq = (r: Selectable<FaqArticleTable>): FaqArticle => ({
  id: r.id, category: r.category, titleZh: r.title_zh, bodyZh: r.body_zh, titleEn: r.title_en, bodyEn: r.body_en,
  published: r.published, updatedAt: r.updated_at.toISOString(),
});
const toCanned = (r: Selectable<CannedReplyTable>): CannedReply => ({ id: r.id, title: r.title, body: r.body, locale: r.locale, updatedAt: r.updated_at.toISOString() });

/** LIKE pattern for a literal substring. */
const contains = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** FAQ articles, canned replies and the support settings row. */
export function createSupportContent({ db, clock, ids }: { db: Db; clock: Clock; ids: Ids }) {
  return {
    /**
     * Published articles matching `q`: full text (`simple` config, so English
     * words match) or substring/trigram similarity on title and body (so a
     * Chinese phrase like 流量包, which has no word boundaries, matches too).
     * Ranked by title similarity, then full-text rank.
     */
    async searchFaq(q: string | undefined, limit = 10, includeUnpublished = false): Promise<FaqArticle[]> {
      const term = (q ?? '').trim();
      let query = db.selectFrom('faq_article').selectAll();
      if (!includeUnpublished) query = query.where('published', '=', true);
      if (!term) return (await query.orderBy('sort').orderBy('created_at').limit(limit).execute()).map(toFaq);
      const title = sql<string>`title_zh || ' ' || title_en`;
      const body = sql<string>`body_zh || ' ' || body_en`;
      const tsq = sql`plainto_tsquery('simple', ${term})`;
      const rows = await query
        .where((eb) => eb.or([
          eb(sql<boolean>`search @@ ${tsq}`, '=', true),
          eb(title, 'ilike', contains(term)),
          eb(body, 'ilike', contains(term)),
          eb(sql<boolean>`${term} <% (${title})`, '=', true),
        ]))
        .orderBy(sql`word_similarity(${term}, ${title})`, 'desc')
        .orderBy(sql`ts_rank(search, ${tsq})`, 'desc')
        .orderBy('sort')
        .limit(limit)
        .execute();
      return rows.map(toFaq);
    },
    async getFaq(id: string): Promise<FaqArticle> {
      const r = await db.selectFrom('faq_article').selectAll().where('id', '=', id).where('published', '=', true).executeTakeFirst();
      if (!r) throw notFound('faq_article');
      return toFaq(r);
    },
    async saveFaq(id: string | null, a: FaqArticleInput): Promise<FaqArticle> {
      const values = { category: a.category, title_zh: a.titleZh, body_zh: a.bodyZh, title_en: a.titleEn, body_en: a.bodyEn, published: a.published ?? true, updated_at: clock.now() };
      const r = id
        ? await db.updateTable('faq_article').set(values).where('id', '=', id).returningAll().executeTakeFirst()
        : await db.insertInto('faq_article').values({ id: ids.uuid(), ...values, created_at: clock.now() }).returningAll().executeTakeFirst();
      if (!r) throw notFound('faq_article');
      return toFaq(r);
    },
    async deleteFaq(id: string): Promise<void> {
      const r = await db.deleteFrom('faq_article').where('id', '=', id).executeTakeFirst();
      if (!Number(r.numDeletedRows)) throw notFound('faq_article');
    },

    async cannedReplies(): Promise<CannedReply[]> {
      return (await db.selectFrom('canned_reply').selectAll().orderBy('locale', 'desc').orderBy('title').execute()).map(toCanned);
    },
    async saveCanned(id: string | null, c: CannedReplyInput): Promise<CannedReply> {
      const now = clock.now();
      const r = id
        ? await db.updateTable('canned_reply').set({ ...c, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirst()
        : await db.insertInto('canned_reply').values({ id: ids.uuid(), ...c, created_at: now, updated_at: now }).returningAll().executeTakeFirst();
      if (!r) throw notFound('canned_reply');
      return toCanned(r);
    },
    async deleteCanned(id: string): Promise<void> {
      const r = await db.deleteFrom('canned_reply').where('id', '=', id).executeTakeFirst();
      if (!Number(r.numDeletedRows)) throw notFound('canned_reply');
    },

    async settings(): Promise<SupportSettings> {
      const r = await db.selectFrom('support_setting').select('assignment').where('id', '=', 1).executeTakeFirstOrThrow();
      return { assignment: r.assignment };
    },
    async saveSettings(s: SupportSettings): Promise<SupportSettings> {
      await db.updateTable('support_setting').set({ assignment: s.assignment, updated_at: clock.now() }).where('id', '=', 1).execute();
      return s;
    },
  };
}
export type SupportContent = ReturnType<typeof createSupportContent>;
