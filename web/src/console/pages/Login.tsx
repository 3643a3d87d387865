import { useState } from 'react';
import { App, Button, Card, Form, Input } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { StaffLoginRequest } from '@telehall/contracts';
import { staffLogin } from '../../api/auth';
import { errorMessage } from '../../shared/errors';
import { schemaRule } from '../../lib/validate';
import { LanguageSelect } from '../components/LanguageSelect';

interface Values {
  username: string;
  password: string;
}

export default function Login() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  async function submit(values: Values) {
    setSubmitting(true);
    try {
      await staffLogin(values);
      await navigate(from, { replace: true });
    } catch (err) {
      void message.error(errorMessage(t, err));
    } finally {
      setSubmitting(false);
    }
  }

  const { username, password } = StaffLoginRequest.properties;
  return (
    <div className="th-login">
      <div className="th-login-lang">
        <LanguageSelect />
      </div>
      <Card title={t('console.login.title')} className="th-login-card">
        <Form<Values> layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('fields.username')}
            rules={[schemaRule(username, t('validation.username'), { requiredMessage: t('validation.usernameRequired') })]}
          >
            <Input id="console-login-username" data-testid="console-login-username" autoComplete="username" maxLength={32} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('fields.password')}
            rules={[schemaRule(password, t('validation.passwordRequired'), { requiredMessage: t('validation.passwordRequired') })]}
          >
            <Input.Password id="console-login-password" data-testid="console-login-password" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="console-login-submit">
            {t('console.login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
