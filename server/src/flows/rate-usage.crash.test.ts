import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { makeLine, makePlan } from '../../test/factories.js';
import { freePort } from '../../test/net.js';
import { startServerProcess } from '../../test/server-process.js';

describe('crash during ingestion', () => {
  let t: TestContext;
  let dataDir: string;
  before(async () => {
    t = await createTestContext();
    dataDir = mkdtempSync(path.join(tmpdir(), 'telehall-crash-'));
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 mid-stream, restart, re-send everything: each record charged exactly once', async () => {
    const plan = await makePlan(t.s, { monthlyFeeFen: 0, dataBytes: 50 * 1024 * 1024, dataFenPerGb: 1000, smsCount: 0, smsFenEach: 10 });
    const lines: Awaited<ReturnType<typeof makeLine>>[] = [];
    for (let i = 0; i < 40; i++) lines.push(await makeLine(t.s, plan.id, { balanceFen: 1_000_000 }));
    const token = await t.s.charging.createServiceToken('crash-test');
    const now = Date.now();
    const batches = Array.from({ length: 30 }, (_, b) =>
      Array.from({ length: 400 }, (_, i) => {
        const line = lines[(b * 400 + i) % lines.length]!;
        const sms = i % 4 === 0;
        return { id: `crash-${b}-${i}`, msisdn: line.msisdn, type: sms ? 'sms' : 'data', quantity: sms ? 1 : 1_000_000 + ((b * 7919 + i * 104729) % 9_000_000), startedAt: new Date(now - 3600_000 + b * 1000 + i).toISOString() };
      }),
    );
    const send = async (port: number, batch: unknown[]) => {
      const r = await fetch(`http://127.0.0.1:${port}/api/usage-events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(batch) });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return (await r.json()) as { accepted: number; duplicates: number };
    };

    const port = await freePort();
    const first = await startServerProcess(t.dbUrl, port, dataDir);
    // Fire batches without waiting, then kill the process in the middle of them.
    const inFlight = batches.map((b) => send(port, b).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 400));
    first.kill('SIGKILL');
    await Promise.all(inFlight);
    const { n: storedAtCrash } = await t.s.db.selectFrom('usage_event').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'like', 'crash-%').executeTakeFirstOrThrow();

    const port2 = await freePort();
    const second = await startServerProcess(t.dbUrl, port2, dataDir);
    let accepted = 0;
    let duplicates = 0;
    try {
      for (const b of batches) {
        const r = await send(port2, b);
        accepted += r.accepted;
        duplicates += r.duplicates;
      }
    } finally {
      second.kill('SIGTERM');
    }
    assert.ok(storedAtCrash < 12_000, `the crash came mid-stream (${storedAtCrash} stored)`);
    assert.equal(accepted + duplicates, 12_000);
    assert.equal(duplicates, storedAtCrash, 'what committed before the crash is recognised, nothing more');

    // Exactly once: every record stored once, its charge equals an independent re-rating, books balance.
    const { n } = await t.s.db.selectFrom('usage_event').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'like', 'crash-%').executeTakeFirstOrThrow();
    assert.equal(n, 12_000);
    const fees = await sql<{ fees: string; revenue: string }>`SELECT
      (SELECT sum(charge_fen) FROM usage_event WHERE id LIKE 'crash-%')::text AS fees,
      (SELECT coalesce(sum(e.amount), 0) FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id WHERE a.code LIKE 'revenue:overage:%')::text AS revenue`.execute(t.s.db);
    assert.equal(fees.rows[0]!.fees, fees.rows[0]!.revenue);
    const balances = await sql<{ spent: string }>`SELECT (40 * 1000000 - sum(a.balance))::text AS spent FROM ledger_account a JOIN line l ON l.id = a.line_id
      WHERE l.msisdn = ANY(${lines.map((l) => l.msisdn)}::text[])`.execute(t.s.db);
    assert.equal(balances.rows[0]!.spent, fees.rows[0]!.fees);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });
});
