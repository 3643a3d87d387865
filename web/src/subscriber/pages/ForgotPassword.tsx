import { useState } from 'react';
import { Button, Form, Toast } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ResetPasswordRequest } from '@telehall/contracts';
import { resetPassword } from '../../api/auth';
import { errorMessage } from '../../shared/errors';
import { conforms } from '../../lib/validate';
import { AuthShell } from '../components/AuthShell';
import { phoneItem, otpItem, newPasswordItem } from '../components/auth-fields';

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
        {phoneItem(t, 'reset-phone')}
        {otpItem(t, 'reset-otp', 'reset', form)}
        {newPasswordItem(t, 'reset-password', 'newPassword')}
      </Form>
    </AuthShell>
  );
}
