import { Empty, List } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { billsQuery } from '../../../api/payments';
import { maskPhone } from '../../../lib/mask';
import { formatMoney } from '../../../lib/money';
import { QueryState } from '../../components/QueryState';
import './pay.css';
import { SubPage } from '../../components/SubPage';

/** Monthly bills, newest first. */
export default function Bills() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const q = useQuery(billsQuery());
  return (
    <SubPage title={t('bills.title')} back="/">
      {!q.data ? <QueryState error={q.error} onRetry={() => void q.refetch()} /> : q.data.length === 0 ? <Empty description={t('bills.none')} /> : (
        <List mode="card">
          {q.data.map((b) => (
            <List.Item key={b.id} onClick={() => void navigate(`/bills/${b.id}`)} data-testid={`bill-${b.cycle}`}
              description={maskPhone(b.msisdn)} extra={t('bills.closing', { amount: formatMoney(b.closingBalance.amount) })}>
              {t('bills.cycle', { cycle: b.cycle })}
            </List.Item>
          ))}
        </List>
      )}
    </SubPage>
  );
}
