-- Catalog, lines, ledger, allowance buckets, usage events, outbox.

-- catalog: versioned rows; a line points at the exact version it bought ----
CREATE TABLE plan (
  id                 uuid        CONSTRAINT plan_pk PRIMARY KEY,
  code               text        NOT NULL,
  version            integer     NOT NULL,
  name_zh            text        NOT NULL,
  name_en            text        NOT NULL,
  tier               integer     NOT NULL DEFAULT 1,
  monthly_fee_fen    bigint      NOT NULL CONSTRAINT plan_fee_ck CHECK (monthly_fee_fen >= 0),
  data_bytes         bigint      NOT NULL CONSTRAINT plan_data_ck CHECK (data_bytes >= 0),
  voice_seconds      bigint      NOT NULL CONSTRAINT plan_voice_ck CHECK (voice_seconds >= 0),
  sms_count          bigint      NOT NULL CONSTRAINT plan_sms_ck CHECK (sms_count >= 0),
  data_fen_per_gb    bigint      NOT NULL CONSTRAINT plan_data_rate_ck CHECK (data_fen_per_gb >= 0),
  voice_fen_per_min  bigint      NOT NULL CONSTRAINT plan_voice_rate_ck CHECK (voice_fen_per_min >= 0),
  sms_fen_each       bigint      NOT NULL CONSTRAINT plan_sms_rate_ck CHECK (sms_fen_each >= 0),
  contract_months    integer     NOT NULL DEFAULT 0 CONSTRAINT plan_contract_ck CHECK (contract_months >= 0),
  active             boolean     NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_code_version_uq UNIQUE (code, version)
);

CREATE TABLE addon (
  id             uuid        CONSTRAINT addon_pk PRIMARY KEY,
  code           text        NOT NULL,
  version        integer     NOT NULL,
  name_zh        text        NOT NULL,
  name_en        text        NOT NULL,
  kind           text        NOT NULL CONSTRAINT addon_kind_ck CHECK (kind IN ('data', 'voice', 'sms')),
  quantity       bigint      NOT NULL CONSTRAINT addon_quantity_ck CHECK (quantity > 0),
  validity_days  integer     NOT NULL CONSTRAINT addon_validity_ck CHECK (validity_days > 0),
  price_fen      bigint      NOT NULL CONSTRAINT addon_price_ck CHECK (price_fen >= 0),
  active         boolean     NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT addon_code_version_uq UNIQUE (code, version)
);

-- subscriptions -------------------------------------------------------------
CREATE TABLE line (
  id               uuid        CONSTRAINT line_pk PRIMARY KEY,
  customer_id      uuid        NOT NULL CONSTRAINT line_customer_fk REFERENCES customer (id),
  msisdn           text        NOT NULL CONSTRAINT line_msisdn_ck CHECK (msisdn ~ '^1[3-9][0-9]{9}$'),
  plan_id          uuid        NOT NULL CONSTRAINT line_plan_fk REFERENCES plan (id),
  status           text        NOT NULL DEFAULT 'active' CONSTRAINT line_status_ck CHECK (status IN ('active', 'suspended', 'closed')),
  status_reason    text,
  credit_limit_fen bigint      NOT NULL DEFAULT 0 CONSTRAINT line_credit_ck CHECK (credit_limit_fen >= 0),
  cycle_start      timestamptz NOT NULL,
  cycle_end        timestamptz NOT NULL,
  contract_end     timestamptz,
  activated_at     timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT line_cycle_ck CHECK (cycle_end > cycle_start)
);
CREATE UNIQUE INDEX line_msisdn_uq ON line (msisdn) WHERE status <> 'closed';
CREATE INDEX line_customer_ix ON line (customer_id);
CREATE INDEX line_cycle_end_ix ON line (cycle_end) WHERE status <> 'closed';

CREATE TABLE plan_change (
  id            uuid        CONSTRAINT plan_change_pk PRIMARY KEY,
  line_id       uuid        NOT NULL CONSTRAINT plan_change_line_fk REFERENCES line (id),
  customer_id   uuid        NOT NULL,
  from_plan_id  uuid        NOT NULL CONSTRAINT plan_change_from_fk REFERENCES plan (id),
  to_plan_id    uuid        NOT NULL CONSTRAINT plan_change_to_fk REFERENCES plan (id),
  timing        text        NOT NULL CONSTRAINT plan_change_timing_ck CHECK (timing IN ('now', 'next_cycle')),
  status        text        NOT NULL CONSTRAINT plan_change_status_ck CHECK (status IN ('scheduled', 'applied', 'cancelled')),
  fee_delta_fen bigint      NOT NULL DEFAULT 0,
  requested_by  text        NOT NULL,
  requested_at  timestamptz NOT NULL,
  effective_at  timestamptz NOT NULL
);
CREATE INDEX plan_change_line_ix ON plan_change (line_id, requested_at DESC);
CREATE UNIQUE INDEX plan_change_one_scheduled_uq ON plan_change (line_id) WHERE status = 'scheduled';

-- ledger: double entry, append-only, integer minor units -------------------
-- An account's balance is the sum of its entries (money in minus money out);
-- `balance` is maintained in the same transaction and checked against them.
CREATE TABLE ledger_account (
  id          uuid        CONSTRAINT ledger_account_pk PRIMARY KEY,
  code        text        NOT NULL,
  asset       text        NOT NULL CONSTRAINT ledger_account_asset_ck CHECK (asset IN ('CNY', 'POINTS')),
  kind        text        NOT NULL CONSTRAINT ledger_account_kind_ck CHECK (kind IN ('line_balance', 'revenue', 'clearing', 'adjustment', 'points', 'system')),
  line_id     uuid        CONSTRAINT ledger_account_line_fk REFERENCES line (id),
  balance     bigint      NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ledger_account_code_uq UNIQUE (code)
) WITH (fillfactor = 70); -- room for HOT updates of balance
CREATE UNIQUE INDEX ledger_account_line_asset_uq ON ledger_account (line_id, asset) WHERE kind = 'line_balance';

