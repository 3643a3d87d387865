/**
 * What simulated subscribers do besides using their lines, through the same
 * flows the app and the console call, at the simulated time:
 * - toppers (and, rarely, others) buy a data pack when less than a fifth of
 *   their data allowance is left (flows/buy-addon.ts, as the subscriber);
 * - lapsing lines run out of balance at a cycle fee and are suspended by the
 *   charging core; some then top up (payment + signed sandbox callback, which
 *   reactivates the line), the others close the line after a while;
 * - leavers close their line on a day of their own.
 * Closing goes through the charging flows' closeLine (closed_at, line.closed).
 */
import { sql } from 'kysely';
import { AppError } from '../platform/errors.js';
import type { ManualClock } from '../platform/clock.js';
import type { Actor } from '../modules/audit/audit.service.js';
import type { SandboxGateway } from '../modules/payments/gateway.js';
import type { Services } from '../services.js';
import { rng, type SimLine } from './usage-sim.js';

interface State {
  line: SimLine;
  r: () => number;
  /** Day the suspension was first seen. */
  suspendedSince?: number;
  /** Whether this lapse ends in a top-up (else the line is closed). */
  topUpIntent: boolean;
  wait: number;
  leaveDay: number;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export async function createBehaviour(sim: Services, clock: ManualClock, lines: SimLine[], opts: { seed: number; days: number }) {
  const counts = { addons: 0, topups: 0, suspended: 0, closed: 0 };
  const states = new Map<string, State>();
  for (const line of lines) {
    const r = rng(opts.seed ^ hash(line.msisdn) ^ 0x5eed);
    states.set(line.msisdn, { line, r, topUpIntent: r() < 0.4, wait: 3 + Math.floor(r() * 25), leaveDay: 10 + Math.floor(r() * Math.max(1, opts.days - 12)) });
  }
  const addons = new Map((await sim.catalog.addons({})).map((a) => [a.code, a.id]));
  const msisdns = lines.map((l) => l.msisdn);
  const subscriber = (customerId: string): Actor => ({ kind: 'subscriber', id: customerId, name: 'simulated subscriber', ip: '', userAgent: 'telehall-sim' });
  const expected = (err: unknown) => err instanceof AppError && err.status < 500;

  async function topUp(customerId: string, lineId: string, amount: number, ref: string) {
    const created = await sim.paymentFlows.create(subscriber(customerId), customerId, { lineId, amount, method: 'qr' });
    const body = JSON.stringify({ paymentId: created.body.payment.id, providerRef: ref, amount, currency: 'CNY', status: 'succeeded', sentAt: clock.now().toISOString() });
    await sim.paymentFlows.callback('sandbox', body, (sim.payments.provider as SandboxGateway).sign(body), '127.0.0.1');
  }

  /** The evening of day `day` (0 = the first): act, and return the lines that make usage that day. */
  async function day(day: number): Promise<SimLine[]> {
    const now = clock.now();
    const rows = await sql<{ id: string; msisdn: string; customer_id: string; status: string; fee: number; total: number | null; left: number | null }>`
      SELECT l.id, l.msisdn, l.customer_id, l.status, p.monthly_fee_fen::int AS fee, d.total, d.left
        FROM line l JOIN plan p ON p.id = l.plan_id
        LEFT JOIN LATERAL (SELECT sum(b.total)::float8 AS total, sum(b.total - b.used)::float8 AS left FROM allowance_bucket b
                            WHERE b.line_id = l.id AND b.kind = 'data' AND b.starts_at <= ${now} AND b.expires_at > ${now}) d ON true
       WHERE l.msisdn = ANY(${msisdns}::text[]) AND l.status <> 'closed'`.execute(sim.db);
    const active: SimLine[] = [];
    for (const row of rows.rows) {
      const st = states.get(row.msisdn)!;
      const b = st.line.behaviour ?? 'steady';
      const who = subscriber(row.customer_id);
      try {
        if (b === 'leaver' && day >= st.leaveDay) {
          await sim.charging.closeLine(who, { customerId: row.customer_id, lineId: row.id, reason: 'moved_to_another_operator' });
          counts.closed++;
          continue;
        }
        if (row.status === 'suspended') {
          if (st.suspendedSince === undefined) {
            st.suspendedSince = day;
            counts.suspended++;
          }
          if (day - st.suspendedSince >= st.wait) {
            if (st.topUpIntent) {
              await topUp(row.customer_id, row.id, Math.ceil((row.fee * 2 + 2000) / 1000) * 1000, `sim-${row.msisdn}-${day}`);
              counts.topups++;
              st.suspendedSince = undefined;
              st.topUpIntent = st.r() < 0.4;
              st.wait = 3 + Math.floor(st.r() * 25);
            } else {
              await sim.charging.closeLine(who, { customerId: row.customer_id, lineId: row.id, reason: 'stopped_paying' });
              counts.closed++;
            }
          }
          continue;
        }
        const low = row.total && row.left !== null ? row.left / row.total : 1;
        if ((b === 'topper' && low < 0.2 && st.r() < 0.7) || (b !== 'topper' && low < 0.1 && st.r() < 0.05)) {
          const code = st.line.profile === 'heavy' ? (st.r() < 0.5 ? 'data10g' : 'data5g') : (['data1g', 'data5g', 'data2g7d'] as const)[Math.floor(st.r() * 3)]!;
          const addonId = addons.get(code);
          if (addonId) {
            await sim.charging.buyAddon(who, { customerId: row.customer_id, lineId: row.id, addonId });
            counts.addons++;
          }
        }
      } catch (err) {
        // The rules said no (not enough balance, suspended meanwhile): a real subscriber would see the same answer.
        if (!expected(err)) throw err;
      }
      active.push(st.line);
    }
    return active;
  }

  return { day, counts };
}
