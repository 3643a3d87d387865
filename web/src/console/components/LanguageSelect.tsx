import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, type Language } from '../../i18n';

export function LanguageSelect() {
  const { t } = useTranslation();
  return (
    <Segmented<Language>
      size="small"
      data-testid="lang-switch"
      value={currentLanguage()}
      onChange={(lng) => void setLanguage(lng)}
      options={[
        { label: <span data-testid="lang-zh">{t('common.languageZh')}</span>, value: 'zh-CN' },
        { label: <span data-testid="lang-en">{t('common.languageEn')}</span>, value: 'en' },
      ]}
    />
  );
}
