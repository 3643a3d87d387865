import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Addon, Order, OrderDetail, OrderQuery, Plan, PlaceOrderRequest } from '@telehall/contracts';
import { staffApi, subscriberApi } from './client';

/** Orders: console search and detail, a customer's orders, staff sales; the subscriber's "my orders". */

type OrderPage = { items: Order[]; nextCursor: string | null };
export type OrderFilters = Omit<OrderQuery, 'cursor' | 'limit'>;

export const orderKeys = {
  all: ['orders'] as const,
  search: (f: OrderFilters) => [...orderKeys.all, 'search', f] as const,
  customer: (id: string) => [...orderKeys.all, 'customer', id] as const,
  detail: (id: string) => [...orderKeys.all, 'detail', id] as const,
  mine: () => ['me', 'orders'] as const,
  mineDetail: (id: string) => ['me', 'orders', id] as const,
  catalog: () => [...orderKeys.all, 'catalog'] as const,
};

export const ordersQuery = (f: OrderFilters) =>
  infiniteQueryOptions({
    queryKey: orderKeys.search(f),
    queryFn: ({ signal, pageParam }) => staffApi.get<OrderPage>('/api/admin/orders', { signal, query: { ...f, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const orderQuery = (id: string) =>
  queryOptions({ queryKey: orderKeys.detail(id), queryFn: ({ signal }) => staffApi.get<OrderDetail>(`/api/admin/orders/${encodeURIComponent(id)}`, { signal }) });

/** What staff can sell: the plans and add-ons on sale (the public catalog). */
export const saleCatalogQuery = () =>
  queryOptions({
    queryKey: orderKeys.catalog(),
    queryFn: async ({ signal }) => {
      const [plans, addons] = await Promise.all([
        staffApi.get<{ items: Plan[] }>('/api/catalog/plans', { signal, auth: false }),
        staffApi.get<{ items: Addon[] }>('/api/catalog/addons', { signal, auth: false }),
      ]);
      return { plans: plans.items, addons: addons.items };
    },
    staleTime: 5 * 60_000,
  });

export function placeOrder(customerId: string, body: PlaceOrderRequest, idempotencyKey: string): Promise<OrderDetail> {
  return staffApi.post<OrderDetail>(`/api/admin/customers/${encodeURIComponent(customerId)}/orders`, body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export const myOrdersQuery = () =>
  infiniteQueryOptions({
    queryKey: orderKeys.mine(),
    queryFn: ({ signal, pageParam }) => subscriberApi.get<OrderPage>('/api/me/orders', { signal, query: { limit: 20, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const myOrderQuery = (id: string) =>
  queryOptions({ queryKey: orderKeys.mineDetail(id), queryFn: ({ signal }) => subscriberApi.get<OrderDetail>(`/api/me/orders/${encodeURIComponent(id)}`, { signal }) });
