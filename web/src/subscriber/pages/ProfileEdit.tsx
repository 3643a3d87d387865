import { useState } from 'react';
import { Button, Form, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ProfilePatch } from '@telehall/contracts';
import { profileQuery, updateProfile } from '../../api/me';
import { queryKeys } from '../../api/keys';
import { errorMessage } from '../../shared/errors';
import { conforms, schemaRule } from '../../lib/validate';
import { QueryState } from '../components/QueryState';
import { SubPage } from '../components/SubPage';
import { TestInput } from '../components/TestInput';

interface Values {
  name: string;
  email?: string;
}

export default function ProfileEdit() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const profile = useQuery(profileQuery());
  const [saving, setSaving] = useState(false);

  async function save(values: Values) {
    const email = values.email?.trim();
    const patch: ProfilePatch = { name: values.name.trim(), email: email ? email : null };
    if (!conforms(ProfilePatch, patch)) return;
    setSaving(true);
    try {
      const updated = await updateProfile(patch);
      queryClient.setQueryData(queryKeys.me.profile(), updated);
      Toast.show({ icon: 'success', content: t('common.saved') });
      await navigate('/me');
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorMessage(t, err) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <SubPage title={t('me.profile')}>
      {profile.data ? (
        <Form
          layout="horizontal"
          requiredMarkStyle="none"
          initialValues={{ name: profile.data.name, email: profile.data.email ?? '' }}
          onFinish={(v: Values) => void save(v)}
          footer={
            <Button block type="submit" color="primary" size="large" loading={saving} data-testid="profile-save">
              {t('common.save')}
            </Button>
          }
        >
          <Form.Item
            name="name"
            label={t('fields.name')}
            rules={[schemaRule(ProfilePatch.properties.name, t('validation.name'), { requiredMessage: t('validation.nameRequired') })]}
          >
            <TestInput testId="profile-name" autoComplete="name" maxLength={60} placeholder={t('fields.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="email" label={t('fields.email')} rules={[schemaRule(ProfilePatch.properties.email, t('validation.email'))]}>
            <TestInput testId="profile-email" inputMode="email" autoComplete="email" maxLength={254} placeholder={t('fields.emailPlaceholder')} />
          </Form.Item>
        </Form>
      ) : (
        <QueryState error={profile.error} onRetry={() => void profile.refetch()} />
      )}
    </SubPage>
  );
}
