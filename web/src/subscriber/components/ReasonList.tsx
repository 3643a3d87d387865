import { useTranslation } from 'react-i18next';
import type { Reason } from '@telehall/contracts';

/** Every reason a change is refused, in the UI language (server text for codes this build does not know). */
export function ReasonList({ reasons, testId }: { reasons: Reason[]; testId: string }) {
  const { t, i18n } = useTranslation();
  if (!reasons.length) return null;
  return (
    <ul className="th-reasons" data-testid={testId}>
      {reasons.map((r) => (
        <li key={r.code} data-reason={r.code}>
          {i18n.exists(`planChange.reasons.${r.code}`) ? t(`planChange.reasons.${r.code}` as 'planChange.reasons.same_plan') : r.message}
        </li>
      ))}
    </ul>
  );
}
