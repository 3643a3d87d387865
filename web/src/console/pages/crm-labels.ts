import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { categoriesQuery } from '../../api/crm';

/** Category code → name in the UI language (staff-defined ones from the server). */
export function useCategoryLabel() {
  const { i18n } = useTranslation();
  const cats = useQuery(categoriesQuery());
  return (code: string) => {
    const c = cats.data?.items.find((x) => x.code === code);
    return c ? (i18n.language === 'en' ? c.nameEn : c.nameZh) : code;
  };
}
