-- Support (tickets with chat, canned replies, FAQ) and the notifications
-- pipeline (preferences, quiet hours, push subscriptions, one message per
-- event and channel, retries).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- notifications pipeline ----------------------------------------------------
ALTER TABLE message ADD COLUMN event_id bigint;
ALTER TABLE message ADD COLUMN next_attempt_at timestamptz;
-- One outbox event yields at most one message per channel, whatever crashes and replays happen.
CREATE UNIQUE INDEX message_event_channel_uq ON message (event_id, channel) WHERE event_id IS NOT NULL;
CREATE INDEX message_due_ix ON message (next_attempt_at) WHERE status = 'queued';

-- Marketing opt-ins per channel; transactional messages are always on.
CREATE TABLE notification_preference (
  customer_id        uuid        CONSTRAINT notification_preference_pk PRIMARY KEY
                                 CONSTRAINT notification_preference_customer_fk REFERENCES customer (id),
  marketing_sms      boolean     NOT NULL DEFAULT false,
  marketing_email    boolean     NOT NULL DEFAULT false,
  marketing_push     boolean     NOT NULL DEFAULT true,
  marketing_inapp    boolean     NOT NULL DEFAULT true,
  -- Minutes after midnight in time_zone; start > end wraps past midnight.
  quiet_start_min    smallint    NOT NULL DEFAULT 1260
                                 CONSTRAINT notification_preference_quiet_start_ck CHECK (quiet_start_min BETWEEN 0 AND 1439),
  quiet_end_min      smallint    NOT NULL DEFAULT 480
                                 CONSTRAINT notification_preference_quiet_end_ck CHECK (quiet_end_min BETWEEN 0 AND 1439),
  time_zone          text        NOT NULL DEFAULT 'Asia/Shanghai',
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE push_subscription (
  id           uuid        CONSTRAINT push_subscription_pk PRIMARY KEY,
  customer_id  uuid        NOT NULL CONSTRAINT push_subscription_customer_fk REFERENCES customer (id),
  endpoint     text        NOT NULL,
  p256dh       text        NOT NULL,
  auth         text        NOT NULL,
  user_agent   text        NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX push_subscription_endpoint_uq ON push_subscription (endpoint);
CREATE INDEX push_subscription_customer_ix ON push_subscription (customer_id);

-- support: tickets --------------------------------------------------------
CREATE TABLE ticket (
  id                 uuid        CONSTRAINT ticket_pk PRIMARY KEY,
  customer_id        uuid        NOT NULL CONSTRAINT ticket_customer_fk REFERENCES customer (id),
  subject            text        NOT NULL CONSTRAINT ticket_subject_ck CHECK (length(subject) BETWEEN 1 AND 200),
  category           text        NOT NULL
                                 CONSTRAINT ticket_category_ck CHECK (category IN ('billing', 'network', 'plan', 'complaint', 'other')),
  priority           text        NOT NULL DEFAULT 'normal'
                                 CONSTRAINT ticket_priority_ck CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status             text        NOT NULL DEFAULT 'open'
                                 CONSTRAINT ticket_status_ck CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  ref_kind           text        CONSTRAINT ticket_ref_kind_ck CHECK (ref_kind IN ('bill', 'payment', 'line')),
  ref_id             text,
  assignee_id        uuid        CONSTRAINT ticket_assignee_fk REFERENCES staff_user (id),
  sla_due_at         timestamptz NOT NULL,
  first_response_at  timestamptz,
  resolved_at        timestamptz,
  closed_at          timestamptz,
  rating             smallint    CONSTRAINT ticket_rating_ck CHECK (rating BETWEEN 1 AND 5),
  rating_comment     text,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CONSTRAINT ticket_ref_ck CHECK ((ref_kind IS NULL) = (ref_id IS NULL))
);
CREATE INDEX ticket_customer_ix ON ticket (customer_id, created_at DESC);
CREATE INDEX ticket_queue_ix ON ticket (status, sla_due_at) WHERE status IN ('open', 'pending');
CREATE INDEX ticket_assignee_ix ON ticket (assignee_id, status) WHERE assignee_id IS NOT NULL;

CREATE TABLE ticket_message (
  id           uuid        CONSTRAINT ticket_message_pk PRIMARY KEY,
  ticket_id    uuid        NOT NULL CONSTRAINT ticket_message_ticket_fk REFERENCES ticket (id),
  customer_id  uuid        NOT NULL CONSTRAINT ticket_message_customer_fk REFERENCES customer (id),
  author_kind  text        NOT NULL CONSTRAINT ticket_message_author_kind_ck CHECK (author_kind IN ('subscriber', 'staff', 'system')),
  author_id    uuid,
  author_name  text        NOT NULL DEFAULT '',
  body         text        NOT NULL CONSTRAINT ticket_message_body_ck CHECK (length(body) BETWEEN 1 AND 4000),
  -- Internal notes are for staff only: subscriber reads filter them out in SQL.
  internal     boolean     NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL,
  read_at      timestamptz,
  CONSTRAINT ticket_message_internal_ck CHECK (NOT internal OR author_kind = 'staff')
);
CREATE INDEX ticket_message_ticket_ix ON ticket_message (ticket_id, created_at, id);

CREATE TABLE canned_reply (
  id          uuid        CONSTRAINT canned_reply_pk PRIMARY KEY,
  title       text        NOT NULL CONSTRAINT canned_reply_title_ck CHECK (length(title) BETWEEN 1 AND 100),
  body        text        NOT NULL CONSTRAINT canned_reply_body_ck CHECK (length(body) BETWEEN 1 AND 4000),
  locale      text        NOT NULL DEFAULT 'zh-CN' CONSTRAINT canned_reply_locale_ck CHECK (locale IN ('zh-CN', 'en')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row: how new tickets are assigned.
CREATE TABLE support_setting (
  id                smallint    CONSTRAINT support_setting_pk PRIMARY KEY CONSTRAINT support_setting_one_ck CHECK (id = 1),
  assignment        text        NOT NULL DEFAULT 'round_robin'
                                CONSTRAINT support_setting_assignment_ck CHECK (assignment IN ('round_robin', 'least_busy', 'manual')),
  last_assigned_id  uuid,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO support_setting (id) VALUES (1);

-- FAQ: bilingual articles, full text (simple config) plus trigram matching for Chinese.
CREATE TABLE faq_article (
  id          uuid        CONSTRAINT faq_article_pk PRIMARY KEY DEFAULT gen_random_uuid(),
  category    text        NOT NULL,
  title_zh    text        NOT NULL,
  body_zh     text        NOT NULL,
  title_en    text        NOT NULL,
  body_en     text        NOT NULL,
  published   boolean     NOT NULL DEFAULT true,
  sort        integer     NOT NULL DEFAULT 0,
  search      tsvector    GENERATED ALWAYS AS (to_tsvector('simple', title_zh || ' ' || title_en || ' ' || body_zh || ' ' || body_en)) STORED,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX faq_article_search_ix ON faq_article USING gin (search);
CREATE INDEX faq_article_title_trgm_ix ON faq_article USING gin ((title_zh || ' ' || title_en) gin_trgm_ops);
CREATE INDEX faq_article_body_trgm_ix ON faq_article USING gin ((body_zh || ' ' || body_en) gin_trgm_ops);

INSERT INTO faq_article (category, sort, title_zh, body_zh, title_en, body_en) VALUES
('balance', 10, '如何查询话费余额？', '打开掌上营业厅首页即可看到当前话费余额和信用额度。余额实时更新，每次通话、上网或短信计费后都会立即变化。也可以发送短信 YE 到 10086 查询。',
  'How do I check my balance?', 'Open the home page of the app to see your current balance and credit limit. The balance updates in real time after every call, data session or SMS is charged. You can also text YE to 10086.'),
('data', 20, '如何购买流量包？', '在“办理”页面选择流量包（1GB、5GB、10GB），确认后费用从话费余额扣除，流量包立即生效，当月有效。流量包优先于套餐内流量使用。',
  'How do I buy a data pack?', 'Pick a data pack (1 GB, 5 GB or 10 GB) on the Services page and confirm. The price is taken from your balance and the pack works at once for the rest of the month. Packs are used before your plan''s data.'),
('data', 21, '流量用完了会怎样？', '套餐内流量用完后，超出部分按套餐标准资费计费，我们会在用到80%和100%时提醒您。建议购买流量包更划算。',
  'What happens when my data runs out?', 'Once your plan''s data is used up, further data is charged at the plan''s standard rate. We notify you at 80% and 100%. A data pack is usually cheaper.'),
('plan', 30, '如何变更套餐？', '在“套餐变更”页面选择新套餐，可选择立即生效或下月生效。系统会说明是否符合变更条件，例如合约期内不能降档。',
  'How do I change my plan?', 'Choose a new plan on the Plan change page and pick "now" or "next cycle". The app explains whether you are eligible, for example a downgrade is not possible during a contract.'),
('plan', 31, '套餐变更什么时候生效？', '选择“下月生效”的套餐变更在下一个账期开始时生效；选择“立即生效”则当前账期按新套餐的剩余天数折算。',
  'When does a plan change take effect?', 'A change for the next cycle applies when the next billing cycle starts; a change made "now" applies immediately, with this cycle''s fee prorated.'),
('topup', 40, '如何充值话费？', '在“充值”页面输入金额并选择支付方式（支付宝、微信支付或银行卡），支付成功后余额立即到账，并可查看电子收据。',
  'How do I top up?', 'Enter an amount on the Top-up page and choose a payment method (Alipay, WeChat Pay or bank card). Your balance is credited as soon as payment succeeds, with a receipt.'),
('topup', 41, '充值后余额没有到账怎么办？', '通常几秒内到账。若超过10分钟未到账，请在“我的-支付记录”中查看状态，或提交工单并附上支付单号，我们会尽快核实。',
  'My top-up has not arrived', 'Top-ups normally arrive within seconds. If it has not after 10 minutes, check Payments under Me, or open a ticket with the payment reference and we will check it.'),
('bills', 50, '如何查看月账单？', '在“账单”页面可以查看每月账单明细，包括套餐费、超出费用和增值业务费。账单在每月初生成，生成后会通知您。',
  'How do I see my monthly bill?', 'The Bills page lists each month''s bill with the plan fee, overage and add-ons. Bills are produced at the start of each month and we notify you when one is ready.'),
('bills', 51, '对账单有疑问怎么办？', '请在账单详情页点击“咨询此账单”提交工单，客服会在24小时内回复。如确有多收，将通过冲正退回话费余额。',
  'I disagree with my bill', 'Open the bill and tap "Ask about this bill" to open a ticket; an agent answers within 24 hours. If we overcharged, the amount is refunded to your balance by a correcting entry.'),
('roaming', 60, '如何开通国际漫游？', '国际漫游需要在出国前开通。在“办理”中选择国际漫游，按目的地资费计费。建议出行前购买漫游流量包。',
  'How do I turn on international roaming?', 'Turn on roaming before you travel, under Services. Usage abroad is charged at the destination''s rates; a roaming data pack is usually cheaper.'),
('sim', 70, 'SIM卡丢失怎么办？', '请立即在“我的-号码管理”中挂失或拨打客服热线停机，防止被盗用。携带身份证到营业厅补办新卡，号码和余额不变。',
  'I lost my SIM card', 'Suspend the line straight away under Me > Lines, or call customer service, so nobody can use it. Bring your ID to a store for a replacement SIM; your number and balance stay the same.'),
('sim', 71, '如何更换eSIM？', '支持eSIM的手机可在营业厅或线上申请转换为eSIM，需要通过实名认证。转换期间可能短暂无法使用。',
  'Can I switch to an eSIM?', 'If your phone supports eSIM you can switch in a store or online after identity verification. Service may be interrupted briefly during the switch.'),
('account', 80, '忘记密码怎么办？', '在登录页点击“忘记密码”，输入手机号并获取短信验证码，即可设置新密码。重置后其他设备会自动退出登录。',
  'I forgot my password', 'Tap "Forgot password?" on the sign-in page, enter your number and the SMS code, and choose a new password. Other devices are signed out after a reset.'),
('account', 81, '为什么号码被停机？', '当话费余额低于信用额度时号码会自动停机，充值后自动恢复服务。余额不足时我们会提前提醒您。',
  'Why was my line suspended?', 'A line is suspended automatically when its balance falls below the credit limit, and resumes automatically after a top-up. We warn you when the balance runs low.'),
('points', 90, '积分如何获取和使用？', '每消费1元获得1积分，可在“积分商城”兑换优惠券或礼品。积分有效期为获得后12个月，到期前会提醒您。',
  'How do points work?', 'You earn 1 point per yuan spent and can redeem points for coupons or gifts in the Rewards store. Points expire 12 months after you earn them; we remind you before they do.'),
('network', 100, '信号不好或无法上网怎么办？', '请先重启手机并检查是否开启移动数据和正确的APN。若问题持续，请提交“网络”类工单并说明地点和时间，我们会安排排查。',
  'Poor signal or no data', 'Restart your phone and check mobile data and APN settings. If it persists, open a Network ticket with the place and time and we will investigate.');

INSERT INTO canned_reply (id, title, body, locale) VALUES
(gen_random_uuid(), '问候', '您好，感谢您联系客服，我们正在为您处理。', 'zh-CN'),
(gen_random_uuid(), '已解决', '您的问题已处理完毕，如还有疑问请随时回复此工单。', 'zh-CN'),
(gen_random_uuid(), 'Greeting', 'Hello, thank you for contacting us. We are looking into it.', 'en');
