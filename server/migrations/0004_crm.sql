-- CRM: customer profile fields, staff-defined categories, interactions
-- (call-centre and business-hall notes), saved import mappings per channel,
-- import uploads, jobs and their rejected rows.

-- categories: four built in, staff may add more ---------------------------
CREATE TABLE customer_category (
  code        text        CONSTRAINT customer_category_pk PRIMARY KEY
                          CONSTRAINT customer_category_code_ck CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
  name_zh     text        NOT NULL,
  name_en     text        NOT NULL,
  built_in    boolean     NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO customer_category (code, name_zh, name_en, built_in) VALUES
  ('student', '学生', 'Student', true),
  ('enterprise', '企业用户', 'Enterprise', true),
  ('regular', '普通用户', 'Regular', true),
  ('other', '其他', 'Other', true);

-- customer profile --------------------------------------------------------
ALTER TABLE customer
  -- A category code from customer_category, checked by the service rather than a foreign key:
  -- the per-row RI check halved bulk-import throughput (measured with bench/import.ts).
  ADD COLUMN category           text    NOT NULL DEFAULT 'regular'
                                CONSTRAINT customer_category_ck CHECK (category ~ '^[a-z][a-z0-9_]{1,31}$'),
  ADD COLUMN id_number          text    CONSTRAINT customer_id_number_ck CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
  ADD COLUMN birth_date         date,
  ADD COLUMN gender             text    CONSTRAINT customer_gender_ck CHECK (gender IN ('male', 'female')),
  ADD COLUMN address            text,
  ADD COLUMN tags               text[]  NOT NULL DEFAULT '{}',
  ADD COLUMN channel            text,
  ADD COLUMN external_id        text,
  ADD COLUMN signup_date        date,
  ADD COLUMN monthly_charge_fen bigint  CONSTRAINT customer_monthly_charge_ck CHECK (monthly_charge_fen >= 0),
  ADD COLUMN consent_sms        boolean NOT NULL DEFAULT false,
  ADD COLUMN consent_email      boolean NOT NULL DEFAULT false,
  ADD COLUMN consent_push       boolean NOT NULL DEFAULT false,
  ADD COLUMN extras             jsonb   NOT NULL DEFAULT '{}'::jsonb,
  -- SHA-1 of the last imported record's data: an unchanged re-import is skipped.
  ADD COLUMN import_fingerprint text;
-- The import's natural keys: phone (customer_phone_uq), ID number, channel + external id.
CREATE UNIQUE INDEX customer_id_number_uq ON customer (id_number) WHERE id_number IS NOT NULL;
CREATE UNIQUE INDEX customer_external_uq ON customer (channel, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customer_name_ix ON customer (lower(name) text_pattern_ops);
CREATE INDEX customer_tags_ix ON customer USING gin (tags);
-- Lists page by id: UUIDv7 ids are creation-ordered, so the primary key serves "newest first"
-- (a (created_at, id) index cost a third of bulk-import insert time).

-- interactions: notes staff log about a contact ---------------------------
CREATE TABLE interaction (
  id           uuid        CONSTRAINT interaction_pk PRIMARY KEY,
  customer_id  uuid        NOT NULL CONSTRAINT interaction_customer_fk REFERENCES customer (id),
  channel      text        NOT NULL CONSTRAINT interaction_channel_ck CHECK (channel IN ('call_centre', 'business_hall', 'online', 'other')),
  summary      text        NOT NULL CONSTRAINT interaction_summary_ck CHECK (length(summary) BETWEEN 1 AND 2000),
  staff_id     uuid        NOT NULL,
  staff_name   text        NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX interaction_customer_ix ON interaction (customer_id, created_at DESC);

-- imports -----------------------------------------------------------------
CREATE TABLE import_mapping (
  channel     text        CONSTRAINT import_mapping_pk PRIMARY KEY,
  mapping     jsonb       NOT NULL,
  updated_by  text        NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE import_upload (
  id          uuid        CONSTRAINT import_upload_pk PRIMARY KEY,
  file_name   text        NOT NULL,
  file_path   text        NOT NULL,
  format      text        NOT NULL CONSTRAINT import_upload_format_ck CHECK (format IN ('csv', 'xlsx')),
  size_bytes  bigint      NOT NULL,
  sha256      text        NOT NULL,
  created_by  text        NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE import_job (
  id              uuid        CONSTRAINT import_job_pk PRIMARY KEY,
  channel         text        NOT NULL,
  file_name       text        NOT NULL,
  file_sha256     text        NOT NULL,
  mapping_sha256  text        NOT NULL,
  mapping         jsonb       NOT NULL,
  upload_id       uuid        CONSTRAINT import_job_upload_fk REFERENCES import_upload (id),
  header          text[]      NOT NULL DEFAULT '{}',
  status          text        NOT NULL CONSTRAINT import_job_status_ck CHECK (status IN ('queued', 'running', 'done', 'failed')),
  size_bytes      bigint      NOT NULL,
  bytes_read      bigint      NOT NULL DEFAULT 0,
  rows_processed  bigint      NOT NULL DEFAULT 0,
  inserted        bigint      NOT NULL DEFAULT 0,
  updated         bigint      NOT NULL DEFAULT 0,
  merged          bigint      NOT NULL DEFAULT 0,
  unchanged       bigint      NOT NULL DEFAULT 0,
  rejected        bigint      NOT NULL DEFAULT 0,
  report          jsonb,
  error           text,
  created_by      text        NOT NULL,
  created_at      timestamptz NOT NULL,
  started_at      timestamptz,
  finished_at     timestamptz
);
-- Same channel + same file + same mapping is the same import (idempotent re-run).
CREATE UNIQUE INDEX import_job_identity_uq ON import_job (channel, file_sha256, mapping_sha256);
CREATE INDEX import_job_created_ix ON import_job (created_at DESC, id DESC);

CREATE TABLE import_rejection (
  job_id    uuid    NOT NULL CONSTRAINT import_rejection_job_fk REFERENCES import_job (id),
  row_no    integer NOT NULL,
  issues    jsonb   NOT NULL,
  original  jsonb   NOT NULL,
  CONSTRAINT import_rejection_pk PRIMARY KEY (job_id, row_no)
);
