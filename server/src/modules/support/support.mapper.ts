import type { Ticket, TicketMessage } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import { breached, REOPEN_WINDOW_MS } from './support.rules.js';
import type { TicketMessageTable, TicketTable } from './support.tables.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toTicket(r: Selectable<TicketTable> & { assignee_name?: string | null }, now: Date): Ticket {
  return {
    id: r.id,
    customerId: r.customer_id,
    subject: r.subject,
    category: r.category,
    priority: r.priority,
    status: r.status,
    ref: r.ref_kind && r.ref_id ? { kind: r.ref_kind, id: r.ref_id } : null,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name ?? null,
    slaDueAt: r.sla_due_at.toISOString(),
    breached: breached(r, now),
    firstResponseAt: iso(r.first_response_at),
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    reopenableUntil: r.status === 'resolved' && r.resolved_at ? new Date(r.resolved_at.getTime() + REOPEN_WINDOW_MS).toISOString() : null,
    rating: r.rating,
    ratingComment: r.rating_comment,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function toTicketMessage(r: Selectable<TicketMessageTable>): TicketMessage {
  return {
    id: r.id, ticketId: r.ticket_id, authorKind: r.author_kind, authorName: r.author_name, body: r.body,
    internal: r.internal, createdAt: r.created_at.toISOString(), readAt: iso(r.read_at),
  };
}
