import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { CleanRecord, DuplicateRow, RejectedRow } from './imports.types.js';
import '../customers/customers.tables.js';
import './imports.tables.js';

/** What one set-based write did. */
export interface WriteResult {
  inserted: number;
  updated: number;
  unchanged: number;
  merged: number;
  /** Rows refused by the database stage (their keys point at two different customers). */
  rejected: RejectedRow[];
}

interface Found {
  id: string;
  phone: string | null;
  id_number: string | null;
  channel: string | null;
  external_id: string | null;
  import_fingerprint: string | null;
}

const SEP = '\u001f';

/**
 * SHA-1 of a record's data fields in a fixed order (extras with sorted keys):
 * equal data → equal fingerprint, ~10× cheaper than canonical JSON of the record.
 */
export function fingerprint(r: CleanRecord): string {
  const keys = Object.keys(r.extras).sort();
  let s = `${r.name ?? ''}${SEP}${r.phone ?? ''}${SEP}${r.idNumber ?? ''}${SEP}${r.birthDate ?? ''}${SEP}${r.gender ?? ''}${SEP}${r.email ?? ''}${SEP}${r.address ?? ''}${SEP}${r.category ?? ''}${SEP}${r.channel}${SEP}${r.signupDate ?? ''}${SEP}${r.monthlyChargeFen ?? ''}${SEP}${r.tags.join(',')}${SEP}${r.externalId ?? ''}`;
  for (const k of keys) s += `${SEP}${k}=${r.extras[k]}`;
  return createHash('sha1').update(s).digest('base64url');
}

/** UUIDv7s for a batch from one random draw (per-id `randomBytes` costs more than the insert). */
export function uuidv7Batch(n: number, at = Date.now()): string[] {
  const rnd = randomBytes(16 * n);
  const out: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const b = rnd.subarray(i * 16, i * 16 + 16);
    b.writeUIntBE(at, 0, 6);
    b[6] = (b[6]! & 0x0f) | 0x70;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    out[i] = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return out;
}
const extKey = (channel: string, ext: string) => `${channel}${SEP}${ext}`;

/** Existing customers by any natural key of the records: one round trip, three index scans. */
async function lookup(db: Executor, recs: readonly CleanRecord[]): Promise<Found[]> {
  const phones: string[] = [];
  const idNumbers: string[] = [];
  const ch: string[] = [];
  const ex: string[] = [];
  for (const r of recs) {
    if (r.phone !== null) phones.push(r.phone);
    if (r.idNumber !== null) idNumbers.push(r.idNumber);
    if (r.externalId !== null) {
      ch.push(r.channel);
      ex.push(r.externalId);
    }
  }
  const parts = [];
  const cols = sql`id, phone, id_number, channel, external_id, import_fingerprint`;
  if (phones.length) parts.push(sql`SELECT ${cols} FROM customer WHERE phone = ANY(${phones}::text[])`);
  if (idNumbers.length) parts.push(sql`SELECT ${cols} FROM customer WHERE id_number = ANY(${idNumbers}::text[])`);
  if (ex.length) {
    parts.push(sql`SELECT c.id, c.phone, c.id_number, c.channel, c.external_id, c.import_fingerprint FROM customer c
      JOIN unnest(${ch}::text[], ${ex}::text[]) AS u(ch, ex) ON c.channel = u.ch AND c.external_id = u.ex`);
  }
  if (parts.length === 0) return [];
  const r = await sql<Found>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  return r.rows;
}

const issue = (r: CleanRecord, column: string, message: string): RejectedRow => ({
  row: r.row,
  issues: [{ column, code: 'conflicts_with_existing' as never, message }],
  original: {},
});

/** Column arrays for unnest, in one order for INSERT and UPDATE. */
function columns(recs: readonly CleanRecord[], ids: readonly string[]) {
  return {
    id: ids,
    name: recs.map((r) => r.name),
    phone: recs.map((r) => r.phone),
    idNumber: recs.map((r) => r.idNumber),
    birth: recs.map((r) => r.birthDate),
    gender: recs.map((r) => r.gender),
    email: recs.map((r) => r.email),
    address: recs.map((r) => r.address),
    category: recs.map((r) => r.category),
    channel: recs.map((r) => r.channel),
    ext: recs.map((r) => r.externalId),
    signup: recs.map((r) => r.signupDate),
    fee: recs.map((r) => r.monthlyChargeFen),
    tags: recs.map((r) => r.tags.join(SEP)),
    extras: recs.map((r) => JSON.stringify(r.extras)),
    fp: recs.map((r) => fingerprint(r)),
  };
}

