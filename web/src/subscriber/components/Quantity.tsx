import { useTranslation } from 'react-i18next';
import { quantityParts, type Kind } from '../../lib/units';

/** A quantity in its unit: GB/MB for data, minutes for voice, a count for SMS. */
export function Quantity({ kind, quantity, round = 'down' }: { kind: Kind; quantity: number; round?: 'down' | 'up' }) {
  const { t } = useTranslation();
  const { value, unit } = quantityParts(kind, quantity, round);
  return <>{unit ? t(`units.${unit}`, { value }) : value}</>;
}

/** Same as text, for places that need a string. */
export function useQuantityText() {
  const { t } = useTranslation();
  return (kind: Kind, quantity: number, round: 'down' | 'up' = 'down') => {
    const { value, unit } = quantityParts(kind, quantity, round);
    return unit ? t(`units.${unit}`, { value }) : value;
  };
}
