import { useTranslation } from 'react-i18next';

/** Human label for a permission code; unknown codes (added by newer servers) show as-is. */
export function usePermissionLabel(): (code: string) => string {
  const { t, i18n } = useTranslation();
  return (code) => {
    const key = `permissions.${code.replace(/\./g, '_')}`;
    return i18n.exists(key) ? t(key as 'permissions.staff_manage') : code;
  };
}
