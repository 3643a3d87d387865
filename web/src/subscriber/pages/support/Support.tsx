import { Button, Empty, List, Tag } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { myTicketsQuery } from '../../../api/support';
import { formatDateTime } from '../../../lib/dates';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';
import { statusColor } from './status';

/** My tickets, with the way to a new one and to the FAQ. */
export default function Support() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const tickets = useQuery(myTicketsQuery());
  return (
    <SubPage title={t('support.title')}>
      <div className="th-actions th-row">
        <Button color="primary" data-testid="support-new" onClick={() => void navigate('/support/new')}>{t('support.newTicket')}</Button>
        <Button data-testid="support-faq" onClick={() => void navigate('/faq')}>{t('support.faq')}</Button>
      </div>
      {!tickets.data ? (
        <QueryState error={tickets.error} onRetry={() => void tickets.refetch()} />
      ) : tickets.data.length === 0 ? (
        <Empty description={t('support.noTickets')} />
      ) : (
        <List header={t('support.myTickets')} mode="card">
          {tickets.data.map((tk) => (
            <List.Item
              key={tk.id}
              data-testid={`ticket-row-${tk.id}`}
              onClick={() => void navigate(`/support/${tk.id}`)}
              description={`${t(`ticketCategory.${tk.category}`)} · ${formatDateTime(tk.updatedAt, i18n.language)}`}
              extra={<Tag color={statusColor[tk.status]}>{t(`ticketStatus.${tk.status}`)}</Tag>}
            >
              {tk.subject}
            </List.Item>
          ))}
        </List>
      )}
    </SubPage>
  );
}
