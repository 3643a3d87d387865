import { Badge, Button, ErrorBlock, InfiniteScroll, List, Toast } from 'antd-mobile';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { markNotificationsRead, notificationsQuery } from '../../api/charging';
import { queryKeys } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { errorMessage } from '../../shared/errors';
import { QueryState } from '../components/QueryState';
import { SubPage } from '../components/SubPage';

export default function Inbox() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const inbox = useInfiniteQuery(notificationsQuery());
  const rows = inbox.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = inbox.data?.pages[0]?.unread ?? 0;
  const markAll = useMutation({
    mutationFn: () => markNotificationsRead(),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.notifications.all }),
    onError: (err) => Toast.show({ icon: 'fail', content: errorMessage(t, err) }),
  });

  return (
    <SubPage title={t('inbox.title')} back="/">
      {!inbox.data ? (
        <QueryState error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : rows.length === 0 ? (
        <ErrorBlock status="empty" title={t('inbox.empty')} description="" data-testid="inbox-empty" />
      ) : (
        <>
          <div className="th-inbox-bar">
            <span data-testid="inbox-unread">{t('inbox.unread', { count: unread })}</span>
            <Button size="small" disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()} data-testid="inbox-mark-all">
              {t('inbox.markAll')}
            </Button>
          </div>
          <List>
            {rows.map((n) => (
              <List.Item
                key={n.id}
                data-testid="inbox-item"
                data-read={n.read ? 'true' : 'false'}
                prefix={n.read ? <span className="th-dot-placeholder" /> : <Badge content={Badge.dot} />}
                description={<span className="th-inbox-body">{n.body}</span>}
                extra={<span className="th-muted">{formatDateTime(n.createdAt, i18n.language)}</span>}
              >
                <span className={n.read ? undefined : 'th-unread'}>{n.title ?? t('inbox.noTitle')}</span>
              </List.Item>
            ))}
          </List>
          <InfiniteScroll hasMore={inbox.hasNextPage} loadMore={async () => void (await inbox.fetchNextPage({ throwOnError: true }))} />
        </>
      )}
    </SubPage>
  );
}
