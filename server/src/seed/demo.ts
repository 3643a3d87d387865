import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashPassword } from '../modules/identity/password.js';
import { TELCO_CHURN_MAPPING } from '../modules/imports/mapping.presets.js';
import type { Services } from '../services.js';
import { ensureLines, simulateUsage } from '../sim/populate.js';
import { seedDemoCampaigns } from './campaigns.js';
import { DEMO_PLANS, seedCatalog } from './catalog.js';
import { seedLoyalty } from './loyalty.js';

export const DEMO_SUBSCRIBERS = [
  { phone: '13800138000', name: '张伟', plan: 'smart39' },
  { phone: '13900139000', name: '李娜', plan: 'plus88' },
  { phone: '18612345678', name: 'Alex Chen', plan: 'basic19' },
] as const;
/** Lines in the demo, with three months of simulated usage. */
export const DEMO_LINES = 60;
const HISTORY_DAYS = 92;
export const DEMO_STAFF = [
  { username: 'agent', displayName: '王客服', role: 'agent' },
  { username: 'marketer', displayName: '刘营销', role: 'marketer' },
  { username: 'analyst', displayName: '陈分析', role: 'analyst' },
] as const;

/**
 * Demo data for an empty database: a few subscribers and one staff user per
 * role, sharing one generated password that is printed once and written to
 * DATA_DIR/demo-credentials.txt. Does nothing when customers already exist.
 */
export async function seedDemo(s: Services): Promise<boolean> {
  const any = await s.db.selectFrom('customer').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const password = `Demo-${s.ids.token(6)}`;
  const hash = await hashPassword(password);
  const now = s.clock.now();
  await s.db.transaction().execute(async (trx) => {
    for (const d of DEMO_SUBSCRIBERS) {
      const c = await s.customers.findOrCreateByPhone(trx, d.phone, d.name);
      await trx.insertInto('subscriber_account').values({ customer_id: c.id, phone: d.phone, password_hash: hash, locked_until: null, created_at: now }).execute();
    }
    for (const u of DEMO_STAFF) {
      await trx
        .insertInto('staff_user')
        .values({ id: s.ids.uuid(), username: u.username, display_name: u.displayName, password_hash: hash, role: u.role, locked_until: null, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('username').doNothing())
        .execute();
    }
  });
  // Catalog, lines opened three months ago, and their usage since.
  const actor = { kind: 'system' as const, id: null, name: 'demo-seed', ip: '', userAgent: '' };
  const planIds = await seedCatalog(s, actor);
  const openedAt = new Date(s.clock.now().getTime() - HISTORY_DAYS * 86_400_000);
  for (const d of DEMO_SUBSCRIBERS) {
    const c = await s.customers.findOrCreateByPhone(s.db, d.phone, d.name);
    const fee = DEMO_PLANS.find((p) => p.code === d.plan)!.monthlyFeeFen;
    await s.charging.openLine(actor, { customerId: c.id, msisdn: d.phone, planId: planIds.get(d.plan)!, creditLimitFen: 5000, openingBalanceFen: fee * 4 + 20_000, at: openedAt });
  }
  const t0 = Date.now();
  const lines = await ensureLines(s, actor, DEMO_LINES, { openedAt, seed: 2026, months: 4 });
  const t1 = Date.now();
  const sim = await simulateUsage(s, lines, { days: HISTORY_DAYS, seed: 2026 });
  const t2 = Date.now();
  await s.dispatcher.drain();
  // Points: rules, rewards, and points earned from top-ups through the real payment flow.
  const loyalty = await seedLoyalty(s, actor, DEMO_SUBSCRIBERS.map((d) => d.phone), 20);
  const t3 = Date.now();
  const models = await trainDemoModels(s);
  const t4 = Date.now();
  const telco = await importTelcoSample(s, actor);
  await seedDemoCampaigns(s, actor, DEMO_SUBSCRIBERS.map((d) => d.phone));
  s.log.info({ linesMs: t1 - t0, simulateMs: t2 - t1, behaviourMs: sim.actMs, ratingMs: sim.rateMs, drainMs: t3 - t2, modelsMs: t4 - t3, telcoMs: Date.now() - t4 }, 'demo seed timings');

  const text = [
    'Telehall demo accounts (password for all of them below)',
    `password: ${password}`,
    ...DEMO_SUBSCRIBERS.map((d) => `subscriber ${d.phone} (${d.name})`),
    ...DEMO_STAFF.map((u) => `staff ${u.username} (${u.role})`),
    '',
  ].join('\n');
  const file = path.join(s.config.dataDir, 'demo-credentials.txt');
  await writeFile(file, text, { mode: 0o600 });
  const a = sim.actions;
  console.log(`\n  Demo data loaded: ${lines.length} lines, ${sim.events} usage records over ${HISTORY_DAYS} days (${a?.addons ?? 0} add-on packs bought, ${a?.suspended ?? 0} lines ran dry, ${a?.topups ?? 0} top-ups, ${a?.closed ?? 0} lines closed), ${loyalty.payments} top-ups earning points, ${models} ${telco} customers from the IBM telco sample.\n  Demo accounts use password ${password} (see ${file})\n`);
  return true;
}

/**
 * A churn and a purchase model trained on the simulated history (labels from
 * the last complete cycle); training scores every customer. Returns a short
 * summary for the start-up message; a target without enough labels is skipped
 * with a warning (the console can train it later).
 */
async function trainDemoModels(s: Services): Promise<string> {
  const done: string[] = [];
  for (const target of ['churn', 'purchase'] as const) {
    try {
      const m = await s.analytics.trainModel('demo-seed', { target });
      done.push(`${target} model v${m.version} (F1 ${m.metrics.f1.toFixed(2)}, ${m.scored} customers scored)`);
    } catch (err) {
      s.log.warn({ err, target }, 'demo: model not trained');
    }
  }
  return done.length ? `${done.join(', ')},` : '';
}

/** The IBM "Telco Customer Churn" sample (7,043 rows), imported like any channel file: channel `ibm-telco`. */
export const TELCO_SAMPLE = path.resolve(import.meta.dirname, '../../seed-data/telco-customer-churn.csv');

async function importTelcoSample(s: Services, actor: { kind: 'system'; id: null; name: string; ip: string; userAgent: string }): Promise<number> {
  if (!existsSync(TELCO_SAMPLE)) return 0;
  const job = await s.imports.importFile(actor, TELCO_SAMPLE, 'ibm-telco', { ...TELCO_CHURN_MAPPING, channel: 'ibm-telco' });
  if (job.status !== 'done') s.log.warn({ error: job.error }, 'demo: the telco sample import failed');
  return job.totals.inserted;
}
