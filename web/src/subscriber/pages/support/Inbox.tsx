import { Button, Empty, List } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/keys';
import { inboxQuery, markInboxRead } from '../../../api/notifications';
import { formatDateTime } from '../../../lib/dates';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';

/** The in-app inbox. */
export default function Inbox() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const inbox = useQuery(inboxQuery());
  return (
    <SubPage title={t('notify.inboxTitle')}>
      {!inbox.data ? (
        <QueryState error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.items.length === 0 ? (
        <Empty description={t('notify.empty')} />
      ) : (
        <>
          {inbox.data.unread > 0 && (
            <div className="th-actions">
              <Button size="small" data-testid="inbox-read-all" onClick={() => void markInboxRead().then(() => queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all }))}>
                {t('notify.markAllRead')}
              </Button>
            </div>
          )}
          <List mode="card">
            {inbox.data.items.map((m) => (
              <List.Item key={m.id} data-testid="inbox-item" description={<><div>{m.body}</div><div className="th-muted">{formatDateTime(m.createdAt, i18n.language)}</div></>}>
                <span className={m.read ? '' : 'th-unread'}>{m.title ?? ''}</span>
              </List.Item>
            ))}
          </List>
        </>
      )}
    </SubPage>
  );
}
