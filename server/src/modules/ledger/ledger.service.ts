import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import type { AccountKind, Asset } from './ledger.tables.js';
import './ledger.tables.js';

/** Money moves from one account to another; amounts are positive integers. */
export interface Posting {
  from: string;
  to: string;
  amount: number;
}

export interface TxInput {
  kind: string;
  lineId?: string | null;
  reference?: string | null;
  memo?: string;
  reversesTxId?: string | null;
  postings: Posting[];
}

/** System accounts every deployment has; created on first use. */
export const SYSTEM_ACCOUNTS = {
  planFee: { code: 'revenue:plan_fee', kind: 'revenue' },
  addon: { code: 'revenue:addon', kind: 'revenue' },
  overageData: { code: 'revenue:overage:data', kind: 'revenue' },
  overageVoice: { code: 'revenue:overage:voice', kind: 'revenue' },
  overageSms: { code: 'revenue:overage:sms', kind: 'revenue' },
  staffAdjustment: { code: 'adjustment:staff', kind: 'adjustment' },
  openingBalance: { code: 'system:opening_balance', kind: 'system' },
} as const satisfies Record<string, { code: string; kind: AccountKind }>;
export type SystemAccount = keyof typeof SYSTEM_ACCOUNTS;

/**
 * Double-entry ledger. Each transaction's entries sum to zero; entries are
 * append-only (the database refuses changes), and mistakes are corrected by
 * reversing transactions. Accounts that belong to a line keep a `balance`
 * column updated in the same transaction; `verify` proves it equals the
 * entries. System accounts (revenue, clearing) are summed from entries when
 * read, so they never become a hot row that serialises every posting.
 */
