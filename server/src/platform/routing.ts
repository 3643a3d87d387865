import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@telehall/contracts';
import { Type, type TSchema } from 'typebox';
import type { Services } from '../services.js';

/** A route module: receives the services it calls. */
export type RoutePlugin = FastifyPluginAsyncTypebox<{ services: Services }>;

/** Response schemas plus the shared error body for every 4xx. */
export const replies = <R extends Record<number, TSchema>>(r: R) => ({ ...r, '4xx': ErrorBody });

export const NoContent = Type.Null({ description: 'No content' });

/** Per-IP limit for an auth route (on top of the per-account rules). */
export const authLimit = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });
