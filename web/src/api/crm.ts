import { queryOptions } from '@tanstack/react-query';
import type { Customer360, CustomerCategory, CustomerQuery, CustomerView, Dashboard, ImportJob, ImportMapping, ImportPreview, Interaction, Unmasked } from '@telehall/contracts';
import { ApiError, staffApi } from './client';
import { staffTokens } from './tokens';

/** CRM: customers, the 360 view, imports and the customer dashboard. */

export const crmKeys = {
  all: ['crm'] as const,
  customers: (q: CustomerQuery) => [...crmKeys.all, 'customers', q] as const,
  customer360: (id: string) => [...crmKeys.all, '360', id] as const,
  categories: () => [...crmKeys.all, 'categories'] as const,
  imports: () => [...crmKeys.all, 'imports'] as const,
  importJob: (id: string) => [...crmKeys.all, 'imports', id] as const,
  dashboard: () => [...crmKeys.all, 'dashboard'] as const,
};

export const customersQuery = (q: CustomerQuery) =>
  queryOptions({
    queryKey: crmKeys.customers(q),
    queryFn: ({ signal }) => staffApi.get<{ items: CustomerView[]; nextCursor: string | null }>('/api/admin/customers', { signal, query: { ...q } }),
  });

export const customer360Query = (id: string) =>
  queryOptions({ queryKey: crmKeys.customer360(id), queryFn: ({ signal }) => staffApi.get<Customer360>(`/api/admin/customers/${id}/360`, { signal }) });

export const categoriesQuery = () =>
  queryOptions({ queryKey: crmKeys.categories(), queryFn: ({ signal }) => staffApi.get<{ items: CustomerCategory[] }>('/api/admin/customer-categories', { signal }), staleTime: 300_000 });

export const importsQuery = () =>
  queryOptions({ queryKey: crmKeys.imports(), queryFn: ({ signal }) => staffApi.get<{ items: ImportJob[] }>('/api/admin/imports', { signal }) });

/** Polled every second while the job runs. */
export const importJobQuery = (id: string) =>
  queryOptions({
    queryKey: crmKeys.importJob(id),
    queryFn: ({ signal }) => staffApi.get<ImportJob>(`/api/admin/imports/${id}`, { signal }),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 1000),
  });

export const dashboardQuery = () =>
  queryOptions({ queryKey: crmKeys.dashboard(), queryFn: ({ signal }) => staffApi.get<Dashboard>('/api/admin/dashboard', { signal }) });

export const unmaskCustomer = (id: string) => staffApi.post<Unmasked>(`/api/admin/customers/${id}/unmask`);
export const addInteraction = (id: string, body: { channel: Interaction['channel']; summary: string }) => staffApi.post<Interaction>(`/api/admin/customers/${id}/interactions`, body);
export const startImport = (body: { uploadId: string; channel: string; mapping: ImportMapping }) => staffApi.post<ImportJob>('/api/admin/imports', body);

/** Raw-body request with the staff token; one retry after a refresh (done by a cheap JSON call) on 401. */
async function raw(method: string, url: string, body?: Blob, type?: string): Promise<Response> {
  const go = () => fetch(url, { method, body, headers: { Authorization: `Bearer ${staffTokens.get()?.accessToken ?? ''}`, ...(type ? { 'Content-Type': type } : {}) } });
  let res = await go();
  if (res.status === 401) {
    await staffApi.get('/api/admin/me');
    res = await go();
  }
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string; details?: unknown };
    throw new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText, e.details);
  }
  return res;
}

/** Uploads a CSV/XLSX file as the raw body (streamed to disk by the server) and returns the preview. */
export async function uploadImport(file: File, channel: string): Promise<ImportPreview> {
  const isXlsx = /\.xlsx$/i.test(file.name);
  const res = await raw('POST', `/api/admin/imports/uploads?channel=${encodeURIComponent(channel)}&fileName=${encodeURIComponent(file.name)}`, file, isXlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
  return (await res.json()) as ImportPreview;
}

/** Downloads an authenticated file (rejected rows, export) through a blob link. */
export async function download(url: string, fileName: string): Promise<void> {
  const blob = await (await raw('GET', url)).blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
