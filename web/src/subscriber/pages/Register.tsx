import { useState } from 'react';
import { Button, Form, Toast } from 'antd-mobile';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RegisterRequest } from '@telehall/contracts';
import { register } from '../../api/auth';
import { updateProfile } from '../../api/me';
import { currentLanguage } from '../../i18n';
import { errorMessage } from '../../shared/errors';
import { compact, conforms, schemaRule } from '../../lib/validate';
import { AuthShell } from '../components/AuthShell';
import { phoneItem, otpItem, newPasswordItem } from '../components/auth-fields';
import { TestInput } from '../components/TestInput';

interface Values {
  phone: string;
  otp: string;
  password: string;
  name?: string;
}

export default function Register() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);

  async function submit(values: Values) {
    const body = compact({ ...values, name: values.name?.trim() }) as RegisterRequest;
    if (!conforms(RegisterRequest, body)) return;
    setSubmitting(true);
    try {
      await register(body);
      // Registration has no locale field; if they signed up in English, keep SMS and e-mail in English too.
      const locale = currentLanguage();
      if (locale !== 'zh-CN') void updateProfile({ locale }).catch(() => undefined);
      Toast.show({ icon: 'success', content: t('register.done') });
      await navigate('/', { replace: true });
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorMessage(t, err) });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthShell title={t('register.title')} back="/login">
      <Form
        form={form}
        layout="horizontal"
          requiredMarkStyle="none"
        onFinish={(v: Values) => void submit(v)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="register-submit">
            {t('register.submit')}
          </Button>
        }
      >
        {phoneItem(t, 'register-phone')}
        {otpItem(t, 'register-otp', 'register', form)}
        {newPasswordItem(t, 'register-password', 'password')}
        <Form.Item
          name="name"
          label={t('fields.nameOptional')}
          rules={[schemaRule(RegisterRequest.properties.name, t('validation.name'))]}
        >
          <TestInput testId="register-name" autoComplete="name" maxLength={60} placeholder={t('fields.namePlaceholder')} />
        </Form.Item>
      </Form>
      <div className="th-auth-links">
        <Link to="/login" data-testid="link-login">{t('register.toLogin')}</Link>
      </div>
    </AuthShell>
  );
}
