import { CreateStaffUser, ListQuery, Page, RoleInfo, StaffMe, StaffUser, UpdateStaffUser } from '@telehall/contracts';
import { Type } from 'typebox';
import { ROLE_PERMISSIONS } from '../../platform/access.js';
import { actorOf, staffOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

/** Console: who am I, staff users and roles. */
export const staffRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['staff'];
  app.get('/api/admin/me', {
    schema: { tags, summary: 'The signed-in staff user and their permissions', response: replies({ 200: StaffMe }) },
    config: { auth: { staff: 'any' } },
  }, async (req) => s.staff.me(staffOf(req).id));

  app.get('/api/admin/users', {
    schema: { tags, summary: 'Staff users', querystring: ListQuery, response: replies({ 200: Page(StaffUser) }) },
    config: { auth: { staff: 'staff.manage' } },
  }, async (req) => s.staff.list(req.query));

  app.post('/api/admin/users', {
    schema: { tags, summary: 'Create a staff user', body: CreateStaffUser, response: replies({ 201: StaffUser }) },
    config: { auth: { staff: 'staff.manage' } },
  }, async (req, reply) => reply.status(201).send(await s.staff.create(actorOf(req), req.body)));

  app.patch('/api/admin/users/:id', {
    schema: {
      tags,
      summary: 'Rename, re-role, disable or enable a staff user',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      body: UpdateStaffUser,
      response: replies({ 200: StaffUser }),
    },
    config: { auth: { staff: 'staff.manage' } },
  }, async (req) => s.staff.update(actorOf(req), req.params.id, req.body));

  app.get('/api/admin/roles', {
    schema: { tags, summary: 'Roles and their permissions', response: replies({ 200: Type.Object({ items: Type.Array(RoleInfo) }) }) },
    config: { auth: { staff: 'any' } },
  }, async () => ({
    items: (Object.keys(ROLE_PERMISSIONS) as (keyof typeof ROLE_PERMISSIONS)[]).map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] })),
  }));
};
