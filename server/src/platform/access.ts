import type { Role } from '@telehall/contracts';

/**
 * Permissions per role. Routes name one permission; deny by default.
 * `personal_data.view` unmasks phone and ID numbers.
 */
export const PERMISSIONS = [
  'staff.manage',
  'audit.read',
  'messages.read',
  'customers.read',
  'customers.write',
  'personal_data.view',
  /** Export customers with full personal data (CSV/XLSX); admin only. */
  'customers.export',
  'catalog.manage',
  'balance.adjust',
  'payments.refund',
  'orders.write',
  /** Place an order (add-on, plan change) for a customer: a business-hall sale. */
  'orders.place',
  'imports.run',
  'tickets.handle',
  'analytics.run',
  /** See campaigns and their reports (whoever builds or approves them). */
  'campaigns.read',
  'campaigns.manage',
  'campaigns.approve',
  'loyalty.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  agent: ['customers.read', 'customers.write', 'messages.read', 'orders.write', 'orders.place', 'tickets.handle', 'balance.adjust'],
  marketer: ['customers.read', 'campaigns.read', 'campaigns.manage', 'analytics.run', 'loyalty.manage'],
  analyst: ['customers.read', 'analytics.run', 'campaigns.read', 'campaigns.approve'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** 13812345678 → 138****5678; other strings keep their first 3 and last 4 characters. */
export function maskPhone(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;
}
