import { ProgressCircle } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { Kind } from '../../lib/units';
import { Quantity } from './Quantity';

/** Remaining allowance of one kind as a ring: the ring shows what is left. */
export function Gauge({ kind, allowance, remaining }: { kind: Kind; allowance: number; remaining: number }) {
  const { t } = useTranslation();
  const percent = allowance > 0 ? Math.max(0, Math.min(100, Math.round((remaining * 100) / allowance))) : 0;
  const color = percent <= 10 ? 'var(--adm-color-danger)' : percent <= 30 ? 'var(--adm-color-warning)' : 'var(--adm-color-primary)';
  return (
    <div className="th-gauge" data-testid={`gauge-${kind}`}>
      <ProgressCircle percent={percent} style={{ '--size': '84px', '--track-width': '6px', '--fill-color': color }}>
        <div className="th-gauge-value" data-testid={`gauge-${kind}-remaining`}>
          {allowance > 0 ? <Quantity kind={kind} quantity={remaining} /> : t('usage.notIncluded')}
        </div>
      </ProgressCircle>
      <div className="th-gauge-label">{t(`usage.kind.${kind}`)}</div>
      <div className="th-gauge-total" data-testid={`gauge-${kind}-total`}>
        {allowance > 0 ? (
          <>
            {t('usage.of')} <Quantity kind={kind} quantity={allowance} />
          </>
        ) : (
          '\u00a0'
        )}
      </div>
    </div>
  );
}
