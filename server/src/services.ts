import type { Logger } from 'pino';
import type pg from 'pg';
import { createAnalytics } from './modules/analytics/analytics.service.js';
import { createAudit } from './modules/audit/audit.service.js';
import { createCatalog } from './modules/catalog/catalog.service.js';
import { createLedger } from './modules/ledger/ledger.service.js';
import { createLines } from './modules/lines/lines.service.js';
import { registerChargingAlerts } from './modules/notifications/alerts.js';
import { createInbox } from './modules/notifications/inbox.js';
import { createChargingFlows } from './flows/charging-flows.js';
import { createDispatcher } from './platform/outbox.js';
import { createCustomers } from './modules/customers/customers.service.js';
import { createOtp } from './modules/identity/otp.js';
import { createSessions } from './modules/identity/sessions.js';
import { createStaff } from './modules/identity/staff.service.js';
import { createSubscriberAuth } from './modules/identity/subscriber-auth.js';
import { createMessages } from './modules/notifications/messages.service.js';
import type { Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db.js';
import type { Ids } from './platform/ids.js';
import { createAccessTokens } from './platform/tokens.js';

export interface Platform {
  config: Config;
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  ids: Ids;
  log: Logger;
  jwtSecret: string;
}

/** Wire every domain service from the platform pieces; each gets only what it uses. */
export function buildServices(p: Platform) {
  const { db, clock, ids, log, config } = p;
  const access = createAccessTokens(p.jwtSecret, config.accessTokenTtlS);
  const audit = createAudit({ db, clock });
  const messages = createMessages({ db, clock, ids, log, echoToLog: config.env !== 'production' });
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
  registerChargingAlerts(dispatcher, inbox, clock);
  const analytics = createAnalytics({ db, clock, ids, log });
  return { ...p, access, audit, messages, customers, sessions, otp, subscriberAuth, staff, ledger, catalog, lines, charging, inbox, dispatcher, analytics };
}
export type Services = ReturnType<typeof buildServices>;
