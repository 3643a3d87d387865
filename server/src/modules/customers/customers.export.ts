import { PassThrough, Readable } from 'node:stream';
import type { CustomerQuery } from '@telehall/contracts';
import type { Db } from '../../platform/db.js';
import type { Actor, Audit } from '../audit/audit.service.js';
import { csvField } from '../imports/report.js';
import { isoDay, type CustomerRow } from './customers.mapper.js';
import { customerRepo } from './customers.repository.js';

const COLUMNS = ['id', 'name', 'kind', 'phone', 'id_number', 'email', 'birth_date', 'gender', 'address', 'category', 'tags', 'channel', 'external_id', 'signup_date', 'monthly_charge_fen', 'consent_sms', 'consent_email', 'consent_push', 'status', 'created_at'] as const;

function cells(c: CustomerRow): string[] {
  return [c.id, c.name, c.kind, c.phone ?? '', c.id_number ?? '', c.email ?? '', isoDay(c.birth_date) ?? '', c.gender ?? '', c.address ?? '', c.category, c.tags.join(';'), c.channel ?? '', c.external_id ?? '', isoDay(c.signup_date) ?? '', c.monthly_charge_fen === null ? '' : String(c.monthly_charge_fen), String(c.consent_sms), String(c.consent_email), String(c.consent_push), c.status, c.created_at.toISOString()];
}

/** Every matching customer, a page at a time (never the whole table in memory). */
async function* pages(db: Db, q: CustomerQuery): AsyncGenerator<CustomerRow[]> {
  let after: { at: Date; id: string } | undefined;
  for (;;) {
    const rows = await customerRepo.search(db, { ...q, after }, 1000);
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1)!;
    after = { at: last.created_at, id: last.id };
  }
}

/**
 * Customer export with full personal data (permission `customers.export`),
 * audited before the first byte leaves. CSV carries a BOM for Excel and is
 * defused against formula injection; XLSX is written by exceljs' streaming writer.
 */
export function createCustomerExport({ db, audit }: { db: Db; audit: Audit }) {
  return async (actor: Actor, q: CustomerQuery, format: 'csv' | 'xlsx'): Promise<Readable> => {
    await audit.record(db, actor, { action: 'customers.export', resourceType: 'customer', details: { format, filter: { q: q.q === undefined ? undefined : '(set)', tag: q.tag, category: q.category, channel: q.channel } } });
    if (format === 'csv') {
      return Readable.from((async function* () {
        yield '\ufeff' + COLUMNS.join(',') + '\r\n';
        for await (const rows of pages(db, q)) yield rows.map((r) => cells(r).map(csvField).join(',')).join('\r\n') + '\r\n';
      })());
    }
    // exceljs loads lazily: it is heavy, and server start-up should not pay for it.
    const { default: ExcelJS } = await import('exceljs');
    const out = new PassThrough();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet('customers');
    ws.addRow([...COLUMNS]).commit();
    void (async () => {
      try {
        for await (const rows of pages(db, q)) for (const r of rows) ws.addRow(cells(r)).commit();
        ws.commit();
        await wb.commit();
      } catch (err) {
        out.destroy(err as Error);
      }
    })();
    return out;
  };
}
