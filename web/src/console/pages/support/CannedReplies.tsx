import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CannedReply, CannedReplyInput } from '@telehall/contracts';
import { queryKeys } from '../../../api/keys';
import { cannedQuery, deleteCanned, saveCanned } from '../../../api/support';
import { errorMessage } from '../../../shared/errors';

/** Canned replies agents insert into a ticket reply. */
export default function CannedReplies() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery(cannedQuery());
  const [editing, setEditing] = useState<CannedReply | 'new' | null>(null);
  const [form] = Form.useForm<CannedReplyInput>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.support.canned() });

  async function submit() {
    const values = await form.validateFields();
    try {
      await saveCanned(editing && editing !== 'new' ? editing.id : null, values);
      setEditing(null);
      await refresh();
    } catch (err) {
      void message.error(errorMessage(t, err));
    }
  }

  return (
    <Card title={t('console.canned.title')} extra={<Button type="primary" data-testid="canned-new" onClick={() => { form.setFieldsValue({ title: '', body: '', locale: 'zh-CN' }); setEditing('new'); }}>{t('console.canned.new')}</Button>}>
      <Table<CannedReply> rowKey="id" size="middle" loading={list.isLoading} dataSource={list.data ?? []} pagination={false}
        columns={[
          { title: t('console.canned.name'), dataIndex: 'title', width: 180 },
          { title: t('console.canned.body'), dataIndex: 'body' },
          { title: t('console.canned.locale'), dataIndex: 'locale', width: 90 },
          {
            title: t('common.actions'), width: 150,
            render: (_: unknown, r) => (
              <Space>
                <Button size="small" onClick={() => { form.setFieldsValue({ title: r.title, body: r.body, locale: r.locale }); setEditing(r); }}>{t('common.edit')}</Button>
                <Popconfirm title={t('console.faq.deleteConfirm')} onConfirm={() => void deleteCanned(r.id).then(refresh)}>
                  <Button size="small" danger>{t('console.canned.delete')}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      <Modal open={editing !== null} title={t('console.canned.title')} onOk={() => void submit()} onCancel={() => setEditing(null)} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="title" label={t('console.canned.name')} rules={[{ required: true, max: 100 }]}><Input data-testid="canned-title" /></Form.Item>
          <Form.Item name="body" label={t('console.canned.body')} rules={[{ required: true, max: 4000 }]}><Input.TextArea rows={4} data-testid="canned-body" /></Form.Item>
          <Form.Item name="locale" label={t('console.canned.locale')}><Select options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
