import { useEffect, useState } from 'react';
import { Collapse, Empty, SearchBar } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { faqQuery } from '../../../api/support';
import { currentLanguage } from '../../../i18n';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';

/** Browse and search the FAQ (works signed in or not). */
export default function Faq() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(h);
  }, [q]);
  const faq = useQuery(faqQuery(debounced));
  const zh = currentLanguage() === 'zh-CN';
  return (
    <SubPage title={t('support.faq')} back="/support">
      <div className="th-actions">
        <SearchBar data-testid="faq-search" placeholder={t('support.faqSearch')} value={q} onChange={setQ} />
      </div>
      {!faq.data ? (
        <QueryState error={faq.error} onRetry={() => void faq.refetch()} />
      ) : faq.data.length === 0 ? (
        <Empty description={t('support.faqEmpty')} />
      ) : (
        <Collapse accordion>
          {faq.data.map((a) => (
            <Collapse.Panel key={a.id} title={<span data-testid="faq-title">{zh ? a.titleZh : a.titleEn}</span>}>
              <div className="th-faq-body">{zh ? a.bodyZh : a.bodyEn}</div>
            </Collapse.Panel>
          ))}
        </Collapse>
      )}
    </SubPage>
  );
}
