import type { TicketCategory, TicketPriority, TicketStatus } from './support.tables.js';

/** Time to resolution per priority. */
export const SLA_HOURS: Record<TicketPriority, number> = { urgent: 4, high: 8, normal: 24, low: 72 };
export const REOPEN_WINDOW_MS = 7 * 24 * 3600_000;

/** The priority a subscriber's ticket starts with (staff may change it). */
export const PRIORITY_BY_CATEGORY: Record<TicketCategory, TicketPriority> = {
  network: 'high', complaint: 'high', billing: 'normal', plan: 'normal', other: 'low',
};

export const slaDue = (createdAt: Date, priority: TicketPriority) => new Date(createdAt.getTime() + SLA_HOURS[priority] * 3600_000);

/** Staff moves; a subscriber only reopens (resolved → open) or closes. closed is final. */
const STAFF_MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};
export const canMove = (from: TicketStatus, to: TicketStatus) => STAFF_MOVES[from].includes(to);

/** Whether a resolved ticket may still be reopened at `now`. */
export const canReopen = (status: TicketStatus, resolvedAt: Date | null, now: Date) =>
  status === 'resolved' && !!resolvedAt && now.getTime() - resolvedAt.getTime() <= REOPEN_WINDOW_MS;

/** Breached: still unresolved past its due time, or resolved late. */
export function breached(t: { status: TicketStatus; sla_due_at: Date; resolved_at: Date | null; closed_at: Date | null }, now: Date): boolean {
  const end = t.status === 'open' || t.status === 'pending' ? now : (t.resolved_at ?? t.closed_at ?? now);
  return end.getTime() > t.sla_due_at.getTime();
}
