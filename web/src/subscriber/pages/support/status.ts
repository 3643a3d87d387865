import type { TicketStatus } from '@telehall/contracts';

export const statusColor: Record<TicketStatus, string> = { open: 'primary', pending: 'warning', resolved: 'success', closed: 'default' };
