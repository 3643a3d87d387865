type Locale = 'zh-CN' | 'en';

/** Payload of the charging topics `usage.alert`, `line.suspended`, `line.reactivated`. */
export interface AlertPayload {
  customerId: string;
  msisdn: string;
  alert?: string;
  kind?: 'data' | 'voice' | 'sms';
  balanceFen?: number;
}

const KIND: Record<Locale, Record<string, string>> = { 'zh-CN': { data: '流量', voice: '语音', sms: '短信' }, en: { data: 'data', voice: 'voice', sms: 'SMS' } };
export const yuan = (fen: number) => `${fen < 0 ? '-' : ''}¥${(Math.abs(fen) / 100).toFixed(2)}`;

/**
 * Title and body of a charging notification in the subscriber's language.
 * Delivery goes through the notifications pipeline (templates.ts registers these topics).
 */
export function renderAlert(topic: string, p: AlertPayload, locale: Locale): { template: string; title: string; body: string } {
  const tail = p.msisdn.slice(-4);
  const zh = locale === 'zh-CN';
  if (topic === 'line.suspended') {
    return { template: 'line.suspended', title: zh ? '号码已停机' : 'Line suspended', body: zh ? `尾号${tail}的号码余额已超出信用额度，已暂停服务。充值后自动恢复。` : `Line ending ${tail} is past its credit limit and has been suspended. It resumes when you top up.` };
  }
  if (topic === 'line.reactivated') {
    return { template: 'line.reactivated', title: zh ? '号码已恢复' : 'Line restored', body: zh ? `尾号${tail}的号码已恢复服务。` : `Line ending ${tail} is active again.` };
  }
  const alert = p.alert ?? '';
  if (alert === 'low_balance') {
    return { template: 'usage.low_balance', title: zh ? '余额不足提醒' : 'Low balance', body: zh ? `尾号${tail}的号码余额为${yuan(p.balanceFen ?? 0)}，请及时充值。` : `Line ending ${tail} has ${yuan(p.balanceFen ?? 0)} left. Top up to stay connected.` };
  }
  const kind = KIND[locale][p.kind ?? 'data']!;
  const full = alert.endsWith('_100');
  return {
    template: `usage.${full ? '100' : '80'}`,
    title: zh ? `${kind}${full ? '已用完' : '已用80%'}` : `${kind} ${full ? 'allowance used up' : '80% used'}`,
    body: zh
      ? `尾号${tail}的号码本月套餐内${kind}${full ? '已用完，超出部分按标准资费计费，可购买流量包。' : '已使用80%。'}`
      : `Line ending ${tail} has used ${full ? 'all' : '80%'} of this month's ${kind} allowance.${full ? ' Further use is charged at the standard rate; add-on packs are available.' : ''}`,
  };
}
