import { useState } from 'react';
import { Button, Form, Toast } from 'antd-mobile';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ChangePasswordRequest } from '@telehall/contracts';
import { changePassword } from '../../api/me';
import { queryKeys } from '../../api/keys';
import { errorMessage } from '../../shared/errors';
import { conforms } from '../../lib/validate';
import { SubPage } from '../components/SubPage';
import { newPasswordItem } from '../components/auth-fields';
import { TestInput } from '../components/TestInput';

interface Values {
  currentPassword: string;
  newPassword: string;
}

export default function ChangePassword() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);

  async function save(values: Values) {
    if (!conforms(ChangePasswordRequest, values)) return;
    setSaving(true);
    try {
      await changePassword(values);
      // The server revokes every other session on a password change.
      await queryClient.invalidateQueries({ queryKey: queryKeys.me.sessions() });
      Toast.show({ icon: 'success', content: t('password.done') });
      await navigate('/me');
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorMessage(t, err) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <SubPage title={t('me.changePassword')}>
      <Form
        layout="horizontal"
          requiredMarkStyle="none"
        onFinish={(v: Values) => void save(v)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={saving} data-testid="password-submit">
            {t('password.submit')}
          </Button>
        }
      >
        <Form.Item
          name="currentPassword"
          label={t('fields.currentPassword')}
          rules={[{ required: true, message: t('validation.passwordRequired') }]}
        >
          <TestInput testId="password-current" type="password" autoComplete="current-password" />
        </Form.Item>
        {newPasswordItem(t, 'password-new', 'newPassword')}
      </Form>
      <p className="th-note">{t('password.note')}</p>
    </SubPage>
  );
}
