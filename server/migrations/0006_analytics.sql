-- Analytics: per-customer feature snapshots, segmentations, decision-tree
-- models, scores, and the job rows the console polls for progress.

-- A feature snapshot: one computation of every customer's features as of a time.
-- purpose 'current' feeds segmentation and scoring; 'training' is computed as of
-- a model's label cutoff.
CREATE TABLE feature_snapshot (
  id             uuid        CONSTRAINT feature_snapshot_pk PRIMARY KEY,
  version        integer     NOT NULL,
  purpose        text        NOT NULL CONSTRAINT feature_snapshot_purpose_ck CHECK (purpose IN ('current', 'training')),
  as_of          timestamptz NOT NULL,
  feature_set    integer     NOT NULL,
  customer_count integer     NOT NULL,
  computed_at    timestamptz NOT NULL,
  CONSTRAINT feature_snapshot_version_uq UNIQUE (version)
);
CREATE INDEX feature_snapshot_purpose_ix ON feature_snapshot (purpose, computed_at DESC);

-- Feature values as JSON so a new feature group adds keys, not columns.
CREATE TABLE customer_feature (
  snapshot_id  uuid        NOT NULL CONSTRAINT customer_feature_snapshot_fk REFERENCES feature_snapshot (id),
  customer_id  uuid        NOT NULL CONSTRAINT customer_feature_customer_fk REFERENCES customer (id),
  computed_at  timestamptz NOT NULL,
  features     jsonb       NOT NULL,
  CONSTRAINT customer_feature_pk PRIMARY KEY (snapshot_id, customer_id)
);
CREATE INDEX customer_feature_customer_ix ON customer_feature (customer_id);

-- Long-running analytics work (segmentation runs, scoring) with progress for the console.
CREATE TABLE analytics_job (
  id          uuid        CONSTRAINT analytics_job_pk PRIMARY KEY,
  kind        text        NOT NULL CONSTRAINT analytics_job_kind_ck CHECK (kind IN ('features', 'segmentation', 'scoring')),
  status      text        NOT NULL CONSTRAINT analytics_job_status_ck CHECK (status IN ('queued', 'running', 'done', 'failed')),
  progress    real        NOT NULL DEFAULT 0 CONSTRAINT analytics_job_progress_ck CHECK (progress >= 0 AND progress <= 1),
  stage       text        NOT NULL DEFAULT '',
  params      jsonb       NOT NULL DEFAULT '{}',
  result_id   uuid,
  error       jsonb,
  created_by  text        NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX analytics_job_created_ix ON analytics_job (created_at DESC);

CREATE TABLE segmentation (
  id            uuid        CONSTRAINT segmentation_pk PRIMARY KEY,
  version       integer     NOT NULL,
  snapshot_id   uuid        NOT NULL CONSTRAINT segmentation_snapshot_fk REFERENCES feature_snapshot (id),
  k             integer     NOT NULL CONSTRAINT segmentation_k_ck CHECK (k >= 1),
  seed          integer     NOT NULL,
  features      jsonb       NOT NULL,
  -- encoder and standardiser, so later rows can be placed in the same space
  scaling       jsonb       NOT NULL,
  inertia       double precision NOT NULL,
  silhouette    double precision,
  -- k, inertia and silhouette for every k tried when a range was given
  search        jsonb,
  customer_count integer    NOT NULL,
  created_by    text        NOT NULL,
  created_at    timestamptz NOT NULL,
  CONSTRAINT segmentation_version_uq UNIQUE (version)
);

CREATE TABLE segment (
  segmentation_id uuid    NOT NULL CONSTRAINT segment_segmentation_fk REFERENCES segmentation (id),
  idx             integer NOT NULL,
  size            integer NOT NULL CONSTRAINT segment_size_ck CHECK (size >= 0),
  centroid_z      jsonb   NOT NULL,
  centroid        jsonb   NOT NULL,
  top_features    jsonb   NOT NULL,
  name_zh         text    NOT NULL,
  name_en         text    NOT NULL,
  CONSTRAINT segment_pk PRIMARY KEY (segmentation_id, idx)
);

CREATE TABLE customer_segment (
  segmentation_id uuid    NOT NULL CONSTRAINT customer_segment_segmentation_fk REFERENCES segmentation (id),
  customer_id     uuid    NOT NULL CONSTRAINT customer_segment_customer_fk REFERENCES customer (id),
  segment_idx     integer NOT NULL,
  distance        double precision NOT NULL,
  CONSTRAINT customer_segment_pk PRIMARY KEY (segmentation_id, customer_id),
  CONSTRAINT customer_segment_segment_fk FOREIGN KEY (segmentation_id, segment_idx) REFERENCES segment (segmentation_id, idx)
);
CREATE INDEX customer_segment_segment_ix ON customer_segment (segmentation_id, segment_idx, customer_id);
CREATE INDEX customer_segment_customer_ix ON customer_segment (customer_id);

CREATE TABLE model (
  id            uuid        CONSTRAINT model_pk PRIMARY KEY,
  target        text        NOT NULL CONSTRAINT model_target_ck CHECK (target IN ('churn', 'purchase')),
  version       integer     NOT NULL,
  params        jsonb       NOT NULL,
  cutoff        timestamptz NOT NULL,
  label_window_end timestamptz NOT NULL,
  snapshot_id   uuid        NOT NULL CONSTRAINT model_snapshot_fk REFERENCES feature_snapshot (id),
  encoder       jsonb       NOT NULL,
  tree          jsonb       NOT NULL,
  metrics       jsonb       NOT NULL,
  label_counts  jsonb       NOT NULL,
  created_by    text        NOT NULL,
  created_at    timestamptz NOT NULL,
  CONSTRAINT model_target_version_uq UNIQUE (target, version)
);
CREATE INDEX model_target_latest_ix ON model (target, created_at DESC);

-- Latest scores per model for every customer (campaign targets).
CREATE TABLE customer_score (
  model_id     uuid        NOT NULL CONSTRAINT customer_score_model_fk REFERENCES model (id),
  customer_id  uuid        NOT NULL CONSTRAINT customer_score_customer_fk REFERENCES customer (id),
  target       text        NOT NULL,
  score        double precision NOT NULL,
  snapshot_id  uuid        NOT NULL CONSTRAINT customer_score_snapshot_fk REFERENCES feature_snapshot (id),
  scored_at    timestamptz NOT NULL,
  CONSTRAINT customer_score_pk PRIMARY KEY (model_id, customer_id)
);
CREATE INDEX customer_score_target_ix ON customer_score (target, score DESC);
