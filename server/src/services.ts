import type { Logger } from 'pino';
import type pg from 'pg';
import { createAnalytics } from './modules/analytics/analytics.service.js';
import { createAudit } from './modules/audit/audit.service.js';
import { createCatalog } from './modules/catalog/catalog.service.js';
import { createLedger } from './modules/ledger/ledger.service.js';
import { createLines } from './modules/lines/lines.service.js';
import { createInbox } from './modules/notifications/inbox.js';
import { createChargingFlows } from './flows/charging-flows.js';
import { crmDashboard } from './flows/crm-dashboard.js';
import { createCustomer360 } from './flows/customer-360.js';
import { createPlaceOrder } from './flows/place-order.js';
import { createOrders } from './modules/orders/orders.service.js';
import { createCustomerAdmin } from './modules/customers/customers.admin.js';
import { createCustomerExport } from './modules/customers/customers.export.js';
import { createImports } from './modules/imports/imports.service.js';
import { createDispatcher } from './platform/outbox.js';
import { createCustomers } from './modules/customers/customers.service.js';
import { createOtp } from './modules/identity/otp.js';
import { createSessions } from './modules/identity/sessions.js';
import { createStaff } from './modules/identity/staff.service.js';
import { createSubscriberAuth } from './modules/identity/subscriber-auth.js';
import { createMessages } from './modules/notifications/messages.service.js';
import { emailAdapter, logSmsProvider, pushAdapter, smsAdapter, vapidKeys } from './modules/notifications/channels.js';
import { createPipeline } from './modules/notifications/pipeline.js';
import { createPreferences } from './modules/notifications/preferences.js';
import { createPushSubscriptions } from './modules/notifications/push-subscriptions.js';
import { createSupportContent } from './modules/support/support.content.js';
import { createSupportLive } from './modules/support/support.live.js';
import { createTickets } from './modules/support/tickets.service.js';
import type { Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db.js';
import type { Ids } from './platform/ids.js';
import { createAccessTokens } from './platform/tokens.js';
import { createSandboxGateway } from './modules/payments/gateway.js';
import { createPayments } from './modules/payments/payments.service.js';
import { createPaymentFlows } from './flows/payments.js';
import { createBilling } from './modules/billing/billing.service.js';
import { registerAutoTopup } from './flows/auto-topup.js';
import { createReconciliation } from './flows/reconciliation.js';
import { createLoyalty } from './modules/loyalty/loyalty.service.js';
import { createLoyaltyFlows, registerLoyalty } from './flows/loyalty.js';
import { createCampaignOffers, type LoyaltySeams } from './flows/campaign-offers.js';
import { createCampaigns } from './modules/campaigns/campaigns.service.js';
import { campaignOfferTemplate, createOfferContent } from './modules/campaigns/offer-template.js';
import { campaignReport } from './modules/campaigns/report.js';
import { createCampaignScheduler } from './modules/campaigns/scheduler.js';
import { OFFER_TOPIC } from './modules/campaigns/send.js';
import { testSend } from './modules/campaigns/test-send.js';
import { registerCampaignTriggers } from './modules/campaigns/triggers.js';
import { TEMPLATES } from './modules/notifications/templates.js';
import type { Actor } from './modules/audit/audit.service.js';
import type { TestSendRequest } from '@telehall/contracts';

export interface Platform {
  config: Config;
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  ids: Ids;
  log: Logger;
  jwtSecret: string;
  /** Sandbox gateway HMAC key (generated into DATA_DIR by main/cli; else from config). */
  sandboxPaySecret?: string;
}

/** Wire every domain service from the platform pieces; each gets only what it uses. */
export function buildServices(p: Platform) {
  const { db, clock, ids, log, config } = p;
  const access = createAccessTokens(p.jwtSecret, config.accessTokenTtlS);
  const audit = createAudit({ db, clock });
  const messages = createMessages({ db, clock, ids, log, echoToLog: config.env !== 'production', sms: logSmsProvider });
  const customers = createCustomers({ db, clock, ids });
  const sessions = createSessions({ db, clock, ids, access, refreshTtlS: config.refreshTokenTtlS });
  const otp = createOtp({ db, clock, ids });
  const subscriberAuth = createSubscriberAuth({ db, clock, log, otp, sessions, customers, messages });
  const staff = createStaff({ db, clock, ids, sessions, audit });
  const ledger = createLedger({ db, clock, ids });
  const catalog = createCatalog({ db, clock, ids, audit });
  const lines = createLines({ db, clock });
  const charging = createChargingFlows({ db, clock, ids, log, ledger, audit, catalog, lines });
  const inbox = createInbox({ db, clock, ids });
  const dispatcher = createDispatcher({ db, clock, log });
  const payments = createPayments({ db, clock, ids, provider: createSandboxGateway(p.sandboxPaySecret ?? config.sandboxPaySecret) });
  const paymentFlows = createPaymentFlows({ db, clock, ids, log, ledger, audit, payments, providers: [payments.provider] });
  registerAutoTopup(dispatcher, paymentFlows);
  const billing = createBilling({ db, clock, log });
  const reconciliation = createReconciliation({ db });
  // Notifications pipeline: every templated outbox topic → preferences → channel adapters.
  const preferences = createPreferences({ db, clock });
  const pushSubscriptions = createPushSubscriptions({ db, clock, ids });
  const vapid = vapidKeys(config.dataDir, config.vapid);
  const offerContent = createOfferContent();
  const notify = createPipeline({
    db, clock, ids, log, preferences, templates: { ...TEMPLATES, [OFFER_TOPIC]: campaignOfferTemplate(offerContent) },
    adapters: { sms: smsAdapter(logSmsProvider), email: emailAdapter(config.smtpUrl, config.smtpFrom), push: pushAdapter(db, vapid, config.vapidSubject) },
  });
  notify.register(dispatcher);
  // Support: tickets with live chat, canned replies, FAQ.
  const supportLive = createSupportLive();
  const tickets = createTickets({ db, clock, ids, audit, live: supportLive });
  const supportContent = createSupportContent({ db, clock, ids });
  // CRM (issue #7): staff customer operations, 360, export, imports, dashboard.
  const customerAdmin = createCustomerAdmin({ db, clock, ids, audit });
  const analytics = createAnalytics({ db, clock, ids, log });
  // Orders (issue #7): recorded by the flows; staff sales reuse them.
  const orders = createOrders({ db });
  const placeOrder = createPlaceOrder({ db, clock, ids, audit, charging, orders });
  const customer360 = createCustomer360({ db, audit, customerAdmin, lines, orders, analytics });
  const customerExport = createCustomerExport({ db, audit });
  const imports = createImports({ db, pool: p.pool, clock, ids, audit, log, dataDir: config.dataDir });
  const crm = { customerAdmin, customer360, customerExport, imports, crmDashboard: () => crmDashboard(db), orders, placeOrder };
  // Loyalty (issue #5): points, earning rules, rewards and coupons of a line.
  const loyalty = createLoyalty({ db, clock, ids, ledger, audit });
  const loyaltyFlows = createLoyaltyFlows({ loyalty, audit, log });
  registerLoyalty(dispatcher, loyalty.deps, log);
  // Campaigns (issue #9): audience → hold-out → set-based send through the outbox → offers taken → report.
  const loyaltySeams: LoyaltySeams = loyalty;
  const campaigns = createCampaigns({ db, clock, ids, log, audit, offerKinds: () => new Set(['addon', 'coupon', 'points'] as const) });
  registerCampaignTriggers(dispatcher, campaigns.sendDeps);
  const campaignOffers = createCampaignOffers({ db, clock, ids, ledger, audit, loyalty: loyaltySeams });
  const campaignScheduler = createCampaignScheduler(campaigns, log);
  const campaignsApi = {
    campaigns, campaignOffers, campaignScheduler,
    campaignReport: (id: string) => campaignReport(db, clock, id),
    campaignTestSend: (actor: Actor, id: string, req: TestSendRequest) => testSend({ db, audit, messages, content: offerContent }, actor, id, req),
  };
  return {
    ...p, access, audit, messages, customers, sessions, otp, subscriberAuth, staff, ledger, catalog, lines, charging, inbox, dispatcher,
    payments, paymentFlows, billing, reconciliation,
    preferences, pushSubscriptions, vapid, notify, supportLive, tickets, supportContent,
    ...crm, analytics, loyalty, loyaltyFlows, ...campaignsApi,
  };
}
export type Services = ReturnType<typeof buildServices>;