const unnestOf = (c: ReturnType<typeof columns>) => sql`unnest(${c.id}::uuid[], ${c.name}::text[], ${c.phone}::text[], ${c.idNumber}::text[],
  ${c.birth}::date[], ${c.gender}::text[], ${c.email}::text[], ${c.address}::text[], ${c.category}::text[], ${c.channel}::text[],
  ${c.ext}::text[], ${c.signup}::date[], ${c.fee}::bigint[], ${c.tags}::text[], ${c.extras}::jsonb[], ${c.fp}::text[])
  AS v(id, name, phone, id_number, birth_date, gender, email, address, category, channel, external_id, signup_date, fee, tags, extras, fp)`;

const TAGS = sql`COALESCE(string_to_array(NULLIF(v.tags, ''), chr(31)), '{}')`;

/**
 * Upserts cleaned records by natural key (phone, else ID number, else
 * channel + external id), set-based: one lookup, one INSERT … SELECT FROM
 * unnest, one UPDATE … FROM unnest. A record whose fingerprint equals the
 * stored one is skipped. Updates overwrite with non-empty imported values
 * and only fill blank keys, so a key never moves between customers. A record
 * whose keys belong to two different customers is rejected
 * (`conflicts_with_existing`). In-file duplicates fill the earlier
 * customer's blanks (`merged`). Call in file order; run in one transaction.
 */
export async function writeRecords(db: Executor, recs: readonly CleanRecord[], dups: readonly DuplicateRow[], now: Date): Promise<WriteResult> {
  const out: WriteResult = { inserted: 0, updated: 0, unchanged: 0, merged: 0, rejected: [] };
  const found = recs.length ? await lookup(db, recs) : [];
  const byPhone = new Map<string, Found>();
  const byId = new Map<string, Found>();
  const byExt = new Map<string, Found>();
  for (const f of found) {
    if (f.phone !== null) byPhone.set(f.phone, f);
    if (f.id_number !== null) byId.set(f.id_number, f);
    if (f.external_id !== null && f.channel !== null) byExt.set(extKey(f.channel, f.external_id), f);
  }
  const inserts: CleanRecord[] = [];
  const updates: CleanRecord[] = [];
  const updateIds: string[] = [];
  const targeted = new Set<string>();
  for (const r of recs) {
    const p = r.phone === null ? undefined : byPhone.get(r.phone);
    const i = r.idNumber === null ? undefined : byId.get(r.idNumber);
    const e = r.externalId === null ? undefined : byExt.get(extKey(r.channel, r.externalId));
    const target = p ?? i ?? e;
    if (target === undefined) {
      inserts.push(r);
      continue;
    }
    if (i !== undefined && i !== target) out.rejected.push(issue(r, 'idNumber', 'The ID number belongs to another customer than the phone'));
    else if (e !== undefined && e !== target) out.rejected.push(issue(r, 'externalId', 'The external id belongs to another customer'));
    else if (targeted.has(target.id)) out.rejected.push(issue(r, '', 'Another row of this batch already updates the same customer'));
    else if (target.import_fingerprint === fingerprint(r)) {
      targeted.add(target.id);
      out.unchanged++;
    } else {
      targeted.add(target.id);
      updates.push(r);
      updateIds.push(target.id);
    }
  }
  if (inserts.length) {
    const c = columns(inserts, uuidv7Batch(inserts.length, now.getTime()));
    const r = await sql`INSERT INTO customer (id, name, phone, id_number, birth_date, gender, email, address, category, channel, external_id,
        signup_date, monthly_charge_fen, tags, extras, import_fingerprint, created_at, updated_at)
      SELECT v.id, COALESCE(v.name, ''), v.phone, v.id_number, v.birth_date, v.gender, v.email, v.address, COALESCE(v.category, 'regular'),
        v.channel, v.external_id, v.signup_date, v.fee, ${TAGS}, v.extras, v.fp, ${now}::timestamptz, ${now}::timestamptz
      FROM ${unnestOf(c)}`.execute(db);
    out.inserted = Number(r.numAffectedRows ?? 0);
  }
  if (updates.length) {
    const c = columns(updates, updateIds);
    const r = await sql`UPDATE customer c SET
        name = COALESCE(NULLIF(v.name, ''), c.name), phone = COALESCE(c.phone, v.phone), id_number = COALESCE(c.id_number, v.id_number),
        birth_date = COALESCE(v.birth_date, c.birth_date), gender = COALESCE(v.gender, c.gender), email = COALESCE(v.email, c.email),
        address = COALESCE(v.address, c.address), category = COALESCE(v.category, c.category),
        channel = CASE WHEN c.external_id IS NULL THEN COALESCE(c.channel, v.channel) ELSE c.channel END,
        external_id = CASE WHEN c.external_id IS NULL AND (c.channel IS NULL OR c.channel = v.channel) THEN v.external_id ELSE c.external_id END,
        signup_date = COALESCE(v.signup_date, c.signup_date), monthly_charge_fen = COALESCE(v.fee, c.monthly_charge_fen),
        tags = CASE WHEN v.tags = '' THEN c.tags ELSE ${TAGS} END, extras = c.extras || v.extras, import_fingerprint = v.fp, updated_at = ${now}::timestamptz
      FROM ${unnestOf(c)} WHERE c.id = v.id`.execute(db);
    out.updated = Number(r.numAffectedRows ?? 0);
  }
  if (dups.length) out.merged = await merge(db, dups, now);
  return out;
}

/** Fills blanks of the customer an in-file duplicate repeats; counts the duplicates that filled something. */
async function merge(db: Executor, dups: readonly DuplicateRow[], now: Date): Promise<number> {
  let merged = 0;
  // One statement per key kind, each a plain equality join the unique index serves.
  const by = { phone: sql`c.phone = v.phone`, idNumber: sql`c.id_number = v.id_number`, externalId: sql`c.channel = v.channel AND c.external_id = v.external_id` };
  for (const kind of ['phone', 'idNumber', 'externalId'] as const) {
    const recs = dups.filter((d) => d.key === kind).map((d) => d.record);
    if (!recs.length) continue;
    const c = columns(recs, recs.map(() => '00000000-0000-0000-0000-000000000000'));
    const r = await sql`UPDATE customer c SET
        name = CASE WHEN c.name = '' THEN COALESCE(v.name, '') ELSE c.name END, email = COALESCE(c.email, v.email),
        birth_date = COALESCE(c.birth_date, v.birth_date), gender = COALESCE(c.gender, v.gender), address = COALESCE(c.address, v.address),
        signup_date = COALESCE(c.signup_date, v.signup_date), monthly_charge_fen = COALESCE(c.monthly_charge_fen, v.fee),
        tags = CASE WHEN cardinality(c.tags) = 0 THEN ${TAGS} ELSE c.tags END, updated_at = ${now}::timestamptz
      FROM ${unnestOf(c)}
      WHERE ${by[kind]}
        AND ((c.name = '' AND v.name IS NOT NULL) OR (c.email IS NULL AND v.email IS NOT NULL) OR (c.birth_date IS NULL AND v.birth_date IS NOT NULL)
          OR (c.gender IS NULL AND v.gender IS NOT NULL) OR (c.address IS NULL AND v.address IS NOT NULL)
          OR (c.signup_date IS NULL AND v.signup_date IS NOT NULL) OR (c.monthly_charge_fen IS NULL AND v.fee IS NOT NULL)
          OR (cardinality(c.tags) = 0 AND v.tags <> ''))`.execute(db);
    merged += Number(r.numAffectedRows ?? 0);
  }
  return merged;
}

/** Rejected rows of a job, batched; a re-run of a failed job skips rows already stored. */
export async function insertRejections(db: Executor, jobId: string, rows: readonly RejectedRow[]): Promise<void> {
  if (!rows.length) return;
  await sql`INSERT INTO import_rejection (job_id, row_no, issues, original)
    SELECT ${jobId}::uuid, * FROM unnest(${rows.map((r) => r.row)}::int[], ${rows.map((r) => JSON.stringify(r.issues))}::jsonb[], ${rows.map((r) => JSON.stringify(r.original))}::jsonb[])
    ON CONFLICT DO NOTHING`.execute(db);
}
