import { useMemo, useState } from 'react';
import { CapsuleTabs, ErrorBlock, InfiniteScroll, List, Selector, Tag } from 'antd-mobile';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { UsageRecord } from '@telehall/contracts';
import { usageRecordsQuery } from '../../api/charging';
import type { RecordFilters } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { QueryState } from '../components/QueryState';
import { Quantity } from '../components/Quantity';
import { SubPage } from '../components/SubPage';
import { useSelectedLine } from '../hooks/useSelectedLine';

type TypeFilter = 'all' | 'data' | 'voice' | 'sms';

/** The last six calendar months (local time), newest first, as [from, to) ISO bounds. */
function recentMonths(now = new Date()) {
  return Array.from({ length: 6 }, (_, i) => {
    const from = new Date(now.getFullYear(), now.getMonth() - i, 1);
    const to = new Date(now.getFullYear(), now.getMonth() - i + 1, 1);
    return { key: `${from.getFullYear()}-${String(from.getMonth() + 1).padStart(2, '0')}`, from, to };
  });
}

function RecordRow({ r }: { r: UsageRecord }) {
  const { t, i18n } = useTranslation();
  return (
    <List.Item
      data-testid="usage-record"
      data-record-id={r.id}
      prefix={<Tag color={r.type === 'data' ? 'primary' : r.type === 'voice' ? 'success' : 'warning'}>{t(`usage.kind.${r.type}`)}</Tag>}
      description={
        <div className="th-record-detail">
          <span data-testid="usage-record-allowance">
            {t('usage.fromAllowance')} <Quantity kind={r.type} quantity={r.fromAllowance} round="up" />
          </span>
          {r.chargedQuantity > 0 && (
            <span data-testid="usage-record-charged">
              {t('usage.charged')} <Quantity kind={r.type} quantity={r.chargedQuantity} round="up" />
            </span>
          )}
          {r.unratedQuantity > 0 && (
            <span className="th-negative">
              {t('usage.unrated')} <Quantity kind={r.type} quantity={r.unratedQuantity} round="up" />
            </span>
          )}
        </div>
      }
      extra={<span data-testid="usage-record-charge">{formatMoney(r.charge.amount)}</span>}
    >
      <div className="th-record-main">
        <span data-testid="usage-record-quantity">
          <Quantity kind={r.type} quantity={r.quantity} round="up" />
        </span>
        <span className="th-muted th-record-time">{formatDateTime(r.startedAt, i18n.language)}</span>
      </div>
    </List.Item>
  );
}

export default function UsageRecords() {
  const { t, i18n } = useTranslation();
  const { lines, line } = useSelectedLine();
  const [type, setType] = useState<TypeFilter>('all');
  const months = useMemo(() => recentMonths(), []);
  const [month, setMonth] = useState<string>('all');
  const filters: RecordFilters = useMemo(() => {
    const m = months.find((x) => x.key === month);
    return { type: type === 'all' ? undefined : type, from: m?.from.toISOString(), to: m?.to.toISOString() };
  }, [type, month, months]);
  const records = useInfiniteQuery({ ...usageRecordsQuery(line?.id ?? '', filters), enabled: !!line });
  const rows = records.data?.pages.flatMap((p) => p.items) ?? [];
  const monthLabel = (d: Date) => new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'short' }).format(d);

  return (
    <SubPage title={t('usage.title')} back="/">
      {!line ? (
        lines.data ? <ErrorBlock status="empty" title={t('home.noLine')} description="" /> : <QueryState error={lines.error} onRetry={() => void lines.refetch()} />
      ) : (
        <>
          <CapsuleTabs activeKey={type} onChange={(k) => setType(k as TypeFilter)}>
            {(['all', 'data', 'voice', 'sms'] as const).map((k) => (
              <CapsuleTabs.Tab key={k} title={<span data-testid={`usage-filter-${k}`}>{k === 'all' ? t('usage.all') : t(`usage.kind.${k}`)}</span>} />
            ))}
          </CapsuleTabs>
          <div className="th-month-filter" data-testid="usage-month">
            <Selector
              columns={4}
              value={[month]}
              onChange={(v) => setMonth(v[0] ?? 'all')}
              options={[{ value: 'all', label: t('usage.allMonths') }, ...months.map((m) => ({ value: m.key, label: monthLabel(m.from) }))]}
            />
          </div>
          {!records.data ? (
            <QueryState error={records.error} onRetry={() => void records.refetch()} />
          ) : (
            <>
              <List data-testid="usage-records">
                {rows.map((r) => (
                  <RecordRow key={r.id} r={r} />
                ))}
              </List>
              {rows.length === 0 ? (
                <ErrorBlock status="empty" title={t('usage.empty')} description="" data-testid="usage-empty" />
              ) : (
                <InfiniteScroll hasMore={records.hasNextPage} loadMore={async () => void (await records.fetchNextPage({ throwOnError: true }))} />
              )}
            </>
          )}
        </>
      )}
    </SubPage>
  );
}
