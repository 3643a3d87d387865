import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../platform/clock.js';
import { call, registerSubscriber, staffLogin } from '../../../test/factories.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { breached, canMove, canReopen } from './support.rules.js';

describe('ticket rules (unit)', () => {
  it('moves open → pending → resolved → closed, closed is final, reopen only within 7 days', () => {
    assert.ok(canMove('open', 'pending') && canMove('pending', 'resolved') && canMove('resolved', 'closed') && canMove('resolved', 'open'));
    assert.ok(!canMove('closed', 'open') && !canMove('closed', 'resolved'));
    const resolved = new Date('2026-11-01T00:00:00Z');
    assert.ok(canReopen('resolved', resolved, new Date('2026-11-08T00:00:00Z')));
    assert.ok(!canReopen('resolved', resolved, new Date('2026-11-08T00:00:01Z')));
    assert.ok(!canReopen('closed', resolved, new Date('2026-11-02T00:00:00Z')));
    const due = new Date('2026-11-01T08:00:00Z');
    assert.ok(breached({ status: 'open', sla_due_at: due, resolved_at: null, closed_at: null }, new Date('2026-11-01T08:00:01Z')));
    assert.ok(!breached({ status: 'resolved', sla_due_at: due, resolved_at: new Date('2026-11-01T07:00:00Z'), closed_at: null }, new Date('2026-11-03T00:00:00Z')));
  });
});

