import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { CleanRecord, RejectedRow } from './imports.types.js';
import '../customers/customers.tables.js';
import './imports.tables.js';

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
/** One of the job's two UNLOGGED staging tables (an identifier: the job id's hex digits and the table's turn). */
export function stageTable(jobId: string, turn: number): string {
  const hex = jobId.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a uuid: ${jobId}`);
  return `import_stage_${hex}_${turn}`;
}

/** Staged row kinds: a record to upsert, or an in-file duplicate that fills blanks of the customer holding its key. */
export const STAGE_KIND = { record: 0, phone: 1, idNumber: 2, externalId: 3 } as const;

/** The customer columns a record's COPY body fills, in order: the same body goes into customer directly or into staging. */
const BODY_COLUMNS = 'id, name, phone, id_number, birth_date, gender, email, address, category, channel, external_id, signup_date, monthly_charge_fen, tags, extras, import_fingerprint, created_at, updated_at';
const STAGE_BODY = 'id, name, phone, id_number, birth_date, gender, email, address, category, channel, external_id, signup_date, fee, tags, extras, fp, created_at, updated_at';
const STAGE_COLUMNS = `kind, row_no, ${STAGE_BODY}, category_given`;

/** DDL of a job's staging table: no indexes, no WAL, no autovacuum; truncated for every chunk. */
export function createStageSql(table: string): string {
  return `CREATE UNLOGGED TABLE IF NOT EXISTS ${table} (kind smallint NOT NULL, row_no integer NOT NULL, id uuid, name text NOT NULL, phone text, id_number text,
    birth_date date, gender text, email text, address text, category text NOT NULL, channel text NOT NULL, external_id text, signup_date date, fee bigint,
    tags text[] NOT NULL, extras jsonb NOT NULL, fp text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, category_given boolean NOT NULL)
    WITH (autovacuum_enabled = false)`;
}

export const copyStageSql = (table: string) => `COPY ${table} (${STAGE_COLUMNS}) FROM STDIN`;
/** COPY of record bodies straight into customer: succeeds only if no record matches an existing customer by any natural key (all three are unique). */
export const copyCustomerSql = `COPY customer (${BODY_COLUMNS}) FROM STDIN`;

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** One value in COPY text format. */
function cv(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : v;
}

/** A text[] literal of the tags (elements quoted), before COPY escaping. */
function arrayLiteral(tags: readonly string[]): string {
  if (tags.length === 0) return '{}';
  let s = '{';
  for (let i = 0; i < tags.length; i++) s += `${i ? ',' : ''}"${tags[i]!.replace(/["\\]/g, '\\$&')}"`;
  return `${s}}`;
}

/**
 * A record as a customer row in COPY text format, without the line end:
 * `id` is the new customer's UUIDv7 (null for in-file duplicates), a missing
 * name is '' and a missing category 'regular' (the table's rules), tags a
 * text[] literal, extras JSON, the fingerprint (records only), `at` the
 * created/updated time (ISO).
 */
export function recordBody(r: CleanRecord, id: string | null, at: string): string {
  return `${cv(id)}\t${cv(r.name ?? '')}\t${cv(r.phone)}\t${cv(r.idNumber)}\t${cv(r.birthDate)}\t${cv(r.gender)}\t${cv(r.email)}\t${cv(r.address)}\t${cv(r.category ?? 'regular')}\t${cv(r.channel)}\t${cv(r.externalId)}\t${cv(r.signupDate)}\t${cv(r.monthlyChargeFen)}\t${cv(arrayLiteral(r.tags))}\t${cv(JSON.stringify(r.extras))}\t${id === null ? '\\N' : fingerprint(r)}\t${at}\t${at}`;
}

/** The staging line of a record body: its kind and row number before, whether the file gave a category after. */
export function stageLine(kind: number, r: CleanRecord, body: string): string {
  return `${kind}\t${r.row}\t${body}\t${r.category === null ? 'f' : 't'}\n`;
}


