import {
  AnalyticsJob, CustomerFeatures, CustomerPredictions, FeatureOverview, FeatureSnapshot, Model, ModelSummary, Prediction, Segmentation,
  SegmentationRequest, SegmentCustomerPage, SegmentCustomerQuery, TelcoBenchmark, TrainRequest, Uuid,
} from '@telehall/contracts';
import { Type } from 'typebox';
import { can, maskPhone } from '../../platform/access.js';
import { actorOf, staffOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

const IdParam = Type.Object({ id: Uuid });

/** Console analytics: features, segmentations, models and predictions. Reads of one customer's data are audited. */
export const analyticsRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['analytics'];
  const config = { auth: { staff: 'analytics.run' as const } };
  const who = (req: Parameters<typeof actorOf>[0]) => staffOf(req).username;
  const auditRead = <T>(req: Parameters<typeof actorOf>[0], action: string, customerId: string, fn: () => Promise<T>, details?: Record<string, unknown>) =>
    s.audit.read(actorOf(req), { action, resourceType: 'customer', resourceId: customerId, ...(details ? { details } : {}) }, fn);

  app.get('/api/admin/analytics/features', { schema: { tags, summary: 'Feature definitions and the latest snapshot', response: replies({ 200: FeatureOverview }) }, config }, async () => s.analytics.featureOverview());
  app.post('/api/admin/analytics/features/refresh', { schema: { tags, summary: 'Recompute every customer’s features now (new snapshot)', response: replies({ 201: FeatureSnapshot }) }, config }, async (_req, reply) =>
    reply.status(201).send(await s.analytics.refreshFeatures()));
  app.get('/api/admin/analytics/customers/:id/features', { schema: { tags, summary: 'One customer’s features (audited)', params: IdParam, response: replies({ 200: CustomerFeatures }) }, config }, async (req) => {
    return auditRead(req, 'customer.view.features', req.params.id, () => s.analytics.customerFeatures(req.params.id));
  });
  app.get('/api/admin/analytics/jobs/:id', { schema: { tags, summary: 'An analytics job’s status and progress', params: IdParam, response: replies({ 200: AnalyticsJob }) }, config }, async (req) => s.analytics.job(req.params.id));
  app.get('/api/admin/analytics/telco-benchmark', { schema: { tags, summary: 'CART on the IBM Telco churn file next to scikit-learn’s reference numbers', response: replies({ 200: TelcoBenchmark }) }, config }, async () => s.analytics.telcoBenchmark());

  app.post('/api/admin/segmentations', { schema: { tags, summary: 'Start a k-means segmentation (job; poll /api/admin/analytics/jobs/:id)', body: SegmentationRequest, response: replies({ 202: AnalyticsJob }) }, config }, async (req, reply) =>
    reply.status(202).send(await s.analytics.startSegmentation(who(req), req.body)));
  app.get('/api/admin/segmentations/:id', {
    schema: { tags, summary: 'A segmentation with its segments (id or "latest")', params: Type.Object({ id: Type.Union([Uuid, Type.Literal('latest')]) }), response: replies({ 200: Segmentation }) }, config,
  }, async (req) => s.analytics.segmentation(req.params.id));
  app.get('/api/admin/segmentations/:id/segments/:idx/customers', {
    schema: { tags, summary: 'Customers in a segment, closest to the centre first (audited)', params: Type.Object({ id: Uuid, idx: Type.Integer({ minimum: 0, maximum: 100 }) }), querystring: SegmentCustomerQuery, response: replies({ 200: SegmentCustomerPage }) }, config,
  }, async (req) => {
    const page = await s.audit.read(actorOf(req), (found) => ({ action: 'segment.view.customers', resourceType: 'segmentation', resourceId: req.params.id, details: { segment: req.params.idx, results: found.items.length } }),
      () => s.analytics.segmentCustomers(req.params.id, req.params.idx, req.query));
    const show = can(staffOf(req).role, 'personal_data.view');
    return { ...page, items: page.items.map((c) => ({ ...c, phone: c.phone && !show ? maskPhone(c.phone) : c.phone })) };
  });

  app.post('/api/admin/models', { schema: { tags, summary: 'Train a churn or purchase decision tree and score every customer', body: TrainRequest, response: replies({ 201: Model }) }, config }, async (req, reply) =>
    reply.status(201).send(await s.analytics.trainModel(who(req), req.body)));
  app.get('/api/admin/models', { schema: { tags, summary: 'Trained models, newest first', response: replies({ 200: Type.Object({ items: Type.Array(ModelSummary) }) }) }, config }, async () => ({ items: await s.analytics.models() }));
  app.get('/api/admin/models/:id', { schema: { tags, summary: 'A model: parameters, metrics, importances and the tree', params: IdParam, response: replies({ 200: Model }) }, config }, async (req) => s.analytics.model(req.params.id));
  app.post('/api/admin/models/:id/predict', {
    schema: { tags, summary: 'One customer’s prediction with the decision path (audited)', params: IdParam, body: Type.Object({ customerId: Uuid }, { additionalProperties: false }), response: replies({ 200: Prediction }) }, config,
  }, async (req) => {
    return auditRead(req, 'customer.view.prediction', req.body.customerId, () => s.analytics.predict(req.params.id, req.body.customerId), { modelId: req.params.id });
  });
  app.get('/api/admin/customers/:id/prediction', { schema: { tags, summary: 'Latest churn and purchase predictions for a customer, with reasons (audited)', params: IdParam, response: replies({ 200: CustomerPredictions }) }, config }, async (req) => {
    return auditRead(req, 'customer.view.prediction', req.params.id, () => s.analytics.customerPrediction(req.params.id));
  });
};
