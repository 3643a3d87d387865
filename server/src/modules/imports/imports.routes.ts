import { Readable } from 'node:stream';
import { ChannelName, ImportJob, ImportMapping, ImportPreview, ImportStart, ImportUploadQuery } from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth.js';
import { invalid } from '../../platform/errors.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const RAW_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel'];

/**
 * Console: customer imports. The upload is the raw request body (`text/csv`
 * or an XLSX as `application/octet-stream` / the spreadsheet type), streamed
 * to a file under DATA_DIR — never held in memory, and not subject to the
 * JSON body limit. Then `POST /api/admin/imports` runs it as a job.
 */
export const importRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['imports'];
  const run = { auth: { staff: 'imports.run' as const } };
  // Scoped to this plugin: the body stays a stream for the upload route.
  app.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));

  app.post('/api/admin/imports/uploads', {
    schema: { tags, summary: 'Upload a CSV or XLSX file (raw body); returns a preview and the suggested or saved mapping', querystring: ImportUploadQuery, response: replies({ 201: ImportPreview }) },
    config: run,
  }, async (req, reply) => {
    const body = req.body;
    if (!(body instanceof Readable)) throw invalid('import_content_type', `Send the file as the raw body with Content-Type one of: ${RAW_TYPES.join(', ')}`);
    return reply.status(201).send(await s.imports.upload(actorOf(req), body, req.query));
  });

  app.post('/api/admin/imports', {
    schema: { tags, summary: 'Run an import of an upload with a mapping (same channel + file + mapping → the same job)', body: ImportStart, response: replies({ 200: ImportJob, 202: ImportJob }) },
    config: run,
  }, async (req, reply) => {
    const { job, created } = await s.imports.start(actorOf(req), req.body);
    return reply.status(created ? 202 : 200).send(job);
  });

  app.get('/api/admin/imports', {
    schema: { tags, summary: 'Recent import jobs', response: replies({ 200: Type.Object({ items: Type.Array(ImportJob) }) }) },
    config: run,
  }, async () => ({ items: await s.imports.list() }));

  app.get('/api/admin/imports/mappings/:channel', {
    schema: { tags, summary: 'The mapping saved for a channel', params: Type.Object({ channel: ChannelName }), response: replies({ 200: Type.Object({ mapping: Type.Union([ImportMapping, Type.Null()]) }) }) },
    config: run,
  }, async (req) => ({ mapping: (await s.imports.mapping(req.params.channel)) }));

  app.get('/api/admin/imports/:id', {
    schema: { tags, summary: 'An import job: status, progress and report', params: IdParam, response: replies({ 200: ImportJob }) },
    config: run,
  }, async (req) => s.imports.get(req.params.id));

  app.get('/api/admin/imports/:id/rejected.csv', {
    schema: { tags, summary: 'Every rejected row with its row number and reason, as CSV', params: IdParam, produces: ['text/csv'], response: replies({ 200: Type.String() }) },
    config: run,
  }, async (req, reply) => {
    await s.imports.get(req.params.id);
    reply.header('content-disposition', `attachment; filename="import-${req.params.id}-rejected.csv"`);
    reply.type('text/csv; charset=utf-8');
    return reply.send(Readable.from(s.imports.rejectedCsv(actorOf(req), req.params.id)) as never);
  });
};
