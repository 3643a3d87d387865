import { useState } from 'react';
import { Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Channel, type Message } from '@telehall/contracts';
import type { MessageFilters } from '../../api/keys';
import { messagesQuery } from '../../api/messages';
import { formatDateTime } from '../../lib/dates';
import { useEnumLabel } from '../components/enum-label';
import { LoadMore } from '../components/LoadMore';
import { QueryError } from '../components/QueryError';

type ChannelName = Message['channel'];
const channels = Channel.anyOf.map((literal) => literal.const);

export default function Messages() {
  const { t, i18n } = useTranslation();
  const enumLabel = useEnumLabel();
  const [filters, setFilters] = useState<MessageFilters>({});
  const messages = useInfiniteQuery(messagesQuery(filters));
  const rows = messages.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card title={t('console.messages.title')}>
      <Space className="th-toolbar" wrap>
        <Select<ChannelName | 'all'>
          id="messages-channel"
          data-testid="messages-channel"
          style={{ width: 160 }}
          value={filters.channel ?? 'all'}
          onChange={(v) => setFilters((f) => ({ ...f, channel: v === 'all' ? undefined : v }))}
          options={[
            { value: 'all', label: t('console.messages.allChannels') },
            ...channels.map((c) => ({ value: c, label: t(`channels.${c}`) })),
          ]}
        />
        <Input.Search
          id="messages-recipient"
          data-testid="messages-recipient"
          allowClear
          maxLength={64}
          style={{ width: 260 }}
          placeholder={t('console.messages.recipientSearch')}
          onSearch={(v) => setFilters((f) => ({ ...f, recipient: v.trim() || undefined }))}
        />
      </Space>
      {messages.error && !messages.data ? (
        <QueryError error={messages.error} onRetry={() => void messages.refetch()} />
      ) : (
        <>
          <Table<Message>
            rowKey="id"
            size="middle"
            loading={messages.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 1000 }}
            columns={[
              { title: t('fields.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, i18n.language) },
              { title: t('fields.channel'), dataIndex: 'channel', width: 90, render: (c: ChannelName) => <Tag>{t(`channels.${c}`)}</Tag> },
              { title: t('fields.recipient'), dataIndex: 'recipient', width: 150 },
              { title: t('fields.template'), dataIndex: 'template', width: 160, render: (_: string, m) => <Typography.Text code>{m.template}</Typography.Text> },
              {
                title: t('fields.content'),
                dataIndex: 'body',
                render: (_: string, m) => (
                  <Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ marginBottom: 0 }}>
                    {m.subject ? `${m.subject} — ${m.body}` : m.body}
                  </Typography.Paragraph>
                ),
              },
              { title: t('fields.status'), dataIndex: 'status', width: 100, render: (s: string) => <Tag title={s}>{enumLabel('messageStatus', s)}</Tag> },
              { title: t('fields.sentAt'), dataIndex: 'sentAt', width: 170, render: (v: string | null) => formatDateTime(v, i18n.language) },
            ]}
          />
          <LoadMore
            testId="messages-load-more"
            count={rows.length}
            hasMore={messages.hasNextPage}
            loading={messages.isFetchingNextPage}
            onLoad={() => void messages.fetchNextPage()}
          />
        </>
      )}
    </Card>
  );
}
