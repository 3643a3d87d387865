import { Addon, AddonInput, Plan, PlanInput } from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

const Items = <T extends typeof Plan | typeof Addon>(t: T) => Type.Object({ items: Type.Array(t) });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Public catalog for the app, and staff catalog management. */
export const catalogRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['catalog'];
  app.get('/api/catalog/plans', { schema: { tags, summary: 'Plans on sale', response: replies({ 200: Items(Plan) }) }, config: { auth: 'public' } },
    async () => ({ items: await s.catalog.plans() }));
  app.get('/api/catalog/addons', { schema: { tags, summary: 'Add-on packs on sale', response: replies({ 200: Items(Addon) }) }, config: { auth: 'public' } },
    async () => ({ items: await s.catalog.addons() }));

  app.get('/api/admin/catalog/plans', { schema: { tags, summary: 'All plan versions', response: replies({ 200: Items(Plan) }) }, config: { auth: { staff: 'any' } } },
    async () => ({ items: await s.catalog.plans({ includeInactive: true }) }));
  app.post('/api/admin/catalog/plans', { schema: { tags, summary: 'Create a plan', body: PlanInput, response: replies({ 201: Plan }) }, config: { auth: { staff: 'catalog.manage' } } },
    async (req, reply) => reply.status(201).send(await s.catalog.createPlan(actorOf(req), req.body)));
  app.put('/api/admin/catalog/plans/:id', { schema: { tags, summary: 'Revise a plan (writes a new version)', params: IdParam, body: PlanInput, response: replies({ 200: Plan }) }, config: { auth: { staff: 'catalog.manage' } } },
    async (req) => s.catalog.revisePlan(actorOf(req), req.params.id, req.body));
  app.patch('/api/admin/catalog/plans/:id', { schema: { tags, summary: 'Put a plan version on or off sale', params: IdParam, body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }), response: replies({ 200: Plan }) }, config: { auth: { staff: 'catalog.manage' } } },
    async (req) => s.catalog.setPlanActive(actorOf(req), req.params.id, req.body.active));

  app.get('/api/admin/catalog/addons', { schema: { tags, summary: 'All add-on versions', response: replies({ 200: Items(Addon) }) }, config: { auth: { staff: 'any' } } },
    async () => ({ items: await s.catalog.addons({ includeInactive: true }) }));
  app.post('/api/admin/catalog/addons', { schema: { tags, summary: 'Create an add-on pack', body: AddonInput, response: replies({ 201: Addon }) }, config: { auth: { staff: 'catalog.manage' } } },
    async (req, reply) => reply.status(201).send(await s.catalog.createAddon(actorOf(req), req.body)));
  app.patch('/api/admin/catalog/addons/:id', { schema: { tags, summary: 'Put an add-on version on or off sale', params: IdParam, body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }), response: replies({ 200: Addon }) }, config: { auth: { staff: 'catalog.manage' } } },
    async (req) => s.catalog.setAddonActive(actorOf(req), req.params.id, req.body.active));
  app.put('/api/admin/catalog/addons/:id', { schema: { tags, summary: 'Revise an add-on (writes a new version)', params: IdParam, body: AddonInput, response: replies({ 200: Addon }) }, config: { auth: { staff: 'catalog.manage' } } },
    async (req) => s.catalog.reviseAddon(actorOf(req), req.params.id, req.body));
};
