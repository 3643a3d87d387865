import type { ReactNode } from 'react';
import { NavBar } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';

/** Frame for the signed-out pages: brand, language switch, optional back arrow. */
export function AuthShell({ title, children, back }: { title: string; children: ReactNode; back?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="th-auth">
      <NavBar
        className="th-navbar"
        backIcon={Boolean(back)}
        onBack={back ? () => void navigate(back) : undefined}
        right={<LanguageSwitch />}
      >
        {t('app.name')}
      </NavBar>
      <h1 className="th-auth-title">{title}</h1>
      {children}
    </div>
  );
}
