import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Descriptions, Input, Rate, Select, Space, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { TICKET_PRIORITIES, type TicketDetail, type TicketStatus } from '@telehall/contracts';
import { staffApi } from '../../../api/client';
import { queryKeys } from '../../../api/keys';
import { followTicket } from '../../../api/live';
import { agentsQuery, assignTicket, cannedQuery, staffMarkRead, staffReply, staffTicketQuery, updateTicket } from '../../../api/support';
import { formatDateTime } from '../../../lib/dates';
import { errorMessage } from '../../../shared/errors';
import { applyTicketEvent } from '../../../shared/ticket-events';
import { QueryError } from '../../components/QueryError';
import { statusColor } from './Tickets';

const NEXT: Record<TicketStatus, TicketStatus[]> = { open: ['pending', 'resolved', 'closed'], pending: ['open', 'resolved', 'closed'], resolved: ['open', 'closed'], closed: [] };

/** One ticket: conversation with internal notes, reply, canned replies, status, priority, transfer. */
export function TicketPanel({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = useMemo(() => queryKeys.support.ticket(id), [id]);
  const detail = useQuery(staffTicketQuery(id));
  const agents = useQuery(agentsQuery());
  const canned = useQuery(cannedQuery());
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void staffMarkRead(id).catch(() => undefined);
    return followTicket(staffApi, `/api/admin/tickets/${encodeURIComponent(id)}/events`, `/api/admin/tickets/${encodeURIComponent(id)}`, (e) => {
      queryClient.setQueryData<TicketDetail>(key, (d) => (d ? applyTicketEvent(d, e) : d));
      if (e.type === 'message' && e.message.authorKind === 'subscriber') void staffMarkRead(id).catch(() => undefined);
    });
  }, [id, key, queryClient]);

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    try {
      await fn();
      await queryClient.invalidateQueries({ queryKey: key });
      await queryClient.invalidateQueries({ queryKey: [...queryKeys.support.all, 'queue'] });
    } catch (err) {
      void message.error(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  if (!detail.data) return detail.error ? <QueryError error={detail.error} onRetry={() => void detail.refetch()} /> : <Card loading />;
  const { ticket, messages } = detail.data;
  return (
    <Card title={<span data-testid="ticket-subject">{ticket.subject}</span>} extra={<Tag color={statusColor[ticket.status]} data-testid="panel-status">{t(`ticketStatus.${ticket.status}`)}</Tag>}>
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('console.tickets.priority')}>
          <Select size="small" style={{ width: 110 }} value={ticket.priority} disabled={busy} data-testid="panel-priority"
            onChange={(priority) => void act(() => updateTicket(id, { priority }))}
            options={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`ticketPriority.${p}`) }))} />
        </Descriptions.Item>
        <Descriptions.Item label={t('console.tickets.sla')}>
          {formatDateTime(ticket.slaDueAt, i18n.language)} {ticket.breached && <Tag color="red">{t('console.tickets.breached')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('console.tickets.transfer')}>
          <Select size="small" style={{ width: 160 }} value={ticket.assigneeId ?? ''} disabled={busy} data-testid="panel-assignee"
            onChange={(v: string) => void act(() => assignTicket(id, v || null))}
            options={[{ value: '', label: t('console.tickets.unassign') }, ...(agents.data ?? []).map((a) => ({ value: a.id, label: `${a.displayName} (${a.openTickets})` }))]} />
        </Descriptions.Item>
        <Descriptions.Item label={t('console.tickets.status')}>
          <Space>
            {NEXT[ticket.status].map((s) => (
              <Button key={s} size="small" disabled={busy} data-testid={`panel-set-${s}`} onClick={() => void act(() => updateTicket(id, { status: s }))}>
                {t(`ticketStatus.${s}`)}
              </Button>
            ))}
          </Space>
        </Descriptions.Item>
        {ticket.ref && <Descriptions.Item label={t('console.tickets.ref')}>{`${ticket.ref.kind}: ${ticket.ref.id}`}</Descriptions.Item>}
        {ticket.rating && <Descriptions.Item label={t('console.tickets.rating')}><Rate disabled value={ticket.rating} /></Descriptions.Item>}
      </Descriptions>
      <div className="th-console-chat" data-testid="panel-chat">
        {messages.map((m) => (
          <div key={m.id} className={`th-console-msg th-console-msg-${m.internal ? 'note' : m.authorKind}`} data-testid="panel-message">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {m.authorName || m.authorKind} · {formatDateTime(m.createdAt, i18n.language)} {m.internal && <Tag color="gold">{t('console.tickets.note')}</Tag>}
              {m.authorKind === 'staff' && !m.internal && m.readAt && <Tag>{t('support.read')}</Tag>}
            </Typography.Text>
            <div className="th-console-msg-body">{m.body}</div>
          </div>
        ))}
      </div>
      {ticket.status !== 'closed' && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Select style={{ width: 260 }} placeholder={t('console.tickets.canned')} data-testid="panel-canned" value={null}
            onChange={(v: string) => setText((cur) => (cur ? `${cur}\n` : '') + (canned.data?.find((c) => c.id === v)?.body ?? ''))}
            options={(canned.data ?? []).map((c) => ({ value: c.id, label: c.title }))} />
          <Input.TextArea rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} data-testid="panel-reply" />
          <Space>
            <Checkbox checked={internal} onChange={(e) => setInternal(e.target.checked)} data-testid="panel-internal">{t('console.tickets.internal')}</Checkbox>
            <Button type="primary" disabled={!text.trim()} loading={busy} data-testid="panel-send"
              onClick={() => void act(async () => {
                const m = await staffReply(id, text.trim(), internal);
                queryClient.setQueryData<TicketDetail>(key, (d) => (d ? applyTicketEvent(d, { type: 'message', message: m }) : d));
                setText('');
              })}>
              {t('console.tickets.send')}
            </Button>
          </Space>
        </Space>
      )}
    </Card>
  );
}
