import { useRef } from 'react';
import { Button, Card, Dialog, Tag, Toast } from 'antd-mobile';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { MyOffer } from '@telehall/contracts';
import { openOffer, takeOffer } from '../../api/campaigns';
import { queryKeys } from '../../api/keys';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { maskPhone } from '../../lib/mask';
import { newIdempotencyKey } from '../../lib/units';
import { errorMessage } from '../../shared/errors';

/** One offer with a one-tap "take" button; the take is idempotent (one key per offer view). */
export function OfferCard({ offer }: { offer: MyOffer }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const key = useRef(newIdempotencyKey());
  const opened = useRef(false);
  const take = useMutation({
    mutationFn: () => takeOffer(offer.campaignId, key.current),
    onSuccess: async () => {
      Toast.show({ icon: 'success', content: t('offers.taken') });
      await Promise.all([qc.invalidateQueries({ queryKey: queryKeys.campaigns.offers() }), qc.invalidateQueries({ queryKey: queryKeys.lines.all })]);
    },
    onError: (err) => void Dialog.alert({ title: t('offers.failed'), content: <span data-testid="offer-error">{errorMessage(t, err)}</span>, confirmText: t('common.confirm') }),
  });
  const markOpened = () => {
    if (opened.current) return;
    opened.current = true;
    void openOffer(offer.campaignId).catch(() => undefined);
  };
  return (
    <Card className="th-card th-offer-card" data-testid="offer-card" onClick={markOpened}
      title={<span data-testid="offer-title">{offer.title}</span>} extra={<Tag color="danger">{t('offers.tag')}</Tag>}>
      <div data-testid="offer-body">{offer.body}</div>
      <div className="th-muted">
        {maskPhone(offer.msisdn)} · {t('offers.until', { date: formatDate(offer.expiresAt, i18n.language) })}
      </div>
      {offer.price && (
        <div data-testid="offer-price">
          <strong>{formatMoney(offer.price.amount)}</strong>
          {offer.listPrice && offer.listPrice.amount !== offer.price.amount && <s className="th-muted"> {formatMoney(offer.listPrice.amount)}</s>}
        </div>
      )}
      {offer.points !== null && <div data-testid="offer-points">{t('offers.points', { points: offer.points })}</div>}
      {offer.taken ? (
        <Tag color="success" data-testid="offer-taken">{t('offers.takenTag')}</Tag>
      ) : (
        <Button color="primary" size="small" data-testid="offer-take" loading={take.isPending} onClick={() => { markOpened(); take.mutate(); }}>
          {t('offers.take')}
        </Button>
      )}
    </Card>
  );
}
