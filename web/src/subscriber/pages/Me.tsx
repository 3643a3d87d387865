import { Button, Dialog, List, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { logout } from '../../api/auth';
import { profileQuery, updateProfile } from '../../api/me';
import { queryKeys } from '../../api/keys';
import type { Language } from '../../i18n';
import { maskPhone } from '../../lib/mask';
import { errorMessage } from '../../shared/errors';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { QueryState } from '../components/QueryState';

export default function Me() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const profile = useQuery(profileQuery());

  // The server uses the profile's locale for SMS and e-mail, so the switch saves it there too.
  function languageChanged(locale: Language) {
    updateProfile({ locale })
      .then((p) => queryClient.setQueryData(queryKeys.me.profile(), p))
      .catch((err: unknown) => Toast.show({ content: t('me.localeNotSaved', { reason: errorMessage(t, err) }) }));
  }

  async function confirmLogout() {
    const ok = await Dialog.confirm({ content: t('me.logoutConfirm'), confirmText: t('me.logout'), cancelText: t('common.cancel') });
    if (!ok) return;
    await logout();
    await navigate('/login', { replace: true });
  }

  if (!profile.data) return <QueryState error={profile.error} onRetry={() => void profile.refetch()} />;
  const me = profile.data;

  return (
    <div className="th-page">
      <div className="th-hero">
        <div className="th-hero-greeting" data-testid="me-name">{me.name || t('common.notSet')}</div>
        <div className="th-hero-sub" data-testid="me-phone">{maskPhone(me.phone)}</div>
      </div>
      <List header={t('me.account')} mode="card">
        <List.Item onClick={() => void navigate('/me/profile')} extra={me.email ?? ''} data-testid="me-profile">
          {t('me.profile')}
        </List.Item>
        <List.Item onClick={() => void navigate('/me/password')} data-testid="me-password">
          {t('me.changePassword')}
        </List.Item>
        <List.Item onClick={() => void navigate('/me/devices')} data-testid="me-devices">
          {t('me.devices')}
        </List.Item>
      </List>
      <List header={t('me.service')} mode="card">
        <List.Item onClick={() => void navigate('/support')} data-testid="me-support">{t('me.support')}</List.Item>
        <List.Item onClick={() => void navigate('/me/orders')} data-testid="me-orders">{t('me.orders')}</List.Item>
        <List.Item onClick={() => void navigate('/inbox')} data-testid="me-inbox">{t('me.inbox')}</List.Item>
        <List.Item onClick={() => void navigate('/me/notification-settings')} data-testid="me-notify-settings">{t('me.notifySettings')}</List.Item>
      </List>
      <List header={t('me.settings')} mode="card">
        <List.Item extra={<LanguageSwitch onChanged={languageChanged} />}>{t('me.language')}</List.Item>
      </List>
      <div className="th-actions">
        <Button block color="danger" fill="outline" data-testid="logout" onClick={() => void confirmLogout()}>
          {t('me.logout')}
        </Button>
      </div>
    </div>
  );
}
