import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@telehall/contracts';
import { Type, type TSchema } from 'typebox';
import type { Services } from '../services.js';

/** A route module: receives the services it calls. */
export type RoutePlugin = FastifyPluginAsyncTypebox<{ services: Services }>;

/** Response schemas plus the shared error body for every 4xx. */
export const replies = <R extends Record<number, TSchema>>(r: R) => ({ ...r, '4xx': ErrorBody });

export const NoContent = Type.Null({ description: 'No content' });

declare module 'fastify' {
  interface FastifyInstance {
    /** Multiplier for per-IP auth limits (tests raise it; 1 in production). */
    authRateScale: number;
  }
}

/** Per-IP limit for an auth route (on top of the per-account rules). */
export const authLimit = (max: number) => ({
  rateLimit: { max: (req: FastifyRequest) => max * req.server.authRateScale, timeWindow: '1 minute' },
});
