import { useEffect, useState } from 'react';
import { Button, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { OtpPurpose } from '@telehall/contracts';
import { requestOtp } from '../../api/auth';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../shared/errors';

interface Props {
  purpose: OtpPurpose;
  /** Validates and returns the phone number, or undefined if it is not valid yet. */
  getPhone: () => Promise<string | undefined>;
}

/** "Get code" button that counts down the server's resend interval. */
export function OtpButton({ purpose, getPhone }: Props) {
  const { t } = useTranslation();
  const [wait, setWait] = useState(0);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  async function send() {
    const phone = await getPhone();
    if (!phone) return;
    setSending(true);
    try {
      const res = await requestOtp(phone, purpose);
      setWait(res.resendInSeconds);
      Toast.show({ icon: 'success', content: t('otp.sent') });
    } catch (err) {
      const retry = err instanceof ApiError ? (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds : undefined;
      if (typeof retry === 'number' && retry > 0) setWait(Math.ceil(retry));
      Toast.show({ icon: 'fail', content: errorMessage(t, err) });
    } finally {
      setSending(false);
    }
  }

  return (
    <Button
      size="small"
      color="primary"
      fill="none"
      data-testid="otp-send"
      disabled={wait > 0}
      loading={sending}
      onClick={() => void send()}
    >
      {wait > 0 ? t('otp.resendIn', { seconds: wait }) : t('otp.send')}
    </Button>
  );
}
