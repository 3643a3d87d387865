import { AuditEntry, AuditQuery, Message, MessageQuery, Page } from '@telehall/contracts';
import { can } from '../../platform/access.js';
import { actorOf, staffOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

/** Console: the audit log and the message log. */
export const auditRoutes: RoutePlugin = async (app, { services: s }) => {
  app.get('/api/admin/audit-log', {
    schema: { tags: ['audit'], summary: 'Audit log, newest first', querystring: AuditQuery, response: replies({ 200: Page(AuditEntry) }) },
    config: { auth: { staff: 'audit.read' } },
  }, async (req) => s.audit.list(req.query));

  app.get('/api/admin/messages', {
    schema: { tags: ['notifications'], summary: 'Message log (all channels), newest first', querystring: MessageQuery, response: replies({ 200: Page(Message) }) },
    config: { auth: { staff: 'messages.read' } },
  }, async (req) => {
    const staff = staffOf(req);
    const unmask = can(staff.role, 'personal_data.view');
    // Reading messages is reading personal data: audited.
    return s.audit.read(actorOf(req), (page) => ({
      action: 'messages.read',
      resourceType: 'message',
      details: { count: page.items.length, filter: { channel: req.query.channel, recipient: req.query.recipient }, unmasked: unmask },
    }), () => s.messages.list(req.query, unmask));
  });
};
