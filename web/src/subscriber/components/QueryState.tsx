import { Button, DotLoading, ErrorBlock } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/errors';

/** Loading spinner or error block with a retry, for a query that has no data yet. */
export function QueryState({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  if (!error) {
    return (
      <div className="th-loading">
        <DotLoading color="primary" />
      </div>
    );
  }
  return (
    <ErrorBlock status="default" title={t('common.loadFailed')} description={errorMessage(t, error)}>
      <Button size="small" color="primary" onClick={onRetry} data-testid="retry">
        {t('common.retry')}
      </Button>
    </ErrorBlock>
  );
}
