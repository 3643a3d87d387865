import type { CreateStaffUser, Role, StaffMe, StaffUser, Tokens, UpdateStaffUser } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import { ROLE_PERMISSIONS } from '../../platform/access.js';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db } from '../../platform/db.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import type { Actor, Audit } from '../audit/audit.service.js';
import { checkPasswordWithLockout, invalidCredentials } from './lockout.js';
import { burnVerifyTime, hashPassword } from './password.js';
import type { DeviceInfo, Sessions } from './sessions.js';
import type { StaffUserTable } from './identity.tables.js';
import './identity.tables.js';

const toStaffUser = (r: Selectable<StaffUserTable>): StaffUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  status: r.status,
  createdAt: r.created_at.toISOString(),
});

/** Staff users: console sign-in and administration by admins (audited). */
export function createStaff(deps: { db: Db; clock: Clock; ids: Ids; sessions: Sessions; audit: Audit }) {
  const { db, clock, ids, sessions, audit } = deps;
  const byId = (id: string) => db.selectFrom('staff_user').selectAll().where('id', '=', id).executeTakeFirst();

  return {
    /** @throws unauthorized `invalid_credentials`, locked `account_locked` */
    async login(username: string, password: string, device: DeviceInfo): Promise<Tokens> {
      const user = await db.selectFrom('staff_user').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
      if (!user || user.status !== 'active') {
        await burnVerifyTime(password);
        throw invalidCredentials();
      }
      await checkPasswordWithLockout(db, clock, { table: 'staff_user', key: 'id', id: user.id }, user, password);
      return inTransaction(db, async (trx) => {
        await audit.record(trx, { kind: 'staff', id: user.id, name: user.username, ip: device.ip, userAgent: device.userAgent }, {
          action: 'staff.login',
          resourceType: 'staff_user',
          resourceId: user.id,
        });
        return sessions.open(trx, 'staff', user.id, device);
      });
    },

    /** The role and status as they are now, for the per-request access check. */
    async current(id: string): Promise<{ role: Role; username: string; active: boolean } | undefined> {
      const u = await db.selectFrom('staff_user').select(['role', 'status', 'username']).where('id', '=', id).executeTakeFirst();
      return u && { role: u.role, username: u.username, active: u.status === 'active' };
    },

    async me(id: string): Promise<StaffMe> {
      const u = await byId(id);
      if (!u) throw notFound('staff_user');
      return { id: u.id, username: u.username, displayName: u.display_name, role: u.role, permissions: [...ROLE_PERMISSIONS[u.role]] };
    },

    async list(q: { limit?: number; cursor?: string }) {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('staff_user').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
      const c = decodeCursor(q.cursor);
      if (c) query = query.where((eb) => eb.or([eb('created_at', '<', c.at), eb.and([eb('created_at', '=', c.at), eb('id', '<', c.id)])]));
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(toStaffUser), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
    },

    /** @throws conflict `username_taken` */
    async create(actor: Actor, input: CreateStaffUser): Promise<StaffUser> {
      const hash = await hashPassword(input.password);
      return inTransaction(db, async (trx) => {
        const now = clock.now();
        const row = await trx
          .insertInto('staff_user')
          .values({ id: ids.uuid(), username: input.username, display_name: input.displayName.trim(), password_hash: hash, role: input.role, locked_until: null, created_at: now, updated_at: now })
          .onConflict((oc) => oc.column('username').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw conflict('username_taken', 'That username is already in use');
        await audit.record(trx, actor, { action: 'staff_user.create', resourceType: 'staff_user', resourceId: row.id, details: { username: row.username, role: row.role } });
        return toStaffUser(row);
      });
    },

    /**
     * Change display name, role or status. Disabling signs the user out
     * everywhere. An admin cannot demote or disable themselves, so the last
     * admin cannot lock everyone out by accident.
     * @throws not_found `staff_user_not_found`, unprocessable `cannot_change_self`
     */
    async update(actor: Actor, id: string, patch: UpdateStaffUser): Promise<StaffUser> {
      if (actor.id === id && ((patch.role && patch.role !== 'admin') || patch.status === 'disabled')) {
        throw new AppError('unprocessable', 'cannot_change_self', 'You cannot demote or disable your own account');
      }
      return inTransaction(db, async (trx) => {
        const before = await trx.selectFrom('staff_user').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!before) throw notFound('staff_user');
        const row = await trx
          .updateTable('staff_user')
          .set({
            ...(patch.displayName !== undefined && { display_name: patch.displayName.trim() }),
            ...(patch.role !== undefined && { role: patch.role }),
            ...(patch.status !== undefined && { status: patch.status }),
            updated_at: clock.now(),
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        if (patch.status === 'disabled') await sessions.revokeAll(trx, 'staff', id, 'user_disabled');
        const changes: Record<string, unknown> = {};
        if (before.role !== row.role) changes.role = { from: before.role, to: row.role };
        if (before.status !== row.status) changes.status = { from: before.status, to: row.status };
        if (before.display_name !== row.display_name) changes.displayName = { from: before.display_name, to: row.display_name };
        await audit.record(trx, actor, { action: 'staff_user.update', resourceType: 'staff_user', resourceId: id, details: changes });
        return toStaffUser(row);
      });
    },

    /** Create the first admin on an empty database; returns false when staff exist. */
    async ensureInitialAdmin(password: string): Promise<boolean> {
      const any = await db.selectFrom('staff_user').select('id').limit(1).executeTakeFirst();
      if (any) return false;
      const now = clock.now();
      await db
        .insertInto('staff_user')
        .values({ id: ids.uuid(), username: 'admin', display_name: 'Administrator', password_hash: await hashPassword(password), role: 'admin', locked_until: null, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('username').doNothing())
        .execute();
      return true;
    },
  };
}
export type Staff = ReturnType<typeof createStaff>;
