import { useEffect, useState } from 'react';
import { DotLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';

/**
 * The gateway's QR payload drawn as a scannable QR image (PNG data URL,
 * rendered in the browser by the pure-JS `qrcode` package).
 */
export function PaymentQr({ payload, size = 220 }: { payload: string; size?: number }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setSrc(undefined);
    setFailed(false);
    QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, width: size }).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [payload, size]);
  if (failed) return <div className="th-error-text">{t('pay.qrFailed')}</div>;
  if (!src) return <DotLoading />;
  return <img className="th-qr" src={src} width={size} height={size} alt={t('pay.qrAlt')} data-testid="topup-qr" data-payload={payload} />;
}