CREATE TABLE ledger_tx (
  id              uuid        CONSTRAINT ledger_tx_pk PRIMARY KEY,
  kind            text        NOT NULL,
  line_id         uuid,
  reference       text,
  memo            text        NOT NULL DEFAULT '',
  reverses_tx_id  uuid        CONSTRAINT ledger_tx_reverses_fk REFERENCES ledger_tx (id),
  created_at      timestamptz NOT NULL
);
CREATE INDEX ledger_tx_line_ix ON ledger_tx (line_id, created_at DESC) WHERE line_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_tx_reverses_uq ON ledger_tx (reverses_tx_id) WHERE reverses_tx_id IS NOT NULL;

CREATE TABLE ledger_entry (
  id          bigint      GENERATED ALWAYS AS IDENTITY CONSTRAINT ledger_entry_pk PRIMARY KEY,
  tx_id       uuid        NOT NULL CONSTRAINT ledger_entry_tx_fk REFERENCES ledger_tx (id),
  account_id  uuid        NOT NULL CONSTRAINT ledger_entry_account_fk REFERENCES ledger_account (id),
  amount      bigint      NOT NULL CONSTRAINT ledger_entry_amount_ck CHECK (amount <> 0),
  created_at  timestamptz NOT NULL
);
CREATE INDEX ledger_entry_account_ix ON ledger_entry (account_id, id);
CREATE INDEX ledger_entry_tx_ix ON ledger_entry (tx_id);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: correct it with a reversing entry', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER ledger_entry_append_only_tg BEFORE UPDATE OR DELETE ON ledger_entry FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_tx_append_only_tg BEFORE UPDATE OR DELETE ON ledger_tx FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- charging ---------------------------------------------------------------
CREATE TABLE allowance_bucket (
  id          uuid        CONSTRAINT allowance_bucket_pk PRIMARY KEY,
  line_id     uuid        NOT NULL CONSTRAINT allowance_bucket_line_fk REFERENCES line (id),
  kind        text        NOT NULL CONSTRAINT allowance_bucket_kind_ck CHECK (kind IN ('data', 'voice', 'sms')),
  source      text        NOT NULL CONSTRAINT allowance_bucket_source_ck CHECK (source IN ('plan', 'addon')),
  source_id   uuid        NOT NULL,
  total       bigint      NOT NULL CONSTRAINT allowance_bucket_total_ck CHECK (total >= 0),
  used        bigint      NOT NULL DEFAULT 0,
  starts_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT allowance_bucket_used_ck CHECK (used >= 0 AND used <= total)
) WITH (fillfactor = 70); -- room for HOT updates of used
CREATE INDEX allowance_bucket_line_ix ON allowance_bucket (line_id, expires_at);

-- Usage records (详单). The id is the client's: the primary key makes each
-- event count once, whatever the retries.
CREATE TABLE usage_event (
  id               text        CONSTRAINT usage_event_pk PRIMARY KEY,
  line_id          uuid        NOT NULL,
  type             text        NOT NULL CONSTRAINT usage_event_type_ck CHECK (type IN ('data', 'voice', 'sms')),
  quantity         bigint      NOT NULL CONSTRAINT usage_event_quantity_ck CHECK (quantity >= 0),
  started_at       timestamptz NOT NULL,
  from_allowance   bigint      NOT NULL,
  charged_quantity bigint      NOT NULL,
  charge_fen       bigint      NOT NULL,
  unrated_quantity bigint      NOT NULL DEFAULT 0,
  ledger_tx_id     uuid,
  rated_at         timestamptz NOT NULL,
  meta             jsonb
);
CREATE INDEX usage_event_line_ix ON usage_event (line_id, started_at DESC);

-- One notification per threshold per cycle.
CREATE TABLE usage_alert (
  line_id      uuid        NOT NULL,
  cycle_start  timestamptz NOT NULL,
  alert        text        NOT NULL,
  created_at   timestamptz NOT NULL,
  CONSTRAINT usage_alert_pk PRIMARY KEY (line_id, cycle_start, alert)
);

-- Events leave only after commit: written here in the same transaction.
CREATE TABLE outbox (
  id             bigint      GENERATED ALWAYS AS IDENTITY CONSTRAINT outbox_pk PRIMARY KEY,
  topic          text        NOT NULL,
  key            text        NOT NULL,
  payload        jsonb       NOT NULL,
  created_at     timestamptz NOT NULL,
  dispatched_at  timestamptz,
  -- to NATS JetStream when NATS_URL is set: its own cursor, so a broker outage never holds back in-process delivery
  published_at   timestamptz
);
CREATE INDEX outbox_pending_ix ON outbox (id) WHERE dispatched_at IS NULL;
CREATE INDEX outbox_unpublished_ix ON outbox (id) WHERE published_at IS NULL;

-- Idempotent commands: the first response is kept and replayed.
CREATE TABLE idempotency_key (
  scope         text        NOT NULL,
  key           text        NOT NULL,
  request_hash  text        NOT NULL,
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL,
  CONSTRAINT idempotency_key_pk PRIMARY KEY (scope, key)
);

-- Service credentials (charging feeds): only the hash is stored.
CREATE TABLE service_credential (
  id          uuid        CONSTRAINT service_credential_pk PRIMARY KEY,
  name        text        NOT NULL,
  token_hash  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  CONSTRAINT service_credential_hash_uq UNIQUE (token_hash)
);
