import { useState } from 'react';
import { Button, Form, Tabs, Toast } from 'antd-mobile';
import { Link, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LoginRequest } from '@telehall/contracts';
import { login } from '../../api/auth';
import { errorMessage } from '../../shared/errors';
import { conforms } from '../../lib/validate';
import { AuthShell } from '../components/AuthShell';
import { phoneItem, otpItem } from '../components/auth-fields';
import { TestInput } from '../components/TestInput';

type Mode = 'password' | 'sms';
interface Values {
  phone: string;
  password?: string;
  otp?: string;
}

export default function Login() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<Values>();
  const [mode, setMode] = useState<Mode>('password');
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  async function submit(values: Values) {
    const body = mode === 'password' ? { phone: values.phone, password: values.password ?? '' } : { phone: values.phone, otp: values.otp ?? '' };
    if (!conforms(LoginRequest, body)) return;
    setSubmitting(true);
    try {
      await login(body);
      await navigate(from, { replace: true });
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorMessage(t, err) });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthShell title={t('login.title')}>
      <Tabs activeKey={mode} onChange={(key) => setMode(key as Mode)}>
        <Tabs.Tab key="password" title={<span data-testid="login-tab-password">{t('login.byPassword')}</span>} />
        <Tabs.Tab key="sms" title={<span data-testid="login-tab-sms">{t('login.bySms')}</span>} />
      </Tabs>
      <Form
        form={form}
        layout="horizontal"
          requiredMarkStyle="none"
        onFinish={(v: Values) => void submit(v)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        }
      >
        {phoneItem(t, 'login-phone')}
        {mode === 'password' ? (
          <Form.Item
            key="password"
            name="password"
            label={t('fields.password')}
            rules={[{ required: true, message: t('validation.passwordRequired') }]}
          >
            <TestInput testId="login-password" type="password" autoComplete="current-password" placeholder={t('fields.passwordPlaceholder')} />
          </Form.Item>
        ) : (
          otpItem(t, 'login-otp', 'login', form)
        )}
      </Form>
      <div className="th-auth-links">
        <Link to="/register" data-testid="link-register">{t('login.toRegister')}</Link>
        <Link to="/forgot-password" data-testid="link-forgot">{t('login.toForgot')}</Link>
      </div>
    </AuthShell>
  );
}
