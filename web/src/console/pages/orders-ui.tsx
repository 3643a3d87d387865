import { useState } from 'react';
import { App, Descriptions, Drawer, Form, Modal, Radio, Select, Tag, Timeline } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Line, Order, OrderStatus, PlaceOrderRequest } from '@telehall/contracts';
import { orderKeys, orderQuery, placeOrder, saleCatalogQuery } from '../../api/orders';
import { newKey } from '../../api/payments';
import { crmKeys } from '../../api/crm';
import { formatDateTime } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { errorMessage } from '../../shared/errors';
import { QueryError } from '../components/QueryError';

const COLOR: Record<OrderStatus, string> = { pending: 'gold', completed: 'green', failed: 'red', cancelled: 'default' };

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLOR[status]}>{t(`orders.status.${status}`)}</Tag>;
}

/** One order with its history, in a drawer. */
export function OrderDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({ ...orderQuery(id ?? ''), enabled: !!id });
  const o = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={520} title={t('console.orders.detail')} destroyOnHidden>
      {q.error ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : o && (
        <div data-testid="order-detail">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('console.orders.item')}>{o.title}</Descriptions.Item>
            <Descriptions.Item label={t('console.orders.kind')}>{t(`orders.kind.${o.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('console.orders.status')}><OrderStatusTag status={o.status} /></Descriptions.Item>
            <Descriptions.Item label={t('console.orders.customer')}>{o.customerName}</Descriptions.Item>
            <Descriptions.Item label={t('console.orders.line')}>{o.msisdn}</Descriptions.Item>
            <Descriptions.Item label={t('console.orders.amount')}>{formatMoney(o.amount.amount)}</Descriptions.Item>
            <Descriptions.Item label={t('console.orders.channel')}>{t(`orders.channel.${o.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('console.orders.placedBy')}>{o.placedBy}</Descriptions.Item>
            <Descriptions.Item label={t('console.orders.createdAt')}>{formatDateTime(o.createdAt, i18n.language)}</Descriptions.Item>
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>{t('console.orders.history')}</h4>
          <Timeline items={o.history.map((h) => ({
            color: COLOR[h.status],
            children: `${formatDateTime(h.at, i18n.language)} · ${t(`orders.status.${h.status}`)} · ${h.actor}${h.note ? ` · ${h.note}` : ''}`,
          }))} />
        </div>
      )}
    </Drawer>
  );
}

type OrderForm = { lineId: string; kind: Order['kind']; addonId?: string; planId?: string; when?: 'now' | 'next_cycle' };

/** A business-hall sale for this customer: an add-on or a plan change on one of their lines (the self-service rules apply). */
export function PlaceOrderDialog({ customerId, lines, open, onClose }: { customerId: string; lines: Line[]; open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const catalog = useQuery({ ...saleCatalogQuery(), enabled: open });
  const [form] = Form.useForm<OrderForm>();
  const kind = Form.useWatch('kind', form);
  const [key, setKey] = useState(newKey);
  const name = (x: { nameZh: string; nameEn: string }) => (i18n.language === 'en' ? x.nameEn : x.nameZh);
  const place = useMutation({
    mutationFn: (v: OrderForm) => {
      const body: PlaceOrderRequest = v.kind === 'plan_change'
        ? { kind: 'plan_change', lineId: v.lineId, planId: v.planId!, when: v.when ?? 'now' }
        : { kind: 'addon_purchase', lineId: v.lineId, addonId: v.addonId! };
      return placeOrder(customerId, body, key);
    },
    onSuccess: async () => {
      void message.success(t('console.orders.place.done'));
      setKey(newKey());
      form.resetFields();
      onClose();
      await Promise.all([qc.invalidateQueries({ queryKey: crmKeys.customer360(customerId) }), qc.invalidateQueries({ queryKey: orderKeys.all })]);
    },
    onError: async (e) => {
      setKey(newKey());
      void message.error(errorMessage(t, e));
      await qc.invalidateQueries({ queryKey: crmKeys.customer360(customerId) });
    },
  });
  const active = lines.filter((l) => l.status !== 'closed');
  return (
    <Modal open={open} title={t('console.orders.place.title')} onCancel={onClose} onOk={() => void form.validateFields().then((v) => place.mutate(v))}
      okText={t('console.orders.place.submit')} confirmLoading={place.isPending} okButtonProps={{ 'data-testid': 'place-order-submit' }} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'addon_purchase', when: 'now', lineId: active[0]?.id }}>
        <Form.Item name="lineId" label={t('console.orders.place.line')} rules={[{ required: true }]}>
          <Select data-testid="place-order-line" options={active.map((l) => ({ value: l.id, label: `${l.msisdn} · ${name(l.plan)}` }))} />
        </Form.Item>
        <Form.Item name="kind" label={t('console.orders.place.kind')}>
          <Radio.Group data-testid="place-order-kind" options={[
            { value: 'addon_purchase', label: t('console.orders.place.addon') },
            { value: 'plan_change', label: t('console.orders.place.plan') },
          ]} />
        </Form.Item>
        {kind === 'plan_change' ? (
          <>
            <Form.Item name="planId" label={t('console.orders.place.plan')} rules={[{ required: true }]}>
              <Select data-testid="place-order-plan" loading={catalog.isLoading}
                options={(catalog.data?.plans ?? []).map((p) => ({ value: p.id, label: `${name(p)} · ${formatMoney(p.monthlyFee.amount)}` }))} />
            </Form.Item>
            <Form.Item name="when" label={t('console.orders.place.when')}>
              <Radio.Group options={(['now', 'next_cycle'] as const).map((w) => ({ value: w, label: t(`console.orders.place.${w}`) }))} />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="addonId" label={t('console.orders.place.addon')} rules={[{ required: true }]}>
            <Select data-testid="place-order-addon" loading={catalog.isLoading}
              options={(catalog.data?.addons ?? []).map((a) => ({ value: a.id, label: `${name(a)} · ${formatMoney(a.price.amount)}` }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