/**
 * The set-based upsert of a staged chunk's records, one statement: each record
 * is matched against customer by phone, ID number and channel + external id
 * (three index probes); no match → INSERT … SELECT; keys pointing at two
 * different customers → rejected (`conflicts_with_existing`); a customer
 * already targeted by an earlier row of the chunk → rejected; same
 * fingerprint → unchanged; otherwise UPDATE … FROM: non-empty imported values
 * overwrite, keys only fill blanks, so a key never moves between customers.
 * Returns the counts and the rejected rows.
 */
export function mergeStageSql(table: string, now: Date): { text: string; values: unknown[] } {
  const text = `WITH c AS MATERIALIZED (
    SELECT s.*, COALESCE(p.id, i.id, e.id) AS tid,
      CASE WHEN p.id IS NOT NULL THEN p.import_fingerprint WHEN i.id IS NOT NULL THEN i.import_fingerprint ELSE e.import_fingerprint END AS tfp,
      CASE WHEN p.id IS NULL AND i.id IS NULL AND e.id IS NULL THEN 'insert'
        WHEN i.id IS NOT NULL AND i.id <> COALESCE(p.id, i.id) THEN 'conflict_id'
        WHEN e.id IS NOT NULL AND e.id <> COALESCE(p.id, i.id, e.id) THEN 'conflict_ext' ELSE 'match' END AS a
    FROM ${table} s
    LEFT JOIN customer p ON p.phone = s.phone
    LEFT JOIN customer i ON i.id_number = s.id_number
    LEFT JOIN customer e ON e.channel = s.channel AND e.external_id = s.external_id
    WHERE s.kind = 0),
  t AS (SELECT c.*, row_number() OVER (PARTITION BY tid ORDER BY row_no) AS rn FROM c WHERE a = 'match'),
  ins AS (INSERT INTO customer (id, name, phone, id_number, birth_date, gender, email, address, category, channel, external_id,
        signup_date, monthly_charge_fen, tags, extras, import_fingerprint, created_at, updated_at)
      SELECT v.id, v.name, v.phone, v.id_number, v.birth_date, v.gender, v.email, v.address, v.category,
        v.channel, v.external_id, v.signup_date, v.fee, v.tags, v.extras, v.fp, $1, $1
      FROM c v WHERE v.a = 'insert' RETURNING 1),
  upd AS (UPDATE customer c SET
        name = COALESCE(NULLIF(v.name, ''), c.name), phone = COALESCE(c.phone, v.phone), id_number = COALESCE(c.id_number, v.id_number),
        birth_date = COALESCE(v.birth_date, c.birth_date), gender = COALESCE(v.gender, c.gender), email = COALESCE(v.email, c.email),
        address = COALESCE(v.address, c.address), category = CASE WHEN v.category_given THEN v.category ELSE c.category END,
        channel = CASE WHEN c.external_id IS NULL THEN COALESCE(c.channel, v.channel) ELSE c.channel END,
        external_id = CASE WHEN c.external_id IS NULL AND (c.channel IS NULL OR c.channel = v.channel) THEN v.external_id ELSE c.external_id END,
        signup_date = COALESCE(v.signup_date, c.signup_date), monthly_charge_fen = COALESCE(v.fee, c.monthly_charge_fen),
        tags = CASE WHEN cardinality(v.tags) = 0 THEN c.tags ELSE v.tags END, extras = c.extras || v.extras, import_fingerprint = v.fp, updated_at = $1
      FROM t v WHERE v.rn = 1 AND v.tfp IS DISTINCT FROM v.fp AND c.id = v.tid RETURNING 1)
  SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated,
    (SELECT count(*) FROM t WHERE rn = 1 AND tfp = fp)::int AS unchanged,
    (SELECT COALESCE(json_agg(json_build_array(row_no, x) ORDER BY row_no), '[]'::json)
       FROM (SELECT row_no, a AS x FROM c WHERE a LIKE 'conflict%' UNION ALL SELECT row_no, 'conflict_batch' FROM t WHERE rn > 1) r) AS rejected`;
  return { text, values: [now] };
}

