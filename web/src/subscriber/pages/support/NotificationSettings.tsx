import { useState } from 'react';
import { Button, Input, List, Switch, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { NotificationPreferencesPatch } from '@telehall/contracts';
import { queryKeys } from '../../../api/keys';
import { enablePush, preferencesQuery, pushSupported, savePreferences } from '../../../api/notifications';
import { errorMessage } from '../../../shared/errors';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';

const CHANNELS = ['inapp', 'sms', 'email', 'push'] as const;

/** Marketing channels, quiet hours and browser push; service messages are shown locked on. */
export default function NotificationSettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const prefs = useQuery(preferencesQuery());
  const [quiet, setQuiet] = useState<{ start: string; end: string } | null>(null);

  async function save(patch: NotificationPreferencesPatch) {
    try {
      queryClient.setQueryData(queryKeys.notifications.preferences(), await savePreferences(patch));
      Toast.show({ content: t('common.saved') });
    } catch (err) {
      Toast.show({ content: errorMessage(t, err) });
    }
  }

  async function turnOnPush() {
    try {
      await enablePush();
      Toast.show({ content: t('notify.pushOn') });
    } catch (err) {
      Toast.show({ content: t('notify.pushFailed', { reason: err instanceof Error ? err.message : String(err) }) });
    }
  }

  if (!prefs.data) return <SubPage title={t('notify.settingsTitle')}><QueryState error={prefs.error} onRetry={() => void prefs.refetch()} /></SubPage>;
  const p = prefs.data;
  const q = quiet ?? { start: p.quietHours.start, end: p.quietHours.end };
  return (
    <SubPage title={t('notify.settingsTitle')}>
      <List header={t('notify.transactional')} mode="card">
        {CHANNELS.map((c) => (
          <List.Item key={c} extra={<Switch checked disabled />} description={c === 'inapp' ? t('notify.transactionalHint') : undefined}>{t(`channels.${c}`)}</List.Item>
        ))}
      </List>
      <List header={t('notify.marketing')} mode="card">
        {CHANNELS.map((c) => (
          <List.Item key={c} extra={<Switch data-testid={`pref-marketing-${c}`} checked={p.marketing[c]} onChange={(v) => void save({ marketing: { [c]: v } })} />}>
            {t(`channels.${c}`)}
          </List.Item>
        ))}
      </List>
      <List header={t('notify.quietHours')} mode="card">
        <List.Item extra={<Input data-testid="quiet-start" type="time" value={q.start} onChange={(v) => setQuiet({ ...q, start: v })} />}>{t('notify.quietStart')}</List.Item>
        <List.Item extra={<Input data-testid="quiet-end" type="time" value={q.end} onChange={(v) => setQuiet({ ...q, end: v })} />}>{t('notify.quietEnd')}</List.Item>
        <List.Item>
          <Button size="small" color="primary" data-testid="quiet-save" disabled={!quiet} onClick={() => void save({ quietHours: q }).then(() => setQuiet(null))}>{t('common.save')}</Button>
        </List.Item>
      </List>
      <List header={t('notify.push')} mode="card">
        <List.Item extra={pushSupported()
          ? <Button size="small" data-testid="push-enable" onClick={() => void turnOnPush()}>{t('notify.enablePush')}</Button>
          : <span className="th-muted">{t('notify.pushUnsupported')}</span>}
        >
          {t('notify.push')}
        </List.Item>
      </List>
    </SubPage>
  );
}
