import { Uuid } from '@telehall/contracts';
import { Type } from 'typebox';
import type { RoutePlugin } from '../../platform/routing.js';
import { SIGNATURE_HEADER, type SandboxGateway } from './gateway.js';

const esc = (v: unknown) => String(v).replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
const yuan = (fen: number) => `¥${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>
body{font-family:system-ui,sans-serif;background:#f2f4f7;margin:0;padding:24px;color:#1d2129}
.card{max-width:420px;margin:0 auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 2px 8px #0001}
.badge{display:inline-block;background:#fff3cd;color:#8a6d00;border-radius:4px;padding:2px 8px;font-size:12px}
.amount{font-size:36px;font-weight:600;margin:16px 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;font-size:14px;color:#4e5969}
button{width:100%;padding:12px;border-radius:8px;border:0;font-size:16px;margin-top:12px;cursor:pointer}
.pay{background:#1677ff;color:#fff}.cancel{background:#f2f3f5;color:#1d2129}
</style></head><body><main class="card">${body}</main></body></html>`;
}

/**
 * The sandbox gateway's own pages (its "test mode"): a confirm page with Pay
 * and Cancel, which posts a signed callback to Telehall exactly as a real
 * provider would, then sends the payer back to the app's receipt.
 */
export const sandboxRoutes: RoutePlugin = async (app, { services: s }) => {
  const gateway = s.payments.provider as SandboxGateway;
  const params = Type.Object({ id: Uuid });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/sandbox-pay/:id', { schema: { hide: true, params } }, async (req, reply) => {
    void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    const p = await s.payments.get(null, req.params.id).catch(() => undefined);
    if (!p) return reply.status(404).send(page('Sandbox Pay', '<h1>Payment not found / 支付单不存在</h1>'));
    const open = p.status === 'pending' && new Date(p.expiresAt) > s.clock.now();
    const masked = `${p.msisdn.slice(0, 3)}****${p.msisdn.slice(-4)}`;
    return page('Sandbox Pay', `<span class="badge">SANDBOX · 测试支付</span>
<h1>Telehall Sandbox Pay</h1>
<div class="amount" data-testid="sandbox-amount">${esc(yuan(p.amount.amount))}</div>
<dl><dt>充值号码 Line</dt><dd>${esc(masked)}</dd><dt>支付单 Payment</dt><dd>${esc(p.id)}</dd>
<dt>状态 Status</dt><dd data-testid="sandbox-status">${esc(open ? 'pending' : p.status === 'pending' ? 'expired' : p.status)}</dd></dl>
${open ? `<form method="post" action="/sandbox-pay/${esc(p.id)}"><button class="pay" name="action" value="pay" type="submit">确认支付 Pay ${esc(yuan(p.amount.amount))}</button>
<button class="cancel" name="action" value="cancel" type="submit">取消 Cancel</button></form>` : `<p><a href="/topup/result/${esc(p.id)}">返回 Back</a></p>`}`);
  });

  app.post('/sandbox-pay/:id', { schema: { hide: true, params, body: Type.Object({ action: Type.Union([Type.Literal('pay'), Type.Literal('cancel')]) }) } }, async (req, reply) => {
    const p = await s.payments.get(null, req.params.id).catch(() => undefined);
    if (!p) return reply.status(404).type('text/html; charset=utf-8').send(page('Sandbox Pay', '<h1>Payment not found</h1>'));
    const body = JSON.stringify({
      paymentId: p.id, providerRef: `sbx_${s.ids.token(9)}`, amount: p.amount.amount, currency: 'CNY',
      status: req.body.action === 'pay' ? 'succeeded' : 'cancelled', sentAt: s.clock.now().toISOString(),
    });
    const res = await app.inject({
      method: 'POST', url: `/api/payments/callback/${gateway.name}`, payload: body,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: gateway.sign(body) },
    });
    if (res.statusCode >= 500) req.log.error({ status: res.statusCode }, 'sandbox callback failed');
    return reply.redirect(`/topup/result/${encodeURIComponent(p.id)}`, 303);
  });
};