export function createLedger({ db, clock, ids }: { db: Db; clock: Clock; ids: Ids }) {
  const systemIds = new Map<string, string>();

  /**
   * The id of a system account, created when missing. An id is cached only
   * once its row is committed: caching one created inside a transaction that
   * later rolls back would hand out an account that does not exist.
   */
  async function systemAccount(trx: Executor, name: SystemAccount | { code: string; kind: AccountKind }, asset: Asset = 'CNY'): Promise<string> {
    const def = typeof name === 'string' ? SYSTEM_ACCOUNTS[name] : name;
    const code = asset === 'CNY' ? def.code : `${def.code}:${asset}`;
    const cached = systemIds.get(code);
    if (cached) return cached;
    const find = () => sql<{ id: string; mine: boolean }>`SELECT id, xmin = pg_current_xact_id()::xid AS mine FROM ledger_account WHERE code = ${code}`.execute(trx);
    let row = (await find()).rows[0];
    if (!row) {
      await trx.insertInto('ledger_account').values({ id: ids.uuid(), code, asset, kind: def.kind, line_id: null }).onConflict((oc) => oc.column('code').doNothing()).execute();
      row = (await find()).rows[0]!;
    }
    if (!row.mine) systemIds.set(code, row.id);
    return row.id;
  }

  interface Entry {
    account: string;
    amount: number;
  }

  /** Write transactions and their entries with set-based statements (the rating hot path). */
  async function write(trx: Executor, txs: { meta: Omit<TxInput, 'postings'>; entries: Entry[] }[]): Promise<string[]> {
    if (!txs.length) return [];
    const now = clock.now();
    const tx = { id: [] as string[], kind: [] as string[], line: [] as (string | null)[], ref: [] as (string | null)[], memo: [] as string[], rev: [] as (string | null)[] };
    const en = { tx: [] as string[], account: [] as string[], amount: [] as number[] };
    const delta = new Map<string, number>();
    for (const t of txs) {
      const id = ids.uuid();
      tx.id.push(id);
      tx.kind.push(t.meta.kind);
      tx.line.push(t.meta.lineId ?? null);
      tx.ref.push(t.meta.reference ?? null);
      tx.memo.push(t.meta.memo ?? '');
      tx.rev.push(t.meta.reversesTxId ?? null);
      let sum = 0;
      for (const e of t.entries) {
        en.tx.push(id);
        en.account.push(e.account);
        en.amount.push(e.amount);
        delta.set(e.account, (delta.get(e.account) ?? 0) + e.amount);
        sum += e.amount;
      }
      if (sum !== 0) throw new Error(`ledger transaction ${t.meta.kind} does not balance (${sum})`);
    }
    // One statement (one round trip): the transactions, their entries, and the
    // maintained balances of line accounts. The entries' foreign keys are
    // checked at the end of the statement, after the transactions are in.
    const accounts = [...delta.keys()].filter((a) => delta.get(a) !== 0).sort();
    await sql`WITH t AS (
        INSERT INTO ledger_tx (id, kind, line_id, reference, memo, reverses_tx_id, created_at)
        SELECT *, ${now}::timestamptz FROM unnest(${tx.id}::uuid[], ${tx.kind}::text[], ${tx.line}::uuid[], ${tx.ref}::text[], ${tx.memo}::text[], ${tx.rev}::uuid[])
      ), e AS (
        INSERT INTO ledger_entry (tx_id, account_id, amount, created_at)
        SELECT *, ${now}::timestamptz FROM unnest(${en.tx}::uuid[], ${en.account}::uuid[], ${en.amount}::bigint[])
      )
      UPDATE ledger_account a SET balance = a.balance + d.delta
      FROM unnest(${accounts}::uuid[], ${accounts.map((a) => delta.get(a)!)}::bigint[]) AS d(id, delta)
      WHERE a.id = d.id AND a.line_id IS NOT NULL`.execute(trx);
    return tx.id;
  }

  /** Post many balanced transactions at once. */
  function postMany(trx: Executor, txs: TxInput[]): Promise<string[]> {
    return write(
      trx,
      txs.map(({ postings, ...meta }) => ({
        meta,
        entries: postings.flatMap((p) => {
          if (!Number.isSafeInteger(p.amount) || p.amount <= 0) throw new Error(`posting amount must be a positive integer, got ${p.amount}`);
          if (p.from === p.to) throw new Error('a posting needs two different accounts');
          return [{ account: p.from, amount: -p.amount }, { account: p.to, amount: p.amount }];
        }),
      })),
    );
  }

  return {
    systemAccount,
    postMany,

    /** Post one balanced transaction; returns its id. */
    async post(trx: Executor, t: TxInput): Promise<string> {
      const [id] = await postMany(trx, [t]);
      return id!;
    },

    /** Open the money account of a new line. */
    async openLineAccount(trx: Executor, lineId: string, asset: Asset = 'CNY'): Promise<string> {
      const id = ids.uuid();
      await trx.insertInto('ledger_account').values({ id, code: `line:${lineId}:${asset}`, asset, kind: asset === 'CNY' ? 'line_balance' : 'points', line_id: lineId }).execute();
      return id;
    },

    async lineAccount(trx: Executor, lineId: string, asset: Asset = 'CNY'): Promise<{ id: string; balance: number }> {
      const row = await trx.selectFrom('ledger_account').select(['id', 'balance']).where('code', '=', `line:${lineId}:${asset}`).executeTakeFirst();
      if (!row) throw notFound('account');
      return row;
    },

    /**
     * Reverse a transaction with a new one moving every amount back.
     * @throws conflict `already_reversed`, not_found
     */
    async reverse(trx: Executor, txId: string, memo: string): Promise<string> {
      const orig = await trx.selectFrom('ledger_tx').selectAll().where('id', '=', txId).executeTakeFirst();
      if (!orig) throw notFound('ledger_tx');
      const done = await trx.selectFrom('ledger_tx').select('id').where('reverses_tx_id', '=', txId).executeTakeFirst();
      if (done) throw new AppError('conflict', 'already_reversed', 'This transaction was already reversed');
      const entries = await trx.selectFrom('ledger_entry').select(['account_id', 'amount']).where('tx_id', '=', txId).execute();
      const [id] = await write(trx, [{
        meta: { kind: `${orig.kind}.reversal`, lineId: orig.line_id, reference: orig.reference, memo, reversesTxId: txId },
        entries: entries.map((e) => ({ account: e.account_id, amount: -e.amount })),
      }]);
      return id!;
    },

    /** A line's money entries, newest first (the console's ledger view). */
    async lineEntries(lineId: string, q: { limit?: number; cursor?: string }) {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('ledger_entry as e').innerJoin('ledger_tx as t', 't.id', 'e.tx_id').innerJoin('ledger_account as a', 'a.id', 'e.account_id')
        .select(['e.id', 'e.amount', 'e.created_at', 't.id as tx_id', 't.kind', 't.memo', 't.reference'])
        .where('a.code', '=', `line:${lineId}:CNY`).orderBy('e.id', 'desc').limit(limit + 1);
      if (q.cursor) {
        const n = Number(Buffer.from(q.cursor, 'base64url').toString('utf8'));
        if (!Number.isSafeInteger(n)) throw new AppError('invalid_data', 'invalid_cursor', 'The cursor is not valid');
        query = query.where('e.id', '<', n);
      }
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({ txId: r.tx_id, kind: r.kind, memo: r.memo, amount: { amount: r.amount, currency: 'CNY' as const }, createdAt: r.created_at.toISOString(), reference: r.reference })),
        nextCursor: rows.length > limit ? Buffer.from(String(page.at(-1)!.id)).toString('base64url') : null,
      };
    },

    /** Entry sum of any account (system accounts have no maintained balance). */
    async sumOf(accountId: string): Promise<number> {
      const r = await db.selectFrom('ledger_entry').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('s')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
      return Number(r.s);
    },

    /**
     * Prove the books: every transaction sums to zero, all entries sum to zero,
     * and every maintained balance equals its entries. Returns the problems found.
     */
    async verify(): Promise<string[]> {
      const problems: string[] = [];
      const unbalanced = await sql<{ tx_id: string; s: string }>`SELECT tx_id, sum(amount)::text AS s FROM ledger_entry GROUP BY tx_id HAVING sum(amount) <> 0 LIMIT 10`.execute(db);
      for (const r of unbalanced.rows) problems.push(`transaction ${r.tx_id} sums to ${r.s}`);
      const drift = await sql<{ code: string; balance: number; s: string }>`
        SELECT a.code, a.balance, coalesce(e.s, 0)::text AS s
        FROM ledger_account a LEFT JOIN (SELECT account_id, sum(amount) AS s FROM ledger_entry GROUP BY account_id) e ON e.account_id = a.id
        WHERE a.line_id IS NOT NULL AND a.balance <> coalesce(e.s, 0) LIMIT 10`.execute(db);
      for (const r of drift.rows) problems.push(`account ${r.code} balance ${r.balance} but entries sum to ${r.s}`);
      return problems;
    },
  };
}
export type Ledger = ReturnType<typeof createLedger>;
