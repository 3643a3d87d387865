import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, type Language } from '../../i18n';

/** Toggles between 中文 and English; the button names the language it switches to. */
export function LanguageSwitch({ onChanged }: { onChanged?: (lng: Language) => void }) {
  const { t } = useTranslation();
  const next: Language = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      size="mini"
      fill="outline"
      data-testid="lang-switch"
      aria-label={t('common.switchLanguage')}
      onClick={() => {
        void setLanguage(next).then(() => onChanged?.(next));
      }}
    >
      {next === 'en' ? t('common.languageEn') : t('common.languageZh')}
    </Button>
  );
}
