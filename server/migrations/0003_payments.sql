-- Payments (top-ups through a gateway, refunds, signed callbacks), auto top-up, bills.

CREATE TABLE payment (
  id            uuid        CONSTRAINT payment_pk PRIMARY KEY,
  customer_id   uuid        NOT NULL,
  line_id       uuid        NOT NULL CONSTRAINT payment_line_fk REFERENCES line (id),
  provider      text        NOT NULL,
  method        text        NOT NULL CONSTRAINT payment_method_ck CHECK (method IN ('redirect', 'qr', 'saved')),
  origin        text        NOT NULL DEFAULT 'subscriber' CONSTRAINT payment_origin_ck CHECK (origin IN ('subscriber', 'auto_topup')),
  amount_fen    bigint      NOT NULL CONSTRAINT payment_amount_ck CHECK (amount_fen > 0),
  refunded_fen  bigint      NOT NULL DEFAULT 0,
  status        text        NOT NULL CONSTRAINT payment_status_ck CHECK (status IN ('pending', 'captured', 'cancelled', 'expired')),
  provider_ref  text,
  ledger_tx_id  uuid,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  captured_at   timestamptz,
  CONSTRAINT payment_refunded_ck CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen),
  CONSTRAINT payment_captured_ck CHECK ((status = 'captured') = (captured_at IS NOT NULL))
);
CREATE INDEX payment_customer_ix ON payment (customer_id, created_at DESC);
CREATE INDEX payment_line_ix ON payment (line_id, created_at DESC);
CREATE INDEX payment_captured_ix ON payment (captured_at) WHERE captured_at IS NOT NULL;
CREATE INDEX payment_pending_ix ON payment (expires_at) WHERE status = 'pending';

CREATE TABLE payment_refund (
  id            uuid        CONSTRAINT payment_refund_pk PRIMARY KEY,
  payment_id    uuid        NOT NULL CONSTRAINT payment_refund_payment_fk REFERENCES payment (id),
  line_id       uuid        NOT NULL,
  amount_fen    bigint      NOT NULL CONSTRAINT payment_refund_amount_ck CHECK (amount_fen > 0),
  reason        text        NOT NULL,
  staff_id      uuid,
  ledger_tx_id  uuid        NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX payment_refund_payment_ix ON payment_refund (payment_id);
CREATE INDEX payment_refund_created_ix ON payment_refund (created_at);

-- Every callback the gateway (or anyone) sends, with what we made of it.
CREATE TABLE payment_callback (
  id               bigint      GENERATED ALWAYS AS IDENTITY CONSTRAINT payment_callback_pk PRIMARY KEY,
  provider         text        NOT NULL,
  payment_id       uuid,
  outcome          text        NOT NULL CONSTRAINT payment_callback_outcome_ck CHECK (outcome IN
                     ('captured', 'cancelled', 'duplicate', 'bad_signature', 'malformed', 'unknown_payment', 'amount_mismatch', 'late', 'not_pending', 'unknown_provider')),
  signature_valid  boolean     NOT NULL,
  body             text        NOT NULL,
  ip               text        NOT NULL DEFAULT '',
  received_at      timestamptz NOT NULL
);
CREATE INDEX payment_callback_payment_ix ON payment_callback (payment_id, received_at);

CREATE TABLE auto_topup (
  line_id          uuid        CONSTRAINT auto_topup_pk PRIMARY KEY CONSTRAINT auto_topup_line_fk REFERENCES line (id),
  customer_id      uuid        NOT NULL,
  enabled          boolean     NOT NULL,
  threshold_fen    bigint      NOT NULL CONSTRAINT auto_topup_threshold_ck CHECK (threshold_fen >= 0),
  amount_fen       bigint      NOT NULL CONSTRAINT auto_topup_amount_ck CHECK (amount_fen > 0),
  daily_max_count  integer     NOT NULL CONSTRAINT auto_topup_count_ck CHECK (daily_max_count >= 1),
  daily_max_fen    bigint      NOT NULL CONSTRAINT auto_topup_max_ck CHECK (daily_max_fen > 0),
  updated_at       timestamptz NOT NULL
);

CREATE TABLE bill (
  id                 uuid        CONSTRAINT bill_pk PRIMARY KEY,
  line_id            uuid        NOT NULL CONSTRAINT bill_line_fk REFERENCES line (id),
  customer_id        uuid        NOT NULL,
  cycle              text        NOT NULL CONSTRAINT bill_cycle_ck CHECK (cycle ~ '^[0-9]{4}-[0-9]{2}$'),
  cycle_start        timestamptz NOT NULL,
  cycle_end          timestamptz NOT NULL,
  opening_fen        bigint      NOT NULL,
  plan_fee_fen       bigint      NOT NULL,
  addon_fen          bigint      NOT NULL,
  overage_data_fen   bigint      NOT NULL,
  overage_voice_fen  bigint      NOT NULL,
  overage_sms_fen    bigint      NOT NULL,
  adjustment_fen     bigint      NOT NULL,
  payment_fen        bigint      NOT NULL,
  refund_fen         bigint      NOT NULL,
  other_fen          bigint      NOT NULL,
  closing_fen        bigint      NOT NULL,
  created_at         timestamptz NOT NULL,
  CONSTRAINT bill_line_cycle_uq UNIQUE (line_id, cycle_start),
  -- The statement adds up: opening + every movement = closing.
  CONSTRAINT bill_ties_ck CHECK (opening_fen - plan_fee_fen - addon_fen - overage_data_fen - overage_voice_fen - overage_sms_fen
                                 + adjustment_fen + payment_fen - refund_fen + other_fen = closing_fen)
);
CREATE INDEX bill_customer_ix ON bill (customer_id, cycle_start DESC);
CREATE INDEX bill_cycle_ix ON bill (cycle_start);
CREATE INDEX ledger_entry_created_ix ON ledger_entry (created_at);
