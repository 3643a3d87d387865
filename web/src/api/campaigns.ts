import { queryOptions } from '@tanstack/react-query';
import type {
  Audience, AudiencePreview, Campaign, CampaignChannel, CampaignInput, CampaignReport, CampaignSettings, CampaignSummary, MyOffer, OfferTakeResult, TestSendResult,
} from '@telehall/contracts';
import { staffApi, subscriberApi } from './client';
import { queryKeys } from './keys';

/** Campaigns: the console's builder, approval and report; the subscriber's offers. */

const enc = encodeURIComponent;

export const campaignsQuery = () =>
  queryOptions({ queryKey: queryKeys.campaigns.list(), queryFn: ({ signal }) => staffApi.get<{ items: CampaignSummary[]; nextCursor: string | null }>('/api/admin/campaigns', { signal, query: { limit: 200 } }) });

export const campaignQuery = (id: string) =>
  queryOptions({ queryKey: queryKeys.campaigns.one(id), queryFn: ({ signal }) => staffApi.get<Campaign>(`/api/admin/campaigns/${enc(id)}`, { signal }) });

/** The report, refreshed every 5 s while the campaign is live. */
export const campaignReportQuery = (id: string, live: boolean) =>
  queryOptions({
    queryKey: queryKeys.campaigns.report(id),
    queryFn: ({ signal }) => staffApi.get<CampaignReport>(`/api/admin/campaigns/${enc(id)}/report`, { signal }),
    refetchInterval: live ? 5000 : false,
  });

export const audiencePreviewQuery = (audience: Audience, channels: CampaignChannel[]) =>
  queryOptions({
    queryKey: queryKeys.campaigns.preview({ audience, channels }),
    queryFn: ({ signal }) => staffApi.post<AudiencePreview>('/api/admin/campaigns/audience-preview', { audience, channels }, { signal }),
    staleTime: 10_000,
  });

export const campaignSettingsQuery = () =>
  queryOptions({ queryKey: queryKeys.campaigns.settings(), queryFn: ({ signal }) => staffApi.get<CampaignSettings>('/api/admin/campaigns/settings', { signal }) });

export const createCampaign = (body: CampaignInput) => staffApi.post<Campaign>('/api/admin/campaigns', body);
export const updateCampaign = (id: string, body: CampaignInput) => staffApi.put<Campaign>(`/api/admin/campaigns/${enc(id)}`, body);
export type CampaignStep = 'submit' | 'withdraw' | 'approve' | 'launch' | 'pause' | 'resume' | 'cancel';
export const campaignStep = (id: string, step: CampaignStep) => staffApi.post<Campaign>(`/api/admin/campaigns/${enc(id)}/${step}`);
export const testSendCampaign = (id: string, phone: string) => staffApi.post<TestSendResult>(`/api/admin/campaigns/${enc(id)}/test-send`, { phone });
export const saveCampaignSettings = (body: CampaignSettings) => staffApi.put<CampaignSettings>('/api/admin/campaigns/settings', body);

export const myOffersQuery = () =>
  queryOptions({ queryKey: queryKeys.campaigns.offers(), queryFn: ({ signal }) => subscriberApi.get<{ items: MyOffer[] }>('/api/me/offers', { signal }), select: (d) => d.items });
export const openOffer = (campaignId: string) => subscriberApi.post<null>(`/api/me/offers/${enc(campaignId)}/open`);
export const takeOffer = (campaignId: string, idempotencyKey: string) =>
  subscriberApi.post<OfferTakeResult>(`/api/me/offers/${enc(campaignId)}/take`, undefined, { headers: { 'Idempotency-Key': idempotencyKey } });
