import { infiniteQueryOptions } from '@tanstack/react-query';
import type { Message } from '@telehall/contracts';
import { staffApi } from './client';
import { queryKeys, type MessageFilters } from './keys';

/** The outbound message log (SMS codes, emails, …) as staff see it. */

export interface MessagePage {
  items: Message[];
  nextCursor: string | null;
}

export const messagesQuery = (filters: MessageFilters, limit = 50) =>
  infiniteQueryOptions({
    queryKey: queryKeys.messages.list(filters),
    queryFn: ({ signal, pageParam }) =>
      staffApi.get<MessagePage>('/api/admin/messages', {
        signal,
        query: { limit, cursor: pageParam, channel: filters.channel, recipient: filters.recipient },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
