import { useTranslation } from 'react-i18next';

type Group = 'actorKinds' | 'messageStatus';

/** Label for a server enum value; values this build does not know yet show as-is. */
export function useEnumLabel(): (group: Group, value: string) => string {
  const { t, i18n } = useTranslation();
  return (group, value) => {
    const key = `${group}.${value}`;
    return i18n.exists(key) ? t(key as 'actorKinds.staff') : value;
  };
}
