import { ErrorBlock } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { myOffersQuery } from '../../api/campaigns';
import { OfferCard } from '../components/OfferCard';
import { QueryState } from '../components/QueryState';
import { SubPage } from '../components/SubPage';

/** Every offer sent to me that I can still take. */
export default function Offers() {
  const { t } = useTranslation();
  const offers = useQuery(myOffersQuery());
  return (
    <SubPage title={t('offers.title')} back="/">
      {offers.data ? (
        offers.data.length ? offers.data.map((o) => <OfferCard key={`${o.campaignId}:${o.runNo}`} offer={o} />) : <ErrorBlock status="empty" title={t('offers.none')} description="" data-testid="offers-empty" />
      ) : (
        <QueryState error={offers.error} onRetry={() => void offers.refetch()} />
      )}
    </SubPage>
  );
}
