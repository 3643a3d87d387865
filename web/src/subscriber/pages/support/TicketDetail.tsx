import { useEffect, useMemo, useState } from 'react';
import { Button, Dialog, Rate, Tag, TextArea, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TicketDetail as Detail, TicketEvent } from '@telehall/contracts';
import { subscriberApi } from '../../../api/client';
import { queryKeys } from '../../../api/keys';
import { followTicket } from '../../../api/live';
import { closeMyTicket, markMyTicketRead, myTicketQuery, postMyMessage, rateTicket, reopenTicket } from '../../../api/support';
import { formatDateTime } from '../../../lib/dates';
import { errorMessage } from '../../../shared/errors';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';
import { applyTicketEvent } from '../../../shared/ticket-events';
import { statusColor } from './status';

/** One ticket as a live chat with the agent. */
export default function TicketDetail() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const detail = useQuery(myTicketQuery(id));
  const [text, setText] = useState('');
  const [rating, setRating] = useState(0);
  const key = useMemo(() => queryKeys.support.myTicket(id), [id]);

  useEffect(() => {
    if (!id) return;
    void markMyTicketRead(id).catch(() => undefined);
    return followTicket(subscriberApi, `/api/me/tickets/${encodeURIComponent(id)}/events`, `/api/me/tickets/${encodeURIComponent(id)}`, (e: TicketEvent) => {
      queryClient.setQueryData<Detail>(key, (d) => (d ? applyTicketEvent(d, e) : d));
      if (e.type === 'message' && e.message.authorKind === 'staff') void markMyTicketRead(id).catch(() => undefined);
    });
  }, [id, key, queryClient]);

  async function act(fn: () => Promise<unknown>) {
    try {
      await fn();
      await queryClient.invalidateQueries({ queryKey: key });
      await queryClient.invalidateQueries({ queryKey: queryKeys.support.myTickets() });
    } catch (err) {
      Toast.show({ content: errorMessage(t, err) });
    }
  }

  async function send() {
    const body = text.trim();
    if (!body) return;
    await act(async () => {
      const m = await postMyMessage(id, body);
      setText('');
      queryClient.setQueryData<Detail>(key, (d) => (d ? applyTicketEvent(d, { type: 'message', message: m }) : d));
    });
  }

  if (!detail.data) return <SubPage title={t('support.title')} back="/support"><QueryState error={detail.error} onRetry={() => void detail.refetch()} /></SubPage>;
  const { ticket, messages } = detail.data;
  return (
    <SubPage title={ticket.subject} back="/support">
      <div className="th-ticket-head">
        <Tag color={statusColor[ticket.status]} data-testid="ticket-status">{t(`ticketStatus.${ticket.status}`)}</Tag>
        <span>{t(`ticketCategory.${ticket.category}`)}</span>
        {ticket.status !== 'closed' && ticket.status !== 'resolved' && <span className="th-muted">{t('support.slaDue', { date: formatDateTime(ticket.slaDueAt, i18n.language) })}</span>}
      </div>
      <div className="th-chat" data-testid="chat">
        {messages.map((m) => (
          <div key={m.id} className={`th-bubble ${m.authorKind === 'subscriber' ? 'th-bubble-me' : 'th-bubble-them'}`} data-testid="chat-message">
            <div className="th-bubble-who">{m.authorKind === 'subscriber' ? t('support.you') : `${t('support.agent')} ${m.authorName}`}</div>
            <div className="th-bubble-body">{m.body}</div>
            <div className="th-bubble-meta">
              {formatDateTime(m.createdAt, i18n.language)}
              {m.authorKind === 'subscriber' && <span data-testid="chat-receipt"> · {m.readAt ? t('support.read') : t('support.delivered')}</span>}
            </div>
          </div>
        ))}
      </div>
      {ticket.status === 'resolved' && (
        <div className="th-actions th-row">
          {ticket.reopenableUntil && <span className="th-muted">{t('support.reopenUntil', { date: formatDateTime(ticket.reopenableUntil, i18n.language) })}</span>}
          <Button size="small" data-testid="ticket-reopen" onClick={() => void act(() => reopenTicket(id))}>{t('support.reopen')}</Button>
        </div>
      )}
      {ticket.status === 'closed' ? (
        <div className="th-actions">
          <div className="th-muted">{t('support.closedHint')}</div>
          {ticket.rating ? (
            <div data-testid="ticket-rated">{t('support.rated', { rating: ticket.rating })}</div>
          ) : (
            <div className="th-rate">
              <div>{t('support.rateTitle')}</div>
              <Rate value={rating} onChange={setRating} data-testid="ticket-rate" />
              <Button size="small" color="primary" disabled={!rating} data-testid="ticket-rate-submit" onClick={() => void act(() => rateTicket(id, rating))}>{t('support.rateSubmit')}</Button>
            </div>
          )}
        </div>
      ) : (
        <div className="th-chat-input">
          <TextArea data-testid="chat-input" autoSize={{ minRows: 1, maxRows: 4 }} maxLength={4000} placeholder={t('support.chatPlaceholder')} value={text} onChange={setText} />
          <Button color="primary" data-testid="chat-send" disabled={!text.trim()} onClick={() => void send()}>{t('support.send')}</Button>
          <Button fill="none" size="small" data-testid="ticket-close" onClick={() => void (async () => {
            if (await Dialog.confirm({ content: t('support.closeConfirm'), confirmText: t('common.confirm'), cancelText: t('common.cancel') })) await act(() => closeMyTicket(id));
          })()}>{t('support.close')}</Button>
        </div>
      )}
    </SubPage>
  );
}
