import type { TicketDetail, TicketEvent } from '@telehall/contracts';

/** Fold one live event into a cached ticket (both apps use this). */
export function applyTicketEvent(d: TicketDetail, e: TicketEvent): TicketDetail {
  if (e.type === 'message') {
    if (d.messages.some((m) => m.id === e.message.id)) return d;
    return { ...d, messages: [...d.messages, e.message] };
  }
  if (e.type === 'ticket') return { ...d, ticket: e.ticket };
  // Read receipt: the other side has read what was written to them.
  const mine = e.by === 'staff' ? 'subscriber' : 'staff';
  return { ...d, messages: d.messages.map((m) => (m.authorKind === mine && !m.readAt && !m.internal ? { ...m, readAt: e.at } : m)) };
}