describe('support tickets', () => {
  let t: TestContext;
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(async () => t?.close());

  const customerIdOf = async (phone: string) =>
    (await t.s.db.selectFrom('subscriber_account').select('customer_id').where('phone', '=', phone).executeTakeFirstOrThrow()).customer_id;

  it('opens, assigns round robin, chats, hides internal notes, and notifies the subscriber of replies', async () => {
    const a1 = await staffLogin(t.app, t.s, 'agent');
    const a2 = await staffLogin(t.app, t.s, 'agent');
    const sub = await registerSubscriber(t.app, t.s);
    const stranger = await registerSubscriber(t.app, t.s);
    const token = sub.tokens.accessToken;

    const opened = await Promise.all([1, 2, 3].map((i) => call(t.app, 'POST', '/api/me/tickets', { token, body: { subject: `Bill question ${i}`, category: 'billing', body: '为什么这个月多扣了10元？', ref: { kind: 'bill', id: '2026-10' } } })));
    for (const o of opened) assert.equal(o.status, 201, JSON.stringify(o.json));
    const assignees = opened.map((o) => o.json.ticket.assigneeId as string);
    assert.equal(new Set(assignees).size, 2, 'both agents got work');
    const counts = assignees.reduce<Record<string, number>>((m, a) => ({ ...m, [a]: (m[a] ?? 0) + 1 }), {});
    assert.deepEqual(Object.values(counts).sort(), [1, 2]);

    const ticket = opened[0]!.json.ticket;
    assert.equal(ticket.status, 'open');
    assert.equal(ticket.priority, 'normal');
    assert.deepEqual(ticket.ref, { kind: 'bill', id: '2026-10' });
    assert.equal(new Date(ticket.slaDueAt).getTime() - new Date(ticket.createdAt).getTime(), 24 * 3600_000);

    assert.equal((await call(t.app, 'GET', `/api/me/tickets/${ticket.id}`, { token: stranger.tokens.accessToken })).json.code, 'ticket_not_found');
    assert.equal((await call(t.app, 'POST', `/api/me/tickets/${ticket.id}/messages`, { token: stranger.tokens.accessToken, body: { body: 'hi' } })).status, 404);
    assert.equal((await call(t.app, 'GET', '/api/admin/tickets', { token })).status, 403);

    const agent = a1.tokens.accessToken;
    const note = await call(t.app, 'POST', `/api/admin/tickets/${ticket.id}/messages`, { token: agent, body: { body: 'VIP customer, check the roaming charge', internal: true } });
    assert.equal(note.status, 201);
    const reply = await call(t.app, 'POST', `/api/admin/tickets/${ticket.id}/messages`, { token: agent, body: { body: '您好，我们正在核实。' } });
    assert.equal(reply.status, 201);

    const mine = await call(t.app, 'GET', `/api/me/tickets/${ticket.id}`, { token });
    assert.equal(mine.json.ticket.status, 'pending');
    assert.deepEqual(mine.json.messages.map((m: { body: string }) => m.body), ['为什么这个月多扣了10元？', '您好，我们正在核实。']);
    assert.ok(!JSON.stringify(mine.json).includes('VIP'), 'internal notes never reach the subscriber');
    const list = await call(t.app, 'GET', '/api/me/tickets', { token });
    assert.equal(list.json.items.length, 3);
    const staffView = await call(t.app, 'GET', `/api/admin/tickets/${ticket.id}`, { token: agent });
    assert.equal(staffView.json.messages.length, 3);
    assert.equal(staffView.json.messages[1].internal, true);

    // Read receipts: the subscriber read the agent's reply.
    assert.equal((await call(t.app, 'POST', `/api/me/tickets/${ticket.id}/read`, { token })).json.updated, 1);
    assert.ok((await call(t.app, 'GET', `/api/admin/tickets/${ticket.id}`, { token: agent })).json.messages[2].readAt);

    const back = await call(t.app, 'POST', `/api/me/tickets/${ticket.id}/messages`, { token, body: { body: '好的，谢谢' } });
    assert.equal(back.status, 201);
    assert.equal((await call(t.app, 'GET', `/api/me/tickets/${ticket.id}`, { token })).json.ticket.status, 'open');

    await t.s.dispatcher.drain();
    const inbox = await call(t.app, 'GET', '/api/me/notifications', { token });
    assert.deepEqual(inbox.json.items.map((i: { template: string }) => i.template), ['ticket.replied']);
    assert.match(inbox.json.items[0].body, /Bill question 1/);

    // Transfer to the other agent, and the queue filters.
    const transfer = await call(t.app, 'PUT', `/api/admin/tickets/${ticket.id}/assignee`, { token: agent, body: { assigneeId: assignees.find((a) => a !== ticket.assigneeId) ?? null } });
    assert.equal(transfer.status, 200);
    const bad = await call(t.app, 'PUT', `/api/admin/tickets/${ticket.id}/assignee`, { token: agent, body: { assigneeId: await customerIdOf(sub.phone) } });
    assert.equal(bad.json.code, 'assignee_not_agent');
    const unassign = await call(t.app, 'PUT', `/api/admin/tickets/${opened[1]!.json.ticket.id}/assignee`, { token: agent, body: { assigneeId: null } });
    assert.equal(unassign.json.assigneeId, null);
    const unassigned = await call(t.app, 'GET', '/api/admin/tickets?filter=unassigned', { token: agent });
    assert.deepEqual(unassigned.json.items.map((x: { id: string }) => x.id), [opened[1]!.json.ticket.id]);
    const a2mine = await call(t.app, 'GET', '/api/admin/tickets?filter=mine', { token: a2.tokens.accessToken });
    assert.ok(a2mine.json.items.every((x: { assigneeId: string }) => x.assigneeId === a2mine.json.items[0].assigneeId));
    assert.equal((await call(t.app, 'GET', '/api/admin/tickets?filter=nonsense', { token: agent })).status, 400);
  });

  it('follows the status flow: resolve, reopen within 7 days, close, rate once', async () => {
    const sub = await registerSubscriber(t.app, t.s);
    const agent = await staffLogin(t.app, t.s, 'agent');
    const customerId = await customerIdOf(sub.phone);
    const actor = { kind: 'staff' as const, id: (await t.s.db.selectFrom('staff_user').select('id').where('username', '=', agent.username).executeTakeFirstOrThrow()).id, name: agent.username, ip: '', userAgent: '' };
    const { ticket } = await t.s.tickets.open(customerId, { subject: '无法上网', category: 'network', body: '从昨天开始无法上网' });
    assert.equal(ticket.priority, 'high');

    // SLA: high = 8 hours.
    clock.advance(8 * 3600_000 + 1000);
    const breaching = await t.s.tickets.queue(actor.id, { filter: 'breaching' });
    assert.ok(breaching.items.some((x) => x.id === ticket.id && x.breached));

    await t.s.tickets.update(actor, ticket.id, { status: 'resolved' });
    await assert.rejects(t.s.tickets.rate(customerId, ticket.id, 5), { code: 'ticket_not_closed' });
    clock.advance(6 * 24 * 3600_000);
    const reopened = await t.s.tickets.reopen(customerId, ticket.id);
    assert.equal(reopened.status, 'open');
    assert.equal(reopened.resolvedAt, null);
    assert.equal(new Date(reopened.slaDueAt).getTime(), clock.now().getTime() + 8 * 3600_000, 'the SLA starts again');

    await t.s.tickets.update(actor, ticket.id, { status: 'resolved' });
    clock.advance(7 * 24 * 3600_000 + 1000);
    await assert.rejects(t.s.tickets.reopen(customerId, ticket.id), { code: 'reopen_window_passed' });
    await assert.rejects(t.s.tickets.postMine(customerId, ticket.id, 'still broken'), { code: 'reopen_window_passed' });

    await t.s.tickets.update(actor, ticket.id, { status: 'closed' });
    await assert.rejects(t.s.tickets.update(actor, ticket.id, { status: 'open' }), { code: 'invalid_transition' });
    await assert.rejects(t.s.tickets.reply(actor, ticket.id, 'late', false), { code: 'ticket_closed' });
    await assert.rejects(t.s.tickets.postMine(customerId, ticket.id, 'hello?'), { code: 'ticket_closed' });
    const rated = await t.s.tickets.rate(customerId, ticket.id, 4, 'ok');
    assert.equal(rated.rating, 4);
    await assert.rejects(t.s.tickets.rate(customerId, ticket.id, 5), { code: 'already_rated' });
    clock.set('2026-11-10T02:00:00Z');
  });

  it('rejects bad input with 4xx codes', async () => {
    const sub = await registerSubscriber(t.app, t.s);
    const token = sub.tokens.accessToken;
    assert.equal((await call(t.app, 'POST', '/api/me/tickets', { token, body: { subject: '', category: 'billing', body: 'x' } })).status, 400);
    assert.equal((await call(t.app, 'POST', '/api/me/tickets', { token, body: { subject: 'x', category: 'weather', body: 'x' } })).status, 400);
    const line = await call(t.app, 'POST', '/api/me/tickets', { token, body: { subject: 'x', category: 'other', body: 'x', ref: { kind: 'line', id: '13900000000' } } });
    assert.equal(line.status, 400);
    assert.equal(line.json.code, 'line_not_yours');
    assert.equal((await call(t.app, 'GET', '/api/me/tickets/not-a-uuid', { token })).status, 400);
    assert.equal((await call(t.app, 'POST', '/api/me/tickets/00000000-0000-4000-8000-000000000000/rating', { token, body: { rating: 6 } })).status, 400);
  });

  it('searches the FAQ in Chinese and English', async () => {
    const zh = await call(t.app, 'GET', `/api/faq?q=${encodeURIComponent('流量包')}`);
    assert.equal(zh.status, 200);
    assert.equal(zh.json.items[0].titleZh, '如何购买流量包？');
    const roam = await call(t.app, 'GET', `/api/faq?q=${encodeURIComponent('漫游')}`);
    assert.equal(roam.json.items[0].titleEn, 'How do I turn on international roaming?');
    const en = await call(t.app, 'GET', '/api/faq?q=password');
    assert.equal(en.json.items[0].titleZh, '忘记密码怎么办？');
    const typo = await call(t.app, 'GET', '/api/faq?q=roamin');
    assert.ok(typo.json.items.some((a: { titleEn: string }) => /roaming/i.test(a.titleEn)));
    assert.ok((await call(t.app, 'GET', '/api/faq')).json.items.length >= 10);
    assert.equal((await call(t.app, 'GET', `/api/faq?q=${encodeURIComponent('%_\\')}`)).status, 200);
  });

  it('lets agents manage canned replies and FAQ articles, and admins set least-busy assignment', async () => {
    const agent = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken;
    const admin = (await staffLogin(t.app, t.s, 'admin')).tokens.accessToken;
    const created = await call(t.app, 'POST', '/api/admin/canned-replies', { token: agent, body: { title: '退款', body: '已为您办理退款，1-3个工作日到账。', locale: 'zh-CN' } });
    assert.equal(created.status, 201);
    assert.equal((await call(t.app, 'PUT', `/api/admin/canned-replies/${created.json.id}`, { token: agent, body: { title: '退款说明', body: '已退款', locale: 'zh-CN' } })).json.title, '退款说明');
    assert.equal((await call(t.app, 'DELETE', `/api/admin/canned-replies/${created.json.id}`, { token: agent })).status, 204);
    assert.equal((await call(t.app, 'DELETE', `/api/admin/canned-replies/${created.json.id}`, { token: agent })).status, 404);
    const faq = await call(t.app, 'POST', '/api/admin/faq', { token: agent, body: { category: 'app', titleZh: '如何开启推送通知？', bodyZh: '在通知设置中开启推送。', titleEn: 'How do I turn on push?', bodyEn: 'Under notification settings.', published: false } });
    assert.equal(faq.status, 201);
    assert.equal((await call(t.app, 'GET', `/api/faq?q=${encodeURIComponent('推送')}`)).json.items.length, 0, 'unpublished articles stay hidden');
    await call(t.app, 'PUT', `/api/admin/faq/${faq.json.id}`, { token: agent, body: { category: 'app', titleZh: '如何开启推送通知？', bodyZh: '在通知设置中开启推送。', titleEn: 'How do I turn on push?', bodyEn: 'Under notification settings.', published: true } });
    assert.equal((await call(t.app, 'GET', `/api/faq?q=${encodeURIComponent('推送')}`)).json.items[0].id, faq.json.id);

    assert.equal((await call(t.app, 'PUT', '/api/admin/support/settings', { token: agent, body: { assignment: 'least_busy' } })).status, 403);
    assert.equal((await call(t.app, 'PUT', '/api/admin/support/settings', { token: admin, body: { assignment: 'least_busy' } })).status, 200);
    const agents = (await call(t.app, 'GET', '/api/admin/support/agents', { token: agent })).json.items as { id: string; openTickets: number }[];
    const least = [...agents].sort((a, b) => a.openTickets - b.openTickets || (a.id < b.id ? -1 : 1))[0]!;
    const sub = await registerSubscriber(t.app, t.s);
    const o = await call(t.app, 'POST', '/api/me/tickets', { token: sub.tokens.accessToken, body: { subject: '套餐咨询', category: 'plan', body: '想换套餐' } });
    assert.equal(o.json.ticket.assigneeId, least.id);
    await call(t.app, 'PUT', '/api/admin/support/settings', { token: admin, body: { assignment: 'manual' } });
    const m = await call(t.app, 'POST', '/api/me/tickets', { token: sub.tokens.accessToken, body: { subject: '其他', category: 'other', body: '问题' } });
    assert.equal(m.json.ticket.assigneeId, null);
  });

  it('streams new messages live over SSE, both ways, without internal notes for the subscriber', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    const sub = await registerSubscriber(t.app, t.s);
    const agent = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken;
    const token = sub.tokens.accessToken;
    const { json } = await call(t.app, 'POST', '/api/me/tickets', { token, body: { subject: 'SSE', category: 'other', body: 'first' } });
    const id = json.ticket.id as string;

    const collect = async (url: string, bearer: string) => {
      const ctrl = new AbortController();
      const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` }, signal: ctrl.signal });
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const reader = res.body!.getReader();
      let text = '';
      const reading = (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            text += new TextDecoder().decode(value);
          }
        } catch { /* aborted */ }
      })();
      return { text: () => text, stop: async () => { ctrl.abort(); await reading; } };
    };
    assert.equal((await fetch(`${base}/api/me/tickets/${id}/events`, { headers: { authorization: `Bearer ${(await registerSubscriber(t.app, t.s)).tokens.accessToken}` } })).status, 404);
    const subStream = await collect(`${base}/api/me/tickets/${id}/events`, token);
    const staffStream = await collect(`${base}/api/admin/tickets/${id}/events`, agent);
    await call(t.app, 'POST', `/api/admin/tickets/${id}/messages`, { token: agent, body: { body: 'secret note', internal: true } });
    await call(t.app, 'POST', `/api/admin/tickets/${id}/messages`, { token: agent, body: { body: 'hello from the agent' } });
    await call(t.app, 'POST', `/api/me/tickets/${id}/messages`, { token, body: { body: 'hello from the subscriber' } });
    await new Promise((r) => setTimeout(r, 200));
    await subStream.stop();
    await staffStream.stop();
    assert.match(subStream.text(), /event: message\ndata: .*hello from the agent/);
    assert.match(subStream.text(), /hello from the subscriber/);
    assert.ok(!subStream.text().includes('secret note'));
    assert.match(staffStream.text(), /secret note/);
    assert.match(staffStream.text(), /hello from the subscriber/);
  });
});
