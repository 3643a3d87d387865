import { useState } from 'react';
import { App, Card, Col, Empty, Row, Segmented, Select, Space, Table, Tag } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { QueueFilter, Ticket } from '@telehall/contracts';
import { staffMeQuery } from '../../../api/staff';
import { queueQuery, saveSupportSettings, supportSettingsQuery } from '../../../api/support';
import { errorMessage } from '../../../shared/errors';
import { hasPermission } from '../../components/RequirePermission';
import { formatDateTime } from '../../../lib/dates';
import { QueryError } from '../../components/QueryError';
import { TicketPanel } from './TicketPanel';

const FILTERS: QueueFilter[] = ['all', 'unassigned', 'mine', 'breaching'];
export const statusColor: Record<Ticket['status'], string> = { open: 'blue', pending: 'orange', resolved: 'green', closed: 'default' };

/** The agents' queue with the selected ticket beside it. */
export default function Tickets() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<QueueFilter>('all');
  const [selected, setSelected] = useState<string | null>(null);
  const queue = useQuery(queueQuery(filter));
  const me = useQuery(staffMeQuery());
  const settings = useQuery(supportSettingsQuery());
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const canConfigure = hasPermission(me.data?.permissions, 'staff.manage');
  const assignment = settings.data && (
    <Space>
      <span>{t('console.tickets.assignment')}</span>
      <Select
        size="small"
        style={{ width: 140 }}
        data-testid="assignment-mode"
        disabled={!canConfigure}
        value={settings.data.assignment}
        onChange={(assignment) => void saveSupportSettings({ assignment })
          .then((v) => queryClient.setQueryData(supportSettingsQuery().queryKey, v))
          .catch((err: unknown) => void message.error(errorMessage(t, err)))}
        options={[
          { value: 'round_robin', label: t('console.tickets.roundRobin') },
          { value: 'least_busy', label: t('console.tickets.leastBusy') },
          { value: 'manual', label: t('console.tickets.manual') },
        ]}
      />
    </Space>
  );
  return (
    <Row gutter={16}>
      <Col xs={24} xl={10}>
        <Card title={t('console.tickets.title')} extra={assignment}>
          <Segmented<QueueFilter>
            data-testid="queue-filter"
            value={filter}
            onChange={setFilter}
            options={FILTERS.map((f) => ({ value: f, label: <span data-testid={`queue-filter-${f}`}>{t(`console.tickets.${f}`)}</span> }))}
            style={{ marginBottom: 12 }}
          />
          {queue.error && !queue.data ? (
            <QueryError error={queue.error} onRetry={() => void queue.refetch()} />
          ) : (
            <Table<Ticket>
              rowKey="id"
              size="small"
              loading={queue.isLoading}
              dataSource={queue.data ?? []}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              onRow={(r) => ({ onClick: () => setSelected(r.id), 'data-testid': `queue-row-${r.id}`, style: { cursor: 'pointer' } }) as React.HTMLAttributes<HTMLElement>}
              rowClassName={(r) => (r.id === selected ? 'ant-table-row-selected' : '')}
              locale={{ emptyText: t('console.tickets.empty') }}
              columns={[
                { title: t('console.tickets.subject'), dataIndex: 'subject', ellipsis: true },
                { title: t('console.tickets.status'), dataIndex: 'status', width: 90, render: (s: Ticket['status']) => <Tag color={statusColor[s]}>{t(`ticketStatus.${s}`)}</Tag> },
                { title: t('console.tickets.priority'), dataIndex: 'priority', width: 70, render: (p: Ticket['priority']) => t(`ticketPriority.${p}`) },
                {
                  title: t('console.tickets.sla'), dataIndex: 'slaDueAt', width: 150,
                  render: (v: string, r) => <span>{formatDateTime(v, i18n.language)} {r.breached && <Tag color="red">{t('console.tickets.breached')}</Tag>}</span>,
                },
                { title: t('console.tickets.assignee'), dataIndex: 'assigneeName', width: 100, render: (v: string | null) => v ?? '—' },
              ]}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        {selected ? <TicketPanel key={selected} id={selected} /> : <Card><Empty description={t('console.tickets.select')} /></Card>}
      </Col>
    </Row>
  );
}
