import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

interface PgError {
  code?: string;
  constraint?: string;
}

/** Map a thrown value to the one error body shape; 5xx bodies carry only a request id. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & PgError, req, reply) => {
    const requestId = req.id;
    if (err instanceof AppError) {
      if (err.headers) void reply.headers(err.headers);
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    if (err.validation) {
      return reply.status(400).send({
        code: 'invalid_request',
        message: `Invalid ${err.validationContext ?? 'request'}: ${err.message}`,
        details: err.validation.map((v) => ({ path: v.instancePath, message: v.message, params: v.params })),
      });
    }
    // Postgres constraint errors that slipped past a service check.
    if (err.code === '23505') {
      return reply.status(409).send({ code: 'conflict', message: 'A record with these values already exists', details: { constraint: err.constraint } });
    }
    if (err.code === '23503') {
      return reply.status(409).send({ code: 'reference_conflict', message: 'A referenced record does not exist or is still in use' });
    }
    if (err.code === '40001' || err.code === '40P01') {
      return reply.status(503).send({ code: 'busy', message: 'Please retry', requestId });
    }
    // Fastify's own client errors (bad JSON, body too large, unsupported media type).
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 413 ? 'payload_too_large'
        : status === 415 ? 'unsupported_media_type'
        : status === 429 ? 'rate_limited'
        : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'invalid_json'
        : 'bad_request';
      return reply.status(status).send({ code, message: err.message });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'internal_error', message: 'Something went wrong; quote the request id when reporting it', requestId });
  });
}
