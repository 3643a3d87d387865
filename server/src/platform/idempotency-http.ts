import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Outcome } from './idempotency.js';

export const idempotencyKeyOf = (req: FastifyRequest): string | undefined => {
  const h = req.headers['idempotency-key'];
  return Array.isArray(h) ? h[0] : h;
};

/** Send a command's outcome, marking replays as the API promises. */
export function sendOutcome<T>(reply: FastifyReply, o: Outcome<T>) {
  if (o.replayed) void reply.header('idempotency-replayed', 'true');
  return reply.status(o.status).send(o.body);
}
