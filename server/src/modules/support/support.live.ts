import { EventEmitter } from 'node:events';
import type { TicketEvent } from '@telehall/contracts';

type Listener = (event: TicketEvent, staffOnly: boolean) => void;

/**
 * In-process fan-out of ticket events to open SSE streams. Events are
 * published after their transaction commits. With several API replicas this
 * would move to PostgreSQL LISTEN/NOTIFY; one process is the default here.
 */
export function createSupportLive() {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    publish(ticketId: string, event: TicketEvent, staffOnly = false) {
      bus.emit(ticketId, event, staffOnly);
    },
    subscribe(ticketId: string, listener: Listener): () => void {
      bus.on(ticketId, listener);
      return () => bus.off(ticketId, listener);
    },
  };
}
export type SupportLive = ReturnType<typeof createSupportLive>;
