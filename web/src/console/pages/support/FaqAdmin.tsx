import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Space, Switch, Table, Tag } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FaqArticle, FaqArticleInput } from '@telehall/contracts';
import { queryKeys } from '../../../api/keys';
import { adminFaqQuery, deleteFaq, saveFaq } from '../../../api/support';
import { errorMessage } from '../../../shared/errors';

/** FAQ management: bilingual articles, published or draft. */
export default function FaqAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery(adminFaqQuery());
  const [editing, setEditing] = useState<FaqArticle | 'new' | null>(null);
  const [form] = Form.useForm<FaqArticleInput>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.support.adminFaq() });

  async function submit() {
    const values = await form.validateFields();
    try {
      await saveFaq(editing && editing !== 'new' ? editing.id : null, values);
      setEditing(null);
      await refresh();
    } catch (err) {
      void message.error(errorMessage(t, err));
    }
  }

  return (
    <Card title={t('console.faq.title')} extra={<Button type="primary" data-testid="faq-new" onClick={() => { form.setFieldsValue({ category: '', titleZh: '', bodyZh: '', titleEn: '', bodyEn: '', published: true }); setEditing('new'); }}>{t('console.faq.new')}</Button>}>
      <Table<FaqArticle> rowKey="id" size="middle" loading={list.isLoading} dataSource={list.data ?? []} pagination={{ pageSize: 20 }}
        columns={[
          { title: t('console.faq.category'), dataIndex: 'category', width: 100 },
          { title: t('console.faq.titleZh'), dataIndex: 'titleZh' },
          { title: t('console.faq.titleEn'), dataIndex: 'titleEn' },
          { title: t('console.faq.published'), dataIndex: 'published', width: 90, render: (v: boolean) => (v ? <Tag color="green">✓</Tag> : <Tag>—</Tag>) },
          {
            title: t('common.actions'), width: 150,
            render: (_: unknown, r) => (
              <Space>
                <Button size="small" onClick={() => { form.setFieldsValue({ category: r.category, titleZh: r.titleZh, bodyZh: r.bodyZh, titleEn: r.titleEn, bodyEn: r.bodyEn, published: r.published }); setEditing(r); }}>{t('common.edit')}</Button>
                <Popconfirm title={t('console.faq.deleteConfirm')} onConfirm={() => void deleteFaq(r.id).then(refresh)}>
                  <Button size="small" danger>{t('console.faq.delete')}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      <Modal open={editing !== null} width={720} title={t('console.faq.title')} onOk={() => void submit()} onCancel={() => setEditing(null)} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="category" label={t('console.faq.category')} rules={[{ required: true, max: 40 }]}><Input /></Form.Item>
          <Form.Item name="titleZh" label={t('console.faq.titleZh')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
          <Form.Item name="bodyZh" label={t('console.faq.bodyZh')} rules={[{ required: true, max: 8000 }]}><Input.TextArea rows={4} /></Form.Item>
          <Form.Item name="titleEn" label={t('console.faq.titleEn')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
          <Form.Item name="bodyEn" label={t('console.faq.bodyEn')} rules={[{ required: true, max: 8000 }]}><Input.TextArea rows={4} /></Form.Item>
          <Form.Item name="published" label={t('console.faq.published')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
