import { Button, Dialog, List, Tag, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Session } from '@telehall/contracts';
import { revokeSession, sessionsQuery } from '../../api/me';
import { queryKeys } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { summarizeUserAgent } from '../../lib/user-agent';
import { errorMessage } from '../../shared/errors';
import { QueryState } from '../components/QueryState';
import { SubPage } from '../components/SubPage';

export default function Devices() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery(sessionsQuery());
  const revoke = useMutation({
    mutationFn: revokeSession,
    onSuccess: () => {
      Toast.show({ icon: 'success', content: t('devices.revoked') });
      return queryClient.invalidateQueries({ queryKey: queryKeys.me.sessions() });
    },
    onError: (err) => Toast.show({ icon: 'fail', content: errorMessage(t, err) }),
  });

  async function confirmRevoke(session: Session) {
    const ok = await Dialog.confirm({ content: t('devices.revokeConfirm'), confirmText: t('devices.revoke'), cancelText: t('common.cancel') });
    if (ok) revoke.mutate(session.id);
  }

  function deviceName(ua: string): string {
    const { browser, os } = summarizeUserAgent(ua);
    if (browser && os) return t('devices.browserOnOs', { browser, os });
    return browser ?? os ?? t('devices.unknownDevice');
  }

  return (
    <SubPage title={t('me.devices')}>
      {sessions.data ? (
        <List mode="card" header={t('devices.header')}>
          {sessions.data.map((s) => (
            <List.Item
              key={s.id}
              data-testid="session-item"
              data-session-id={s.id}
              description={
                <>
                  <div>{t('devices.ip', { ip: s.ip })}</div>
                  <div>{t('devices.lastSeen', { time: formatDateTime(s.lastSeenAt, i18n.language) })}</div>
                </>
              }
              extra={
                s.current ? (
                  <Tag color="primary" data-testid="session-current">{t('devices.thisDevice')}</Tag>
                ) : (
                  <Button
                    size="mini"
                    color="danger"
                    fill="outline"
                    data-testid="session-revoke"
                    loading={revoke.isPending && revoke.variables === s.id}
                    onClick={() => void confirmRevoke(s)}
                  >
                    {t('devices.revoke')}
                  </Button>
                )
              }
            >
              <span title={s.userAgent}>{deviceName(s.userAgent)}</span>
            </List.Item>
          ))}
        </List>
      ) : (
        <QueryState error={sessions.error} onRetry={() => void sessions.refetch()} />
      )}
    </SubPage>
  );
}
