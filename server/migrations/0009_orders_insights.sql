-- Line closure time (churn labels, the dashboard's closed lines per month) and
-- orders: every plan change, add-on purchase and reward redemption, with a
-- status history (issue #7), recorded inside the transaction that does the work.

ALTER TABLE line ADD COLUMN closed_at timestamptz;
-- Lines closed before this migration have no recorded time: their last cycle end is the best bound.
UPDATE line SET closed_at = cycle_end WHERE status = 'closed' AND closed_at IS NULL;
ALTER TABLE line ADD CONSTRAINT line_closed_at_ck CHECK ((status = 'closed') = (closed_at IS NOT NULL));
CREATE INDEX line_closed_at_ix ON line (closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE customer_order (
  id          uuid        CONSTRAINT customer_order_pk PRIMARY KEY,
  customer_id uuid        NOT NULL CONSTRAINT customer_order_customer_fk REFERENCES customer (id),
  line_id     uuid        CONSTRAINT customer_order_line_fk REFERENCES line (id),
  kind        text        NOT NULL CONSTRAINT customer_order_kind_ck CHECK (kind IN ('plan_change', 'addon_purchase', 'reward_redemption')),
  status      text        NOT NULL CONSTRAINT customer_order_status_ck CHECK (status IN ('pending', 'completed', 'failed', 'cancelled')),
  -- where the order was placed: the app, a business hall / call centre (staff), or the system
  channel     text        NOT NULL CONSTRAINT customer_order_channel_ck CHECK (channel IN ('self_service', 'staff', 'system')),
  title       text        NOT NULL,
  amount_fen  bigint      NOT NULL DEFAULT 0,
  points      bigint      NOT NULL DEFAULT 0,
  -- the record the order produced: plan_change id, allowance_bucket id, redemption id
  ref_type    text,
  ref_id      text,
  details     jsonb       NOT NULL DEFAULT '{}',
  placed_by   text        NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX customer_order_created_ix ON customer_order (created_at DESC, id DESC);
CREATE INDEX customer_order_customer_ix ON customer_order (customer_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX customer_order_ref_uq ON customer_order (ref_type, ref_id) WHERE ref_id IS NOT NULL;

CREATE TABLE customer_order_event (
  id         bigserial   CONSTRAINT customer_order_event_pk PRIMARY KEY,
  order_id   uuid        NOT NULL CONSTRAINT customer_order_event_order_fk REFERENCES customer_order (id),
  status     text        NOT NULL,
  note       text,
  actor      text        NOT NULL,
  at         timestamptz NOT NULL
);
CREATE INDEX customer_order_event_order_ix ON customer_order_event (order_id, id);

-- Orders for what happened before this migration, so history is complete.
INSERT INTO customer_order (id, customer_id, line_id, kind, status, channel, title, amount_fen, ref_type, ref_id, details, placed_by, created_at, updated_at)
SELECT pc.id, pc.customer_id, pc.line_id, 'plan_change',
       CASE pc.status WHEN 'applied' THEN 'completed' WHEN 'scheduled' THEN 'pending' ELSE 'cancelled' END,
       CASE WHEN pc.requested_by LIKE 'staff:%' THEN 'staff' WHEN pc.requested_by LIKE 'subscriber:%' THEN 'self_service' ELSE 'system' END,
       fp.name_zh || ' → ' || tp.name_zh,
       CASE WHEN pc.timing = 'now' THEN greatest(pc.fee_delta_fen, 0) ELSE 0 END,
       'plan_change', pc.id::text,
       jsonb_build_object('fromPlan', fp.code, 'toPlan', tp.code, 'when', pc.timing),
       pc.requested_by, pc.requested_at, pc.requested_at
  FROM plan_change pc JOIN plan fp ON fp.id = pc.from_plan_id JOIN plan tp ON tp.id = pc.to_plan_id;
INSERT INTO customer_order (id, customer_id, line_id, kind, status, channel, title, amount_fen, ref_type, ref_id, details, placed_by, created_at, updated_at)
SELECT b.id, l.customer_id, b.line_id, 'addon_purchase', 'completed', 'system', a.name_zh, a.price_fen, 'allowance_bucket', b.id::text,
       jsonb_build_object('addon', a.code), 'system:', b.starts_at, b.starts_at
  FROM allowance_bucket b JOIN line l ON l.id = b.line_id JOIN addon a ON a.id = b.source_id
 WHERE b.source = 'addon';
INSERT INTO customer_order_event (order_id, status, note, actor, at)
SELECT id, status, 'recorded from history', placed_by, created_at FROM customer_order ORDER BY created_at;
