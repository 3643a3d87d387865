import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage, isForbidden } from '../../shared/errors';

export function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title={t('console.forbiddenTitle')} subTitle={t('errors.forbidden')} data-testid="forbidden" />;
}

/** A failed query: 403 gets the "not allowed" page, anything else the message and a retry. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (isForbidden(error)) return <Forbidden />;
  return (
    <Result
      status="error"
      title={t('common.loadFailed')}
      subTitle={errorMessage(t, error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}
