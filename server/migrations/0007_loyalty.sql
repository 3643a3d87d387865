-- Loyalty (issue 5): points of a line in lots, versioned earning rules, rewards,
-- redemptions and the coupon wallet. The member is the LINE (as in 和积分).
-- Point balances live in the ledger (asset POINTS); these tables hold the lots
-- (what expires when), the history with the rule behind each entry, and limits.

CREATE TABLE loyalty_member (
  line_id           uuid        CONSTRAINT loyalty_member_pk PRIMARY KEY CONSTRAINT loyalty_member_line_fk REFERENCES line (id),
  customer_id       uuid        NOT NULL,
  tier              text        NOT NULL DEFAULT 'normal' CONSTRAINT loyalty_member_tier_ck CHECK (tier IN ('normal', 'silver', 'gold', 'diamond')),
  tier_spend_fen    bigint      NOT NULL DEFAULT 0,
  tier_computed_at  timestamptz,
  -- Points clawed back by refunds that the balance could not cover; later earnings settle it first.
  shortfall         bigint      NOT NULL DEFAULT 0 CONSTRAINT loyalty_member_shortfall_ck CHECK (shortfall >= 0),
  checkin_streak    integer     NOT NULL DEFAULT 0,
  last_checkin_day  date,
  created_at        timestamptz NOT NULL
);
CREATE INDEX loyalty_member_customer_ix ON loyalty_member (customer_id);

-- Earning rules are versioned: an edit adds a version and retires the previous one.
CREATE TABLE earning_rule (
  id          uuid        CONSTRAINT earning_rule_pk PRIMARY KEY,
  code        text        NOT NULL CONSTRAINT earning_rule_code_ck CHECK (code ~ '^[a-z0-9_]{2,40}$'),
  version     integer     NOT NULL,
  kind        text        NOT NULL CONSTRAINT earning_rule_kind_ck CHECK (kind IN ('base', 'multiplier', 'first_topup', 'checkin', 'limit')),
  name_zh     text        NOT NULL,
  name_en     text        NOT NULL,
  config      jsonb       NOT NULL,
  starts_at   timestamptz,
  ends_at     timestamptz,
  active      boolean     NOT NULL,
  created_by  uuid,
  created_at  timestamptz NOT NULL,
  CONSTRAINT earning_rule_code_version_uq UNIQUE (code, version)
);
CREATE UNIQUE INDEX earning_rule_current_uq ON earning_rule (code) WHERE active;

CREATE TABLE point_lot (
  id             uuid        CONSTRAINT point_lot_pk PRIMARY KEY,
  line_id        uuid        NOT NULL CONSTRAINT point_lot_line_fk REFERENCES loyalty_member (line_id),
  points         bigint      NOT NULL CONSTRAINT point_lot_points_ck CHECK (points > 0),
  remaining      bigint      NOT NULL,
  earned_at      timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  notified_at    timestamptz,
  event_id       uuid        NOT NULL,
  CONSTRAINT point_lot_remaining_ck CHECK (remaining >= 0 AND remaining <= points)
);
CREATE INDEX point_lot_open_ix ON point_lot (line_id, expires_at) WHERE remaining > 0;
CREATE INDEX point_lot_expiry_ix ON point_lot (expires_at) WHERE remaining > 0;

