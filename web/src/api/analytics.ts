import { queryOptions } from '@tanstack/react-query';
import type {
  AnalyticsJob, CustomerPredictions, FeatureOverview, FeatureSnapshot, Model, ModelSummary, Segmentation, SegmentationRequest, SegmentCustomerPage, TelcoBenchmark, TrainRequest,
} from '@telehall/contracts';
import { ApiError, staffApi } from './client';
import { queryKeys } from './keys';

/** Console analytics: feature snapshot, segmentation jobs and results, models, predictions. */

const enc = encodeURIComponent;

export const featureOverviewQuery = () =>
  queryOptions({ queryKey: queryKeys.analytics.features(), queryFn: ({ signal }) => staffApi.get<FeatureOverview>('/api/admin/analytics/features', { signal }) });

/** A job, polled every half second until it settles. */
export const jobQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.analytics.job(id),
    queryFn: ({ signal }) => staffApi.get<AnalyticsJob>(`/api/admin/analytics/jobs/${enc(id)}`, { signal }),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 500),
  });

/** A segmentation by id, or 'latest' (null when there is none yet). */
export const segmentationQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.analytics.segmentation(id),
    queryFn: async ({ signal }) => {
      try {
        return await staffApi.get<Segmentation>(`/api/admin/segmentations/${enc(id)}`, { signal });
      } catch (err) {
        if (id === 'latest' && err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
  });

export const segmentCustomersQuery = (id: string, idx: number, page: number, pageSize = 10) =>
  queryOptions({
    queryKey: queryKeys.analytics.segmentCustomers(id, idx, page),
    queryFn: ({ signal }) => staffApi.get<SegmentCustomerPage>(`/api/admin/segmentations/${enc(id)}/segments/${idx}/customers`, { signal, query: { limit: pageSize, offset: (page - 1) * pageSize } }),
  });

export const modelsQuery = () =>
  queryOptions({ queryKey: queryKeys.analytics.models(), queryFn: ({ signal }) => staffApi.get<{ items: ModelSummary[] }>('/api/admin/models', { signal }), select: (d) => d.items });

export const modelQuery = (id: string) =>
  queryOptions({ queryKey: queryKeys.analytics.model(id), queryFn: ({ signal }) => staffApi.get<Model>(`/api/admin/models/${enc(id)}`, { signal }) });

export const predictionQuery = (customerId: string) =>
  queryOptions({
    queryKey: queryKeys.analytics.prediction(customerId),
    queryFn: ({ signal }) => staffApi.get<CustomerPredictions>(`/api/admin/customers/${enc(customerId)}/prediction`, { signal }),
    enabled: customerId !== '',
  });

export const telcoQuery = () =>
  queryOptions({ queryKey: queryKeys.analytics.telco(), queryFn: ({ signal }) => staffApi.get<TelcoBenchmark>('/api/admin/analytics/telco-benchmark', { signal }), enabled: false, staleTime: Infinity });

export const refreshFeatures = () => staffApi.post<FeatureSnapshot>('/api/admin/analytics/features/refresh');
export const startSegmentation = (body: SegmentationRequest) => staffApi.post<AnalyticsJob>('/api/admin/segmentations', body);
export const trainModel = (body: TrainRequest) => staffApi.post<Model>('/api/admin/models', body);
