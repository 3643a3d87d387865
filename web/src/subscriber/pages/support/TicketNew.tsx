import { useEffect, useState } from 'react';
import { Button, Form, Input, List, Selector, TextArea, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { TICKET_CATEGORIES, type TicketCategory } from '@telehall/contracts';
import { queryKeys } from '../../../api/keys';
import { faqQuery, openTicket } from '../../../api/support';
import { currentLanguage } from '../../../i18n';
import { errorMessage } from '../../../shared/errors';
import { SubPage } from '../../components/SubPage';

type RefKind = 'none' | 'bill' | 'payment' | 'line';

/** Open a ticket; FAQ articles are suggested while the subject is typed. */
export default function TicketNew() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState('');
  const [debounced, setDebounced] = useState('');
  const [category, setCategory] = useState<TicketCategory>('other');
  const [body, setBody] = useState('');
  const [refKind, setRefKind] = useState<RefKind>('none');
  const [refId, setRefId] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const h = setTimeout(() => setDebounced(subject.trim()), 250);
    return () => clearTimeout(h);
  }, [subject]);
  const suggestions = useQuery({ ...faqQuery(debounced), enabled: debounced.length >= 2 });
  const zh = currentLanguage() === 'zh-CN';

  async function submit() {
    setBusy(true);
    try {
      const ref = refKind !== 'none' && refId.trim() ? { kind: refKind, id: refId.trim() } : undefined;
      const created = await openTicket({ subject: subject.trim(), category, body: body.trim(), ...(ref ? { ref } : {}) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.support.myTickets() });
      Toast.show({ content: t('support.created') });
      await navigate(`/support/${created.ticket.id}`, { replace: true });
    } catch (err) {
      Toast.show({ content: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <SubPage title={t('support.newTicket')} back="/support">
      <Form layout="vertical" footer={
        <Button block color="primary" loading={busy} disabled={!subject.trim() || !body.trim()} data-testid="ticket-submit" onClick={() => void submit()}>
          {t('support.submit')}
        </Button>
      }>
        <Form.Item label={t('support.subject')}>
          <Input data-testid="ticket-subject" maxLength={200} placeholder={t('support.subjectPlaceholder')} value={subject} onChange={setSubject} />
        </Form.Item>
        {suggestions.data && suggestions.data.length > 0 && debounced.length >= 2 && (
          <List header={t('support.suggestions')} data-testid="faq-suggestions">
            {suggestions.data.slice(0, 3).map((a) => (
              <List.Item key={a.id} data-testid="faq-suggestion" description={(zh ? a.bodyZh : a.bodyEn).slice(0, 60)}>
                {zh ? a.titleZh : a.titleEn}
              </List.Item>
            ))}
          </List>
        )}
        <Form.Item label={t('support.category')}>
          <Selector
            columns={3}
            options={TICKET_CATEGORIES.map((c) => ({ label: t(`ticketCategory.${c}`), value: c }))}
            value={[category]}
            onChange={(v) => v[0] && setCategory(v[0])}
          />
        </Form.Item>
        <Form.Item label={t('support.about')}>
          <Selector
            columns={4}
            options={(['none', 'bill', 'payment', 'line'] as const).map((k) => ({ label: t(`support.about${k === 'none' ? 'None' : k === 'bill' ? 'Bill' : k === 'payment' ? 'Payment' : 'Line'}`), value: k }))}
            value={[refKind]}
            onChange={(v) => v[0] && setRefKind(v[0])}
          />
        </Form.Item>
        {refKind !== 'none' && (
          <Form.Item label={t('support.refId')}>
            <Input data-testid="ticket-ref" maxLength={64} value={refId} onChange={setRefId} />
          </Form.Item>
        )}
        <Form.Item label={t('support.body')}>
          <TextArea data-testid="ticket-body" rows={4} maxLength={4000} placeholder={t('support.bodyPlaceholder')} value={body} onChange={setBody} />
        </Form.Item>
      </Form>
    </SubPage>
  );
}
