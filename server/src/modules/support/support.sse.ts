import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SupportLive } from './support.live.js';

const open = new Set<FastifyReply>();

/**
 * Stream a ticket's live events as Server-Sent Events on the raw response.
 * Subscribers' streams drop staff-only events (internal notes).
 */
export function streamTicket(req: FastifyRequest, reply: FastifyReply, live: SupportLive, ticketId: string, staff: boolean): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': req.id,
  });
  res.write('retry: 2000\n: connected\n\n');
  open.add(reply);
  const off = live.subscribe(ticketId, (event, staffOnly) => {
    if (staffOnly && !staff) return;
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  const done = () => {
    off();
    clearInterval(ping);
    open.delete(reply);
  };
  req.raw.on('close', done);
  res.on('close', done);
}

/** End every open stream (server shutdown). */
export function closeStreams(): void {
  for (const r of open) r.raw.end();
  open.clear();
}
