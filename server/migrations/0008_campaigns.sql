-- Campaigns: an audience (segment, prediction score, plan, category, usage),
-- an offer, messages per variant, a schedule, approval by a second staff user,
-- a seeded hold-out group recorded per subscriber, and the takes that close
-- the loop. Sending is set-based: recipients are materialised with one
-- INSERT … SELECT, and each recipient's outbox id is reserved there, so the
-- enqueue batches are replay-safe (ON CONFLICT on the outbox primary key).

CREATE TABLE campaign (
  id              uuid        CONSTRAINT campaign_pk PRIMARY KEY,
  name            text        NOT NULL CONSTRAINT campaign_name_ck CHECK (length(name) BETWEEN 1 AND 120),
  status          text        NOT NULL DEFAULT 'draft'
                              CONSTRAINT campaign_status_ck CHECK (status IN ('draft', 'pending_approval', 'approved', 'running', 'paused', 'completed', 'cancelled')),
  audience        jsonb       NOT NULL,
  offer           jsonb       NOT NULL,
  -- A/B variants: [{ key, weight, titleZh, titleEn, bodyZh, bodyEn, smsZh?, smsEn?, discountPct? }]
  variants        jsonb       NOT NULL,
  channels        text[]      NOT NULL CONSTRAINT campaign_channels_ck CHECK (channels <@ ARRAY['inapp', 'sms', 'email', 'push']::text[] AND cardinality(channels) > 0),
  schedule        jsonb       NOT NULL,
  holdout_pct     integer     NOT NULL CONSTRAINT campaign_holdout_ck CHECK (holdout_pct BETWEEN 0 AND 90),
  seed            integer     NOT NULL,
  attribution_days integer    NOT NULL CONSTRAINT campaign_attribution_ck CHECK (attribution_days BETWEEN 1 AND 90),
  created_by      uuid        NOT NULL,
  created_by_name text        NOT NULL,
  approved_by     uuid,
  approved_by_name text,
  approved_at     timestamptz,
  launched_at     timestamptz,
  next_run_at     timestamptz,
  runs            integer     NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CONSTRAINT campaign_approver_ck CHECK (approved_by IS NULL OR approved_by <> created_by)
);
CREATE INDEX campaign_created_ix ON campaign (created_at DESC, id DESC);
CREATE INDEX campaign_due_ix ON campaign (next_run_at) WHERE status = 'running';

-- One send of a campaign: once = run 1; recurring = 1, 2, …; triggered = the outbox event id.
CREATE TABLE campaign_run (
  campaign_id     uuid        NOT NULL CONSTRAINT campaign_run_campaign_fk REFERENCES campaign (id),
  run_no          bigint      NOT NULL,
  status          text        NOT NULL CONSTRAINT campaign_run_status_ck CHECK (status IN ('sending', 'done')),
  audience        integer     NOT NULL DEFAULT 0,
  treated         integer     NOT NULL DEFAULT 0,
  control         integer     NOT NULL DEFAULT 0,
  suppressed      integer     NOT NULL DEFAULT 0,
  enqueued        integer     NOT NULL DEFAULT 0,
  -- treated recipients are enqueued in customer-id order; the last one enqueued
  cursor_customer uuid,
  started_at      timestamptz NOT NULL,
  materialised_ms integer     NOT NULL DEFAULT 0,
  finished_at     timestamptz,
  CONSTRAINT campaign_run_pk PRIMARY KEY (campaign_id, run_no)
);
CREATE INDEX campaign_run_sending_ix ON campaign_run (started_at) WHERE status = 'sending';

-- Every subscriber the audience matched, with the arm they were assigned (hold-out recorded per subscriber).
CREATE TABLE campaign_recipient (
  campaign_id     uuid        NOT NULL,
  run_no          bigint      NOT NULL,
  customer_id     uuid        NOT NULL,
  line_id         uuid        NOT NULL,
  arm             text        NOT NULL CONSTRAINT campaign_recipient_arm_ck CHECK (arm IN ('treatment', 'control', 'suppressed')),
  variant         text        NOT NULL,
  -- why a subscriber got nothing although they matched: no_consent | frequency_cap
  suppressed_reason text,
  -- channels the subscriber consented to, among the campaign's
  channels        text[]      NOT NULL,
  -- reserved at materialisation for treated recipients; the enqueue inserts exactly this outbox id
  outbox_id       bigint,
  assigned_at     timestamptz NOT NULL,
  clicked_at      timestamptz,
  CONSTRAINT campaign_recipient_pk PRIMARY KEY (campaign_id, run_no, customer_id),
  CONSTRAINT campaign_recipient_run_fk FOREIGN KEY (campaign_id, run_no) REFERENCES campaign_run (campaign_id, run_no)
) WITH (fillfactor = 90);
CREATE INDEX campaign_recipient_customer_ix ON campaign_recipient (customer_id, assigned_at DESC) WHERE arm = 'treatment';

-- An offer taken by a subscriber (one per recipient); the purchase went through the normal flows.
CREATE TABLE campaign_take (
  campaign_id     uuid        NOT NULL,
  run_no          bigint      NOT NULL,
  customer_id     uuid        NOT NULL,
  line_id         uuid        NOT NULL,
  kind            text        NOT NULL CONSTRAINT campaign_take_kind_ck CHECK (kind IN ('addon', 'coupon', 'points')),
  -- the add-on order (allowance bucket) id, coupon id, or points ledger tx id
  reference       text        NOT NULL,
  price_fen       bigint      NOT NULL DEFAULT 0 CONSTRAINT campaign_take_price_ck CHECK (price_fen >= 0),
  taken_at        timestamptz NOT NULL,
  -- coupon offers: when the coupon was used (loyalty.coupon.used)
  redeemed_at     timestamptz,
  CONSTRAINT campaign_take_pk PRIMARY KEY (campaign_id, run_no, customer_id),
  CONSTRAINT campaign_take_recipient_fk FOREIGN KEY (campaign_id, run_no, customer_id) REFERENCES campaign_recipient (campaign_id, run_no, customer_id)
);
CREATE INDEX campaign_take_reference_ix ON campaign_take (reference);

-- Guard rails that hold across campaigns (one row).
CREATE TABLE campaign_setting (
  id              integer     CONSTRAINT campaign_setting_pk PRIMARY KEY CONSTRAINT campaign_setting_one_ck CHECK (id = 1),
  frequency_cap   integer     NOT NULL CONSTRAINT campaign_setting_cap_ck CHECK (frequency_cap BETWEEN 1 AND 100),
  frequency_days  integer     NOT NULL CONSTRAINT campaign_setting_days_ck CHECK (frequency_days BETWEEN 1 AND 365),
  updated_at      timestamptz NOT NULL
);
INSERT INTO campaign_setting (id, frequency_cap, frequency_days, updated_at) VALUES (1, 2, 7, now());

-- Conversion attribution looks for add-on purchases on a line after a date.
CREATE INDEX allowance_bucket_addon_ix ON allowance_bucket (line_id, source_id, starts_at) WHERE source = 'addon';
