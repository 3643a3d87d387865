import { queryOptions } from '@tanstack/react-query';
import type { Agent, CannedReply, CannedReplyInput, FaqArticle, FaqArticleInput, QueueFilter, SupportSettings, Ticket, TicketCreate, TicketDetail, TicketMessage, TicketPage, TicketUpdate } from '@telehall/contracts';
import { staffApi, subscriberApi } from './client';
import { queryKeys } from './keys';

/** Support: the subscriber's tickets and FAQ, the agents' queue, canned replies and FAQ management. */

export const faqQuery = (q: string) =>
  queryOptions({
    queryKey: queryKeys.support.faq(q),
    queryFn: ({ signal }) => subscriberApi.get<{ items: FaqArticle[] }>('/api/faq', { signal, query: { q, limit: 10 }, auth: false }),
    select: (d) => d.items,
    staleTime: 60_000,
  });

export const myTicketsQuery = () =>
  queryOptions({
    queryKey: queryKeys.support.myTickets(),
    queryFn: ({ signal }) => subscriberApi.get<TicketPage>('/api/me/tickets', { signal, query: { limit: 100 } }),
    select: (d) => d.items,
  });

export const myTicketQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.support.myTicket(id),
    queryFn: ({ signal }) => subscriberApi.get<TicketDetail>(`/api/me/tickets/${encodeURIComponent(id)}`, { signal }),
  });

export const openTicket = (body: TicketCreate) => subscriberApi.post<TicketDetail>('/api/me/tickets', body);
export const postMyMessage = (id: string, body: string) => subscriberApi.post<TicketMessage>(`/api/me/tickets/${encodeURIComponent(id)}/messages`, { body });
export const markMyTicketRead = (id: string) => subscriberApi.post<{ updated: number }>(`/api/me/tickets/${encodeURIComponent(id)}/read`);
export const reopenTicket = (id: string) => subscriberApi.post<Ticket>(`/api/me/tickets/${encodeURIComponent(id)}/reopen`);
export const closeMyTicket = (id: string) => subscriberApi.post<Ticket>(`/api/me/tickets/${encodeURIComponent(id)}/close`);
export const rateTicket = (id: string, rating: number, comment?: string) => subscriberApi.post<Ticket>(`/api/me/tickets/${encodeURIComponent(id)}/rating`, { rating, ...(comment ? { comment } : {}) });

// -- staff ---------------------------------------------------------------
export const queueQuery = (filter: QueueFilter) =>
  queryOptions({
    queryKey: queryKeys.support.queue(filter),
    queryFn: ({ signal }) => staffApi.get<TicketPage>('/api/admin/tickets', { signal, query: { filter, limit: 200 } }),
    select: (d) => d.items,
    refetchInterval: 10_000,
  });

export const staffTicketQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.support.ticket(id),
    queryFn: ({ signal }) => staffApi.get<TicketDetail>(`/api/admin/tickets/${encodeURIComponent(id)}`, { signal }),
  });

export const agentsQuery = () =>
  queryOptions({ queryKey: queryKeys.support.agents(), queryFn: ({ signal }) => staffApi.get<{ items: Agent[] }>('/api/admin/support/agents', { signal }), select: (d) => d.items });
export const cannedQuery = () =>
  queryOptions({ queryKey: queryKeys.support.canned(), queryFn: ({ signal }) => staffApi.get<{ items: CannedReply[] }>('/api/admin/canned-replies', { signal }), select: (d) => d.items });
export const adminFaqQuery = () =>
  queryOptions({ queryKey: queryKeys.support.adminFaq(), queryFn: ({ signal }) => staffApi.get<{ items: FaqArticle[] }>('/api/admin/faq', { signal, query: { limit: 50 } }), select: (d) => d.items });

export const staffReply = (id: string, body: string, internal: boolean) => staffApi.post<TicketMessage>(`/api/admin/tickets/${encodeURIComponent(id)}/messages`, { body, internal });
export const staffMarkRead = (id: string) => staffApi.post<{ updated: number }>(`/api/admin/tickets/${encodeURIComponent(id)}/read`);
export const updateTicket = (id: string, patch: TicketUpdate) => staffApi.patch<Ticket>(`/api/admin/tickets/${encodeURIComponent(id)}`, patch);
export const assignTicket = (id: string, assigneeId: string | null) => staffApi.put<Ticket>(`/api/admin/tickets/${encodeURIComponent(id)}/assignee`, { assigneeId });
export const saveCanned = (id: string | null, body: CannedReplyInput) =>
  id ? staffApi.put<CannedReply>(`/api/admin/canned-replies/${encodeURIComponent(id)}`, body) : staffApi.post<CannedReply>('/api/admin/canned-replies', body);
export const deleteCanned = (id: string) => staffApi.delete<void>(`/api/admin/canned-replies/${encodeURIComponent(id)}`);
export const saveFaq = (id: string | null, body: FaqArticleInput) =>
  id ? staffApi.put<FaqArticle>(`/api/admin/faq/${encodeURIComponent(id)}`, body) : staffApi.post<FaqArticle>('/api/admin/faq', body);
export const deleteFaq = (id: string) => staffApi.delete<void>(`/api/admin/faq/${encodeURIComponent(id)}`);
export const supportSettingsQuery = () =>
  queryOptions({ queryKey: [...queryKeys.support.all, 'settings'] as const, queryFn: ({ signal }) => staffApi.get<SupportSettings>('/api/admin/support/settings', { signal }) });
export const saveSupportSettings = (s: SupportSettings) => staffApi.put<SupportSettings>('/api/admin/support/settings', s);
