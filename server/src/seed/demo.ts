import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashPassword } from '../modules/identity/password.js';
import type { Services } from '../services.js';

export const DEMO_SUBSCRIBERS = [
  { phone: '13800138000', name: '张伟' },
  { phone: '13900139000', name: '李娜' },
  { phone: '18612345678', name: 'Alex Chen' },
] as const;
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
  const text = [
    'Telehall demo accounts (password for all of them below)',
    `password: ${password}`,
    ...DEMO_SUBSCRIBERS.map((d) => `subscriber ${d.phone} (${d.name})`),
    ...DEMO_STAFF.map((u) => `staff ${u.username} (${u.role})`),
    '',
  ].join('\n');
  const file = path.join(s.config.dataDir, 'demo-credentials.txt');
  await writeFile(file, text, { mode: 0o600 });
  console.log(`\n  Demo data loaded. Demo accounts use password ${password} (see ${file})\n`);
  return true;
}
