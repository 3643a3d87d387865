import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { staffMeQuery } from '../../api/staff';
import { Forbidden } from './QueryError';

export function hasPermission(permissions: readonly string[] | undefined, permission: string): boolean {
  if (!permissions) return false;
  const [domain] = permission.split('.');
  return permissions.includes(permission) || permissions.includes('*') || permissions.includes(`${domain}.*`);
}

/** Shows the page only when the signed-in staff member holds `permission`; the API still has the last word (403). */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const me = useQuery(staffMeQuery());
  if (!me.data) return null; // the layout shows loading/errors for this query
  return hasPermission(me.data.permissions, permission) ? children : <Forbidden />;
}
