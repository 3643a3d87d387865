-- Foundation: customers (the person behind a subscriber account), identity
-- (subscriber accounts, staff users, sessions, refresh tokens, SMS codes),
-- the message log every channel shares, and the audit log.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- customers ---------------------------------------------------------------
CREATE TABLE customer (
  id          uuid        CONSTRAINT customer_pk PRIMARY KEY,
  kind        text        NOT NULL DEFAULT 'person'
                          CONSTRAINT customer_kind_ck CHECK (kind IN ('person', 'enterprise')),
  name        text        NOT NULL DEFAULT '',
  phone       text        CONSTRAINT customer_phone_ck CHECK (phone ~ '^1[3-9][0-9]{9}$'),
  email       text,
  locale      text        NOT NULL DEFAULT 'zh-CN'
                          CONSTRAINT customer_locale_ck CHECK (locale IN ('zh-CN', 'en')),
  status      text        NOT NULL DEFAULT 'active'
                          CONSTRAINT customer_status_ck CHECK (status IN ('active', 'closed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customer_phone_uq ON customer (phone) WHERE phone IS NOT NULL;

-- identity ----------------------------------------------------------------
CREATE TABLE subscriber_account (
  customer_id         uuid        CONSTRAINT subscriber_account_pk PRIMARY KEY
                                  CONSTRAINT subscriber_account_customer_fk REFERENCES customer (id),
  phone               text        NOT NULL,
  password_hash       text        NOT NULL,
  status              text        NOT NULL DEFAULT 'active'
                                  CONSTRAINT subscriber_account_status_ck CHECK (status IN ('active', 'disabled')),
  failed_login_count  integer     NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX subscriber_account_phone_uq ON subscriber_account (phone);

CREATE TABLE staff_user (
  id                  uuid        CONSTRAINT staff_user_pk PRIMARY KEY,
  username            text        NOT NULL
                                  CONSTRAINT staff_user_username_ck CHECK (username ~ '^[a-z0-9._-]{3,32}$'),
  display_name        text        NOT NULL,
  password_hash       text        NOT NULL,
  role                text        NOT NULL
                                  CONSTRAINT staff_user_role_ck CHECK (role IN ('admin', 'agent', 'marketer', 'analyst')),
  status              text        NOT NULL DEFAULT 'active'
                                  CONSTRAINT staff_user_status_ck CHECK (status IN ('active', 'disabled')),
  failed_login_count  integer     NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_user_username_uq ON staff_user (username);

-- A session is one signed-in device; its refresh tokens form one family.
CREATE TABLE auth_session (
  id             uuid        CONSTRAINT auth_session_pk PRIMARY KEY,
  principal_kind text        NOT NULL CONSTRAINT auth_session_kind_ck CHECK (principal_kind IN ('subscriber', 'staff')),
  principal_id   uuid        NOT NULL,
  user_agent     text        NOT NULL DEFAULT '',
  ip             text        NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE INDEX auth_session_principal_ix ON auth_session (principal_kind, principal_id, created_at DESC);

CREATE TABLE refresh_token (
  token_hash  text        CONSTRAINT refresh_token_pk PRIMARY KEY,
  session_id  uuid        NOT NULL CONSTRAINT refresh_token_session_fk REFERENCES auth_session (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX refresh_token_session_ix ON refresh_token (session_id);

CREATE TABLE otp_code (
  id          uuid        CONSTRAINT otp_code_pk PRIMARY KEY,
  phone       text        NOT NULL,
  purpose     text        NOT NULL CONSTRAINT otp_code_purpose_ck CHECK (purpose IN ('register', 'login', 'reset')),
  code_hash   text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  attempts    integer     NOT NULL DEFAULT 0,
  consumed_at timestamptz
);
CREATE INDEX otp_code_phone_ix ON otp_code (phone, created_at DESC);

-- notifications: the message log all channels write to -------------------
CREATE TABLE message (
  id           uuid        CONSTRAINT message_pk PRIMARY KEY,
  channel      text        NOT NULL CONSTRAINT message_channel_ck CHECK (channel IN ('sms', 'email', 'push', 'inapp')),
  recipient    text        NOT NULL,
  customer_id  uuid        CONSTRAINT message_customer_fk REFERENCES customer (id),
  category     text        NOT NULL,
  template     text        NOT NULL,
  locale       text        NOT NULL DEFAULT 'zh-CN',
  subject      text,
  body         text        NOT NULL,
  status       text        NOT NULL DEFAULT 'queued'
                           CONSTRAINT message_status_ck CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'read')),
  provider     text        NOT NULL DEFAULT 'log',
  attempts     integer     NOT NULL DEFAULT 0,
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz
);
CREATE INDEX message_created_ix ON message (created_at DESC, id DESC);
CREATE INDEX message_recipient_ix ON message (recipient, created_at DESC);
CREATE INDEX message_customer_ix ON message (customer_id, created_at DESC) WHERE customer_id IS NOT NULL;

-- audit -------------------------------------------------------------------
CREATE TABLE audit_log (
  id             bigint      GENERATED ALWAYS AS IDENTITY CONSTRAINT audit_log_pk PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_kind     text        NOT NULL CONSTRAINT audit_log_actor_kind_ck CHECK (actor_kind IN ('staff', 'subscriber', 'system', 'service')),
  actor_id       text,
  actor_name     text        NOT NULL DEFAULT '',
  action         text        NOT NULL,
  resource_type  text        NOT NULL,
  resource_id    text,
  ip             text        NOT NULL DEFAULT '',
  user_agent     text        NOT NULL DEFAULT '',
  details        jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_ix ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_resource_ix ON audit_log (resource_type, resource_id, at DESC);
CREATE INDEX audit_log_actor_ix ON audit_log (actor_kind, actor_id, at DESC);
-- The audit log is append-only: updates and deletes are refused by the database.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only_tg BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
