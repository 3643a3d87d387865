import type { Channel } from '@telehall/contracts';

export interface MessageFilters {
  channel?: Channel;
  recipient?: string;
}

export interface RecordFilters {
  type?: 'data' | 'voice' | 'sms';
  from?: string;
  to?: string;
}

export interface AuditFilters {
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
}

/**
 * The one query-key factory. Keys are hierarchical so invalidating a prefix
 * (e.g. `queryKeys.me.all`) refreshes everything under it.
 */
export const queryKeys = {
  me: {
    all: ['me'] as const,
    profile: () => [...queryKeys.me.all, 'profile'] as const,
    sessions: () => [...queryKeys.me.all, 'sessions'] as const,
  },
  staff: {
    all: ['staff'] as const,
    me: () => [...queryKeys.staff.all, 'me'] as const,
    users: () => [...queryKeys.staff.all, 'users'] as const,
    roles: () => [...queryKeys.staff.all, 'roles'] as const,
  },
  messages: {
    all: ['messages'] as const,
    list: (filters: MessageFilters) => [...queryKeys.messages.all, 'list', filters] as const,
  },
  support: {
    all: ['support'] as const,
    myTickets: () => [...queryKeys.support.all, 'mine'] as const,
    myTicket: (id: string) => [...queryKeys.support.all, 'mine', id] as const,
    faq: (q: string) => [...queryKeys.support.all, 'faq', q] as const,
    queue: (filter: string) => [...queryKeys.support.all, 'queue', filter] as const,
    ticket: (id: string) => [...queryKeys.support.all, 'ticket', id] as const,
    canned: () => [...queryKeys.support.all, 'canned'] as const,
    agents: () => [...queryKeys.support.all, 'agents'] as const,
    adminFaq: () => [...queryKeys.support.all, 'admin-faq'] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (filters: AuditFilters) => [...queryKeys.audit.all, 'list', filters] as const,
  },
  /** The subscriber's lines and everything hanging off them (balance, usage, 详单, plan changes). */
  lines: {
    all: ['lines'] as const,
    list: () => [...queryKeys.lines.all, 'list'] as const,
    balance: (lineId: string) => [...queryKeys.lines.all, lineId, 'balance'] as const,
    usage: (lineId: string) => [...queryKeys.lines.all, lineId, 'usage'] as const,
    records: (lineId: string, filters: RecordFilters) => [...queryKeys.lines.all, lineId, 'records', filters] as const,
    eligibility: (lineId: string, planId: string, when: string) => [...queryKeys.lines.all, lineId, 'eligibility', planId, when] as const,
    recommendation: (lineId: string) => [...queryKeys.lines.all, lineId, 'recommendation'] as const,
    planChanges: () => [...queryKeys.lines.all, 'plan-changes'] as const,
  },
  catalog: {
    all: ['catalog'] as const,
    plans: () => [...queryKeys.catalog.all, 'plans'] as const,
    addons: () => [...queryKeys.catalog.all, 'addons'] as const,
    adminPlans: () => [...queryKeys.catalog.all, 'admin', 'plans'] as const,
    adminAddons: () => [...queryKeys.catalog.all, 'admin', 'addons'] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    list: () => [...queryKeys.notifications.all, 'list'] as const,
    unread: () => [...queryKeys.notifications.all, 'unread'] as const,
    preferences: () => [...queryKeys.notifications.all, 'preferences'] as const,
  },
  /** Points, rewards and coupons of a line (subscriber) and the loyalty console. */
  loyalty: {
    all: ['loyalty'] as const,
    points: (lineId: string) => [...queryKeys.loyalty.all, lineId, 'points'] as const,
    history: (lineId: string) => [...queryKeys.loyalty.all, lineId, 'history'] as const,
    coupons: (lineId: string) => [...queryKeys.loyalty.all, lineId, 'coupons'] as const,
    rewards: () => [...queryKeys.loyalty.all, 'rewards'] as const,
    adminRules: () => [...queryKeys.loyalty.all, 'admin', 'rules'] as const,
    adminRewards: () => [...queryKeys.loyalty.all, 'admin', 'rewards'] as const,
    dashboard: () => [...queryKeys.loyalty.all, 'admin', 'dashboard'] as const,
    linePoints: (lineId: string) => [...queryKeys.loyalty.all, 'admin', lineId, 'points'] as const,
    lineHistory: (lineId: string) => [...queryKeys.loyalty.all, 'admin', lineId, 'history'] as const,
  },
  /** Staff views of lines. */
  adminLines: {
    all: ['admin-lines'] as const,
    search: (msisdn: string) => [...queryKeys.adminLines.all, 'search', msisdn] as const,
    line: (id: string) => [...queryKeys.adminLines.all, id, 'line'] as const,
    usage: (id: string) => [...queryKeys.adminLines.all, id, 'usage'] as const,
    records: (id: string, filters: RecordFilters) => [...queryKeys.adminLines.all, id, 'records', filters] as const,
    ledger: (id: string) => [...queryKeys.adminLines.all, id, 'ledger'] as const,
  },
  payments: {
    all: ['payments'] as const,
    lines: () => [...queryKeys.payments.all, 'lines'] as const,
    mine: () => [...queryKeys.payments.all, 'mine'] as const,
    one: (id: string) => [...queryKeys.payments.all, 'one', id] as const,
    autoTopup: (lineId: string) => [...queryKeys.payments.all, 'auto', lineId] as const,
    bills: () => [...queryKeys.payments.all, 'bills'] as const,
    bill: (id: string) => [...queryKeys.payments.all, 'bill', id] as const,
    admin: (filters: Record<string, string | undefined>) => [...queryKeys.payments.all, 'admin', filters] as const,
    reconciliation: (from: string, to: string) => [...queryKeys.payments.all, 'reconciliation', from, to] as const,
  },
  /** Console analytics: features, segmentations, models, predictions. */
  analytics: {
    all: ['analytics'] as const,
    features: () => [...queryKeys.analytics.all, 'features'] as const,
    job: (id: string) => [...queryKeys.analytics.all, 'job', id] as const,
    segmentation: (id: string) => [...queryKeys.analytics.all, 'segmentation', id] as const,
    segmentCustomers: (id: string, idx: number, page: number) => [...queryKeys.analytics.all, 'segmentation', id, 'customers', idx, page] as const,
    models: () => [...queryKeys.analytics.all, 'models'] as const,
    model: (id: string) => [...queryKeys.analytics.all, 'model', id] as const,
    prediction: (customerId: string) => [...queryKeys.analytics.all, 'prediction', customerId] as const,
    telco: () => [...queryKeys.analytics.all, 'telco'] as const,
  },
  /** Campaigns (console) and the subscriber's offers. */
  campaigns: {
    all: ['campaigns'] as const,
    list: () => [...queryKeys.campaigns.all, 'list'] as const,
    one: (id: string) => [...queryKeys.campaigns.all, 'one', id] as const,
    report: (id: string) => [...queryKeys.campaigns.all, 'report', id] as const,
    preview: (body: unknown) => [...queryKeys.campaigns.all, 'preview', body] as const,
    settings: () => [...queryKeys.campaigns.all, 'settings'] as const,
    offers: () => [...queryKeys.campaigns.all, 'offers'] as const,
  },
};
