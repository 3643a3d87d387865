import { existsSync } from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Redis } from 'ioredis';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { customerRoutes } from './modules/customers/customers.routes.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { orderRoutes } from './modules/orders/orders.routes.js';
import { chargingRoutes } from './modules/charging/charging.routes.js';
import { linesAdminRoutes } from './modules/lines/lines.admin.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { supportAdminRoutes } from './modules/support/support.admin.routes.js';
import { supportRoutes } from './modules/support/support.routes.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import { staffRoutes } from './modules/identity/staff.routes.js';
import { paymentRoutes } from './modules/payments/payments.routes.js';
import { sandboxRoutes } from './modules/payments/sandbox.routes.js';
import { billingRoutes } from './modules/billing/billing.routes.js';
import { loyaltyAdminRoutes, loyaltyRoutes } from './modules/loyalty/loyalty.routes.js';
import { campaignRoutes } from './modules/campaigns/campaigns.routes.js';
import { registerAuth } from './platform/auth.js';
import { registerErrorHandler } from './platform/error-handler.js';
import { registerMetrics } from './platform/metrics.js';
import { migrationsApplied } from './platform/migrate.js';
import type { Services } from './services.js';

export interface AppOptions {
  /** Per-IP limit multiplier for auth routes (tests raise it). */
  rateLimitScale?: number;
}

/** The HTTP application: plugins, security, docs, routes and the two web apps. */
export async function buildApp(s: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = s.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: s.config.bodyLimitBytes,
    trustProxy: process.env.TELEHALL_TRUST_PROXY === '1',
    genReqId: () => s.ids.uuid(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandler(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  const scale = opts.rateLimitScale ?? 1;
  // With REDIS_URL the limits are shared by every replica; otherwise they live in this process.
  const redis = s.config.redisUrl ? new Redis(s.config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }) : undefined;
  if (redis) {
    redis.on('error', (err) => s.log.warn({ err }, 'redis'));
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => undefined);
    });
  }
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'telehall-rl:', skipOnError: true } : {}),
    keyGenerator: (req) => req.ip,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
      details: { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) },
    }),
  });
  app.decorate('authRateScale', scale);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Telehall API', version: '0.1.0', description: 'Operator customer platform: self-service, CRM, charging and ledger.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuth(app, {
    clock: s.clock,
    access: s.access,
    sessionActive: (sid, kind, id) => s.sessions.isActive(sid, kind, id),
    subscriberSession: (sid, id) => s.subscriberAuth.sessionStatus(sid, id),
    staffCurrent: (id) => s.staff.current(id),
    serviceToken: (token) => s.charging.serviceName(token),
  });
  registerMetrics(app);

  app.get('/health', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true }, logLevel: 'warn' }, async (_req, reply) => {
    try {
      const ok = await migrationsApplied(s.pool);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'migrations_pending' });
    } catch {
      return reply.status(503).send({ status: 'database_unreachable' });
    }
  });

  await app.register(identityRoutes, { services: s });
  await app.register(staffRoutes, { services: s });
  await app.register(auditRoutes, { services: s });
  await app.register(catalogRoutes, { services: s });
  await app.register(chargingRoutes, { services: s });
  await app.register(linesAdminRoutes, { services: s });
  await app.register(notificationRoutes, { services: s });
  await app.register(paymentRoutes, { services: s });
  // The sandbox gateway signs callbacks for whoever presses Pay: test mode only.
  if (s.config.sandboxGateway) await app.register(sandboxRoutes, { services: s });
  await app.register(billingRoutes, { services: s });
  await app.register(supportRoutes, { services: s });
  await app.register(supportAdminRoutes, { services: s });
  await app.register(customerRoutes, { services: s });
  await app.register(importRoutes, { services: s });
  await app.register(orderRoutes, { services: s });
  await app.register(analyticsRoutes, { services: s });
  await app.register(loyaltyRoutes, { services: s });
  await app.register(loyaltyAdminRoutes, { services: s });
  await app.register(campaignRoutes, { services: s });

  await serveWeb(app, s.config.webDist);
  return app;
}

/** The subscriber app at `/`, the console at `/console`, with SPA fallbacks. */
async function serveWeb(app: FastifyInstance, dist: string): Promise<void> {
  const hasWeb = existsSync(path.join(dist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: false, cacheControl: false,
      setHeaders: (res, file) => {
        res.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    const isApi = /^\/(api|tmf-api|docs|openapi\.json|metrics|health|ready)(\/|$)/.test(url);
    if (req.method !== 'GET' || isApi || !hasWeb || /\.[a-z0-9]+$/i.test(url)) {
      return reply.status(404).send({ code: 'route_not_found', message: `No route ${req.method} ${url}` });
    }
    const page = url === '/console' || url.startsWith('/console/') ? 'console/index.html' : 'index.html';
    return reply.header('cache-control', 'no-cache').sendFile(page);
  });
}