const CONFLICT_MESSAGES: Record<string, [column: string, message: string]> = {
  conflict_id: ['idNumber', 'The ID number belongs to another customer than the phone'],
  conflict_ext: ['externalId', 'The external id belongs to another customer'],
  conflict_batch: ['', 'Another row of this chunk already updates the same customer'],
};

/** The rejected rows a merge returned, as report rows. */
export function mergeRejections(rows: readonly [number, string][]): RejectedRow[] {
  return rows.map(([row, a]) => {
    const [column, message] = CONFLICT_MESSAGES[a] ?? ['', a];
    return { row, issues: [{ column, code: 'conflicts_with_existing' as never, message }], original: {} };
  });
}

const DUP_KEYS: Record<number, { on: string; key: string }> = {
  [STAGE_KIND.phone]: { on: 'c.phone = v.phone', key: 'phone' },
  [STAGE_KIND.idNumber]: { on: 'c.id_number = v.id_number', key: 'id_number' },
  [STAGE_KIND.externalId]: { on: 'c.channel = v.channel AND c.external_id = v.external_id', key: 'channel, external_id' },
};

/** How many repeats of one key a staged chunk holds at most, per duplicate kind: the rounds {@link mergeDuplicatesSql} needs. */
export function duplicateRoundsSql(table: string): string {
  return `SELECT kind, max(n)::int AS rounds FROM (SELECT kind, count(*) AS n FROM ${table} WHERE kind > 0
    GROUP BY kind, phone, id_number, channel, external_id) g GROUP BY kind`;
}

/**
 * In-file duplicates fill blanks of the customer that holds their key (the
 * earlier row's, committed by now or by the chunk's upsert statement before):
 * one statement per key kind and round — round r applies each key's r-th
 * repeat in file order, so three repeats of one phone all count, exactly as
 * row-by-row application would. Each an equality join the unique index
 * serves; the row count is the repeats that filled something.
 */
export function mergeDuplicatesSql(table: string, now: Date, kind: number, round: number): { text: string; values: unknown[] } {
  const { on, key } = DUP_KEYS[kind]!;
  return {
    text: `UPDATE customer c SET
        name = CASE WHEN c.name = '' THEN v.name ELSE c.name END, email = COALESCE(c.email, v.email),
        birth_date = COALESCE(c.birth_date, v.birth_date), gender = COALESCE(c.gender, v.gender), address = COALESCE(c.address, v.address),
        signup_date = COALESCE(c.signup_date, v.signup_date), monthly_charge_fen = COALESCE(c.monthly_charge_fen, v.fee),
        tags = CASE WHEN cardinality(c.tags) = 0 THEN v.tags ELSE c.tags END, updated_at = $1
      FROM (SELECT * FROM (SELECT s.*, row_number() OVER (PARTITION BY ${key} ORDER BY row_no) AS rk FROM ${table} s WHERE kind = ${kind}) d WHERE rk = $2) v
      WHERE ${on}
        AND ((c.name = '' AND v.name <> '') OR (c.email IS NULL AND v.email IS NOT NULL) OR (c.birth_date IS NULL AND v.birth_date IS NOT NULL)
          OR (c.gender IS NULL AND v.gender IS NOT NULL) OR (c.address IS NULL AND v.address IS NOT NULL)
          OR (c.signup_date IS NULL AND v.signup_date IS NOT NULL) OR (c.monthly_charge_fen IS NULL AND v.fee IS NOT NULL)
          OR (cardinality(c.tags) = 0 AND cardinality(v.tags) > 0))`,
    values: [now, round],
  };
}

/** Rejected rows of a job, batched; a re-run of a failed job skips rows already stored. */
export async function insertRejections(db: Executor, jobId: string, rows: readonly RejectedRow[]): Promise<void> {
  if (!rows.length) return;
  await sql`INSERT INTO import_rejection (job_id, row_no, issues, original)
    SELECT ${jobId}::uuid, * FROM unnest(${rows.map((r) => r.row)}::int[], ${rows.map((r) => JSON.stringify(r.issues))}::jsonb[], ${rows.map((r) => JSON.stringify(r.original))}::jsonb[])
    ON CONFLICT DO NOTHING`.execute(db);
}
