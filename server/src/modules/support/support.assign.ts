import type { Executor } from '../../platform/db.js';
import '../identity/identity.tables.js';
import './support.tables.js';

/** Active agents with how many open/pending tickets each holds, in a stable order. */
export async function agentLoad(trx: Executor) {
  const rows = await trx
    .selectFrom('staff_user as s')
    .leftJoin('ticket as t', (j) => j.onRef('t.assignee_id', '=', 's.id').on('t.status', 'in', ['open', 'pending']))
    .select((eb) => ['s.id', 's.display_name', eb.fn.count<number>('t.id').as('open')])
    .where('s.role', '=', 'agent')
    .where('s.status', '=', 'active')
    .groupBy(['s.id', 's.display_name'])
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, openTickets: Number(r.open) }));
}

/**
 * Pick an agent for a new ticket per the settings row: round robin (the
 * agent after the last one picked) or least busy (fewest open tickets, ties
 * by id). Locks the settings row so concurrent tickets rotate properly.
 */
export async function pickAssignee(trx: Executor): Promise<string | null> {
  const setting = await trx.selectFrom('support_setting').selectAll().where('id', '=', 1).forUpdate().executeTakeFirst();
  if (!setting || setting.assignment === 'manual') return null;
  const agents = await agentLoad(trx);
  if (!agents.length) return null;
  let chosen: string;
  if (setting.assignment === 'least_busy') {
    chosen = [...agents].sort((a, b) => a.openTickets - b.openTickets || a.id.localeCompare(b.id))[0]!.id;
  } else {
    const next = agents.find((a) => setting.last_assigned_id !== null && a.id > setting.last_assigned_id);
    chosen = (next ?? agents[0]!).id;
  }
  await trx.updateTable('support_setting').set({ last_assigned_id: chosen }).where('id', '=', 1).execute();
  return chosen;
}
