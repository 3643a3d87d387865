import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Cursor pagination footer: "load more" while the server returns a next cursor. */
export function LoadMore({ hasMore, loading, onLoad, testId, count }: { hasMore: boolean; loading: boolean; onLoad: () => void; testId: string; count: number }) {
  const { t } = useTranslation();
  return (
    <div className="th-load-more">
      {hasMore ? (
        <Button loading={loading} onClick={onLoad} data-testid={testId}>
          {t('common.loadMore')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('common.allLoaded', { count })}</Typography.Text>
      )}
    </div>
  );
}
