import { useTranslation } from 'react-i18next';
import { quantityParts, type Kind } from '../../lib/units';

/** A quantity in its unit as text: GB/MB for data, minutes for voice, a count for SMS. */
export function useQuantityText() {
  const { t } = useTranslation();
  return (kind: Kind, quantity: number, round: 'down' | 'up' = 'down') => {
    const { value, unit } = quantityParts(kind, quantity, round);
    return unit ? t(`units.${unit}`, { value }) : value;
  };
}
