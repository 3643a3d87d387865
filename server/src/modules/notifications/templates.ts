import { renderAlert, yuan, type AlertPayload } from './alerts.js';

export type Locale = 'zh-CN' | 'en';
export type Category = 'transactional' | 'marketing';

export interface Rendered {
  template: string;
  title: string;
  body: string;
  /** Where the app should open when the notification is tapped. */
  url?: string;
}

export interface TemplateDef {
  category: Category;
  /** The payload variables the template reads (documentation and a sanity check). */
  variables: readonly string[];
  render(payload: Record<string, unknown>, locale: Locale, channel?: 'sms' | 'email' | 'push' | 'inapp'): Rendered;
  /**
   * Load what the payload only refers to (e.g. a campaign's text), in the
   * dispatcher's transaction, so that bulk senders can keep outbox rows small.
   */
  enrich?(trx: import('../../platform/db.js').Executor, payload: Record<string, unknown>, locale: Locale): Promise<Record<string, unknown>>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const day = (v: unknown) => str(v).slice(0, 10);

const alert: TemplateDef['render'] = (p, l) => renderAlert('usage.alert', p as unknown as AlertPayload, l);

/**
 * The template registry: one entry per outbox topic, rendering per language.
 * Every payload carries `customerId`; a topic not listed here sends nothing.
 */
export const TEMPLATES: Record<string, TemplateDef> = {
  'usage.alert': { category: 'transactional', variables: ['customerId', 'msisdn', 'alert', 'kind', 'balanceFen'], render: alert },
  'line.suspended': { category: 'transactional', variables: ['customerId', 'msisdn'], render: (p, l) => renderAlert('line.suspended', p as unknown as AlertPayload, l) },
  'line.reactivated': { category: 'transactional', variables: ['customerId', 'msisdn'], render: (p, l) => renderAlert('line.reactivated', p as unknown as AlertPayload, l) },
  'ticket.replied': {
    category: 'transactional',
    variables: ['customerId', 'ticketId', 'subject'],
    render: (p, l) => ({
      template: 'ticket.replied',
      title: l === 'zh-CN' ? '客服回复了您的工单' : 'Customer service replied',
      body: l === 'zh-CN' ? `您的工单“${str(p.subject)}”有新回复，请查看。` : `There is a new reply on your ticket "${str(p.subject)}".`,
      url: `/support/${str(p.ticketId)}`,
    }),
  },
  'bill.ready': {
    category: 'transactional',
    variables: ['customerId', 'billId', 'period', 'amountFen'],
    render: (p, l) => ({
      template: 'bill.ready',
      title: l === 'zh-CN' ? '账单已出' : 'Your bill is ready',
      body: l === 'zh-CN' ? `您${str(p.period)}的账单已生成，金额${yuan(num(p.amountFen))}。` : `Your bill for ${str(p.period)} is ready: ${yuan(num(p.amountFen))}.`,
      url: `/bills/${str(p.billId)}`,
    }),
  },
  'payment.captured': {
    category: 'transactional',
    variables: ['customerId', 'paymentId', 'amountFen'],
    render: (p, l) => ({
      template: 'payment.captured',
      title: l === 'zh-CN' ? '充值成功' : 'Payment received',
      body: l === 'zh-CN' ? `已收到您的付款${yuan(num(p.amountFen))}，已存入话费余额。` : `We received your payment of ${yuan(num(p.amountFen))}; it has been added to your balance.`,
    }),
  },
  'points.expiring': {
    category: 'transactional',
    variables: ['customerId', 'points', 'expiresAt'],
    render: (p, l) => ({
      template: 'points.expiring',
      title: l === 'zh-CN' ? '积分即将过期' : 'Points expiring soon',
      body: l === 'zh-CN' ? `您有${num(p.points)}积分将于${day(p.expiresAt)}过期，请尽快兑换。` : `${num(p.points)} of your points expire on ${day(p.expiresAt)}. Redeem them before then.`,
      url: '/points',
    }),
  },
  'marketing.offer': {
    category: 'marketing',
    variables: ['customerId', 'titleZh', 'titleEn', 'bodyZh', 'bodyEn'],
    render: (p, l) => ({
      template: 'marketing.offer',
      title: l === 'zh-CN' ? str(p.titleZh) : str(p.titleEn),
      body: l === 'zh-CN' ? str(p.bodyZh) : str(p.bodyEn),
    }),
  },
};
