import { useState } from 'react';
import { Button, Form, Toast } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { OtpCode, Password, Phone, ResetPasswordRequest } from '@telehall/contracts';
import { resetPassword } from '../../api/auth';
import { errorMessage } from '../../shared/errors';
import { conforms, schemaRule } from '../../lib/validate';
import { AuthShell } from '../components/AuthShell';
import { OtpButton } from '../components/OtpButton';
import { TestInput } from '../components/TestInput';
import { validPhone } from '../components/phone-field';

interface Values {
  phone: string;
  otp: string;
  newPassword: string;
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);

  async function submit(values: Values) {
    if (!conforms(ResetPasswordRequest, values)) return;
    setSubmitting(true);
    try {
      await resetPassword(values);
      Toast.show({ icon: 'success', content: t('reset.done') });
      await navigate('/login', { replace: true });
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorMessage(t, err) });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthShell title={t('reset.title')} back="/login">
      <Form
        form={form}
        layout="horizontal"
          requiredMarkStyle="none"
        onFinish={(v: Values) => void submit(v)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={submitting} data-testid="reset-submit">
            {t('reset.submit')}
          </Button>
        }
      >
        <Form.Item name="phone" label={t('fields.phone')} rules={[schemaRule(Phone, t('validation.phone'), { requiredMessage: t('validation.phoneRequired') })]}>
          <TestInput testId="reset-phone" type="tel" inputMode="numeric" maxLength={11} autoComplete="tel" placeholder={t('fields.phonePlaceholder')} clearable />
        </Form.Item>
        <Form.Item
          name="otp"
          label={t('fields.otp')}
          rules={[schemaRule(OtpCode, t('validation.otp'), { requiredMessage: t('validation.otpRequired') })]}
          extra={<OtpButton purpose="reset" getPhone={() => validPhone(form)} />}
        >
          <TestInput testId="reset-otp" inputMode="numeric" maxLength={6} autoComplete="one-time-code" placeholder={t('fields.otpPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('fields.newPassword')}
          help={t('validation.passwordPolicy')}
          rules={[schemaRule(Password, t('validation.passwordPolicy'), { requiredMessage: t('validation.passwordRequired') })]}
        >
          <TestInput testId="reset-password" type="password" autoComplete="new-password" placeholder={t('fields.newPasswordPlaceholder')} />
        </Form.Item>
      </Form>
    </AuthShell>
  );
}