-- The history a subscriber reads: every change of a line's points, signed, with its rule or reason.
CREATE TABLE point_event (
  id            uuid        CONSTRAINT point_event_pk PRIMARY KEY,
  line_id       uuid        NOT NULL CONSTRAINT point_event_line_fk REFERENCES loyalty_member (line_id),
  kind          text        NOT NULL CONSTRAINT point_event_kind_ck CHECK (kind IN ('earn', 'grant', 'redeem', 'expire', 'clawback', 'clear', 'close', 'refund')),
  points        bigint      NOT NULL,
  -- Of `points`, how much went to settle an earlier claw-back shortfall (earnings), or could not be clawed (claw-backs).
  settled       bigint      NOT NULL DEFAULT 0,
  rule_id       uuid        CONSTRAINT point_event_rule_fk REFERENCES earning_rule (id),
  reason        text        NOT NULL DEFAULT '',
  source_kind   text        NOT NULL,
  source_id     text        NOT NULL,
  -- Makes an earning, grant or claw-back happen once per source even when its event is delivered twice.
  dedupe_key    text,
  ledger_tx_id  uuid,
  staff_id      uuid,
  created_at    timestamptz NOT NULL
);
CREATE INDEX point_event_line_ix ON point_event (line_id, created_at DESC);
CREATE INDEX point_event_created_ix ON point_event (created_at);
CREATE INDEX point_event_source_ix ON point_event (source_kind, source_id);
CREATE UNIQUE INDEX point_event_dedupe_uq ON point_event (dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE reward (
  id                uuid        CONSTRAINT reward_pk PRIMARY KEY,
  code              text        NOT NULL CONSTRAINT reward_code_uq UNIQUE CONSTRAINT reward_code_ck CHECK (code ~ '^[a-z0-9_]{2,40}$'),
  kind              text        NOT NULL CONSTRAINT reward_kind_ck CHECK (kind IN ('discount', 'topup_bonus', 'data_pack', 'goods')),
  name_zh           text        NOT NULL,
  name_en           text        NOT NULL,
  description_zh    text        NOT NULL DEFAULT '',
  description_en    text        NOT NULL DEFAULT '',
  -- Face value in fen: the discount, the top-up bonus, or what the goods are worth.
  value_fen         bigint      NOT NULL CONSTRAINT reward_value_ck CHECK (value_fen >= 0),
  min_spend_fen     bigint      NOT NULL DEFAULT 0 CONSTRAINT reward_min_spend_ck CHECK (min_spend_fen >= 0),
  -- data_pack: the add-on (by code) the coupon pays for in full.
  addon_code        text,
  points_price      bigint      NOT NULL CONSTRAINT reward_points_ck CHECK (points_price >= 0),
  -- Units left; NULL is unlimited.
  stock             integer     CONSTRAINT reward_stock_ck CHECK (stock >= 0),
  issued            integer     NOT NULL DEFAULT 0,
  global_limit      integer     CONSTRAINT reward_global_limit_ck CHECK (global_limit > 0),
  per_member_limit  integer     CONSTRAINT reward_member_limit_ck CHECK (per_member_limit > 0),
  valid_days        integer     NOT NULL CONSTRAINT reward_valid_days_ck CHECK (valid_days BETWEEN 1 AND 3650),
  active            boolean     NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  CONSTRAINT reward_issued_ck CHECK (issued >= 0 AND (global_limit IS NULL OR issued <= global_limit)),
  CONSTRAINT reward_data_pack_ck CHECK ((kind = 'data_pack') = (addon_code IS NOT NULL))
);

CREATE TABLE redemption (
  id            uuid        CONSTRAINT redemption_pk PRIMARY KEY,
  line_id       uuid        NOT NULL CONSTRAINT redemption_line_fk REFERENCES loyalty_member (line_id),
  customer_id   uuid        NOT NULL,
  reward_id     uuid        NOT NULL CONSTRAINT redemption_reward_fk REFERENCES reward (id),
  points        bigint      NOT NULL CONSTRAINT redemption_points_ck CHECK (points >= 0),
  coupon_id     uuid,
  -- goods: 'ordered' until the orders side fulfils it; coupons: 'issued'.
  status        text        NOT NULL CONSTRAINT redemption_status_ck CHECK (status IN ('issued', 'ordered')),
  ledger_tx_id  uuid,
  created_at    timestamptz NOT NULL
);
CREATE INDEX redemption_line_reward_ix ON redemption (line_id, reward_id);
CREATE INDEX redemption_created_ix ON redemption (created_at);

CREATE TABLE coupon (
  id             uuid        CONSTRAINT coupon_pk PRIMARY KEY,
  line_id        uuid        NOT NULL CONSTRAINT coupon_line_fk REFERENCES loyalty_member (line_id),
  customer_id    uuid        NOT NULL,
  reward_id      uuid        NOT NULL CONSTRAINT coupon_reward_fk REFERENCES reward (id),
  status         text        NOT NULL CONSTRAINT coupon_status_ck CHECK (status IN ('available', 'reserved', 'used')),
  source_kind    text        NOT NULL,
  source_id      text        NOT NULL,
  redemption_id  uuid,
  issued_at      timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  -- A top-up holds the coupon until its payment is captured (or lapses).
  reserved_ref   text,
  used_at        timestamptz,
  used_ref       text,
  discount_fen   bigint,
  CONSTRAINT coupon_used_ck CHECK ((status = 'used') = (used_at IS NOT NULL))
);
CREATE INDEX coupon_line_ix ON coupon (line_id, status, expires_at);
CREATE INDEX coupon_reserved_ix ON coupon (reserved_ref) WHERE reserved_ref IS NOT NULL;
CREATE UNIQUE INDEX coupon_source_uq ON coupon (line_id, reward_id, source_kind, source_id) WHERE source_kind <> 'redemption';
