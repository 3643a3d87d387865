import type { Audience, CampaignChannel, Offer, Schedule, Variant } from '@telehall/contracts';
import type { ColumnType } from 'kysely';

/** JSON columns: objects in (as JSON text), parsed objects out. */
type Json<T> = ColumnType<T, string, string>;

export type CampaignStatus = 'draft' | 'pending_approval' | 'approved' | 'running' | 'paused' | 'completed' | 'cancelled';
export type Arm = 'treatment' | 'control' | 'suppressed';

export interface CampaignTable {
  id: string;
  name: string;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  audience: Json<Audience>;
  offer: Json<Offer>;
  variants: Json<Variant[]>;
  channels: CampaignChannel[];
  schedule: Json<Schedule>;
  holdout_pct: number;
  seed: number;
  attribution_days: number;
  created_by: string;
  created_by_name: string;
  approved_by: string | null;
  approved_by_name: string | null;
  approved_at: Date | null;
  launched_at: Date | null;
  next_run_at: Date | null;
  runs: ColumnType<number, number | undefined, number>;
  created_at: Date;
  updated_at: Date;
}

export interface CampaignRunTable {
  campaign_id: string;
  run_no: number;
  status: 'sending' | 'done';
  audience: ColumnType<number, number | undefined, number>;
  treated: ColumnType<number, number | undefined, number>;
  control: ColumnType<number, number | undefined, number>;
  suppressed: ColumnType<number, number | undefined, number>;
  enqueued: ColumnType<number, number | undefined, number>;
  cursor_customer: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: Date;
  materialised_ms: ColumnType<number, number | undefined, number>;
  finished_at: Date | null;
}

export interface CampaignRecipientTable {
  campaign_id: string;
  run_no: number;
  customer_id: string;
  line_id: string;
  arm: Arm;
  variant: string;
  suppressed_reason: string | null;
  channels: string[];
  outbox_id: number | null;
  assigned_at: Date;
  clicked_at: Date | null;
}

export interface CampaignTakeTable {
  campaign_id: string;
  run_no: number;
  customer_id: string;
  line_id: string;
  kind: Offer['kind'];
  reference: string;
  price_fen: number;
  taken_at: Date;
  redeemed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CampaignSettingTable {
  id: number;
  frequency_cap: number;
  frequency_days: number;
  updated_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    campaign: CampaignTable;
    campaign_run: CampaignRunTable;
    campaign_recipient: CampaignRecipientTable;
    campaign_take: CampaignTakeTable;
    campaign_setting: CampaignSettingTable;
  }
}
