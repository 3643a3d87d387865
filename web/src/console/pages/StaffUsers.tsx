import { useState } from 'react';
import { App, Badge, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CreateStaffUser, Role, type StaffUser, UpdateStaffUser } from '@telehall/contracts';
import { createStaffUser, rolesQuery, staffMeQuery, staffUsersQuery, updateStaffUser } from '../../api/staff';
import { queryKeys } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { schemaRule } from '../../lib/validate';
import { errorMessage } from '../../shared/errors';
import { LoadMore } from '../components/LoadMore';
import { QueryError } from '../components/QueryError';
import { usePermissionLabel } from '../components/permission-label';

type RoleName = StaffUser['role'];
const roleNames = Role.anyOf.map((literal) => literal.const);

function RoleSelect({ id, value, onChange }: { id: string; value?: RoleName; onChange?: (role: RoleName) => void }) {
  const { t } = useTranslation();
  const roles = useQuery(rolesQuery());
  const permissionLabel = usePermissionLabel();
  const permissionsOf = (role: RoleName) => roles.data?.find((r) => r.role === role)?.permissions ?? [];
  return (
    <>
      <Select<RoleName>
        id={id}
        data-testid={id}
        value={value}
        onChange={onChange}
        options={roleNames.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
      />
      {value && permissionsOf(value).length > 0 && (
        <Space wrap size={4} style={{ marginTop: 8 }}>
          {permissionsOf(value).map((p) => (
            <Tag key={p} title={p}>{permissionLabel(p)}</Tag>
          ))}
        </Space>
      )}
    </>
  );
}

function CreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateStaffUser>();
  const create = useMutation({
    mutationFn: createStaffUser,
    onSuccess: async () => {
      void message.success(t('console.users.created'));
      form.resetFields();
      onClose();
      await queryClient.invalidateQueries({ queryKey: queryKeys.staff.users() });
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  const p = CreateStaffUser.properties;
  return (
    <Modal
      open={open}
      title={t('console.users.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'staff-submit' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<CreateStaffUser> form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ role: 'agent' }}>
        <Form.Item name="username" label={t('fields.username')} rules={[schemaRule(p.username, t('validation.username'), { requiredMessage: t('validation.usernameRequired') })]}>
          <Input id="staff-username" data-testid="staff-username" autoComplete="off" maxLength={32} />
        </Form.Item>
        <Form.Item name="displayName" label={t('fields.displayName')} rules={[schemaRule(p.displayName, t('validation.name'), { requiredMessage: t('validation.nameRequired') })]}>
          <Input id="staff-displayname" data-testid="staff-displayname" maxLength={60} />
        </Form.Item>
        <Form.Item name="role" label={t('fields.role')} rules={[schemaRule(p.role, t('validation.role'), { requiredMessage: t('validation.role') })]}>
          <RoleSelect id="staff-role" />
        </Form.Item>
        <Form.Item name="password" label={t('fields.initialPassword')} extra={t('validation.passwordPolicy')} rules={[schemaRule(p.password, t('validation.passwordPolicy'), { requiredMessage: t('validation.passwordRequired') })]}>
          <Input.Password id="staff-password" data-testid="staff-password" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditModal({ user, onClose }: { user: StaffUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ displayName: string; role: RoleName }>();
  const update = useMutation({
    mutationFn: (patch: UpdateStaffUser) => updateStaffUser(user?.id ?? '', patch),
    onSuccess: async () => {
      void message.success(t('common.saved'));
      onClose();
      await queryClient.invalidateQueries({ queryKey: queryKeys.staff.all });
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  const p = UpdateStaffUser.properties;
  return (
    <Modal
      open={user !== null}
      title={t('console.users.editTitle', { username: user?.username ?? '' })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: update.isPending, 'data-testid': 'staff-edit-submit' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {user && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ displayName: user.displayName, role: user.role }}
          onFinish={(v) => {
            const patch: UpdateStaffUser = {};
            if (v.displayName !== user.displayName) patch.displayName = v.displayName;
            if (v.role !== user.role) patch.role = v.role;
            if (Object.keys(patch).length === 0) onClose();
            else update.mutate(patch);
          }}
        >
          <Form.Item name="displayName" label={t('fields.displayName')} rules={[schemaRule(p.displayName, t('validation.name'), { requiredMessage: t('validation.nameRequired') })]}>
            <Input id="staff-edit-displayname" data-testid="staff-edit-displayname" maxLength={60} />
          </Form.Item>
          <Form.Item name="role" label={t('fields.role')}>
            <RoleSelect id="staff-edit-role" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export default function StaffUsers() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const users = useInfiniteQuery(staffUsersQuery());
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];
  const me = useQuery(staffMeQuery());
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<StaffUser | null>(null);
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: StaffUser['status'] }) => updateStaffUser(id, { status }),
    onSuccess: async () => {
      void message.success(t('common.saved'));
      await queryClient.invalidateQueries({ queryKey: queryKeys.staff.users() });
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });

  if (users.error) return <QueryError error={users.error} onRetry={() => void users.refetch()} />;

  return (
    <Card
      title={t('console.users.title')}
      extra={
        <Button type="primary" data-testid="staff-create" onClick={() => setCreating(true)}>
          {t('console.users.create')}
        </Button>
      }
    >
      <Table<StaffUser>
        rowKey="id"
        loading={users.isLoading}
        dataSource={rows}
        pagination={false}
        onRow={(u) => ({ 'data-testid': `staff-row-${u.username}` }) as object}
        columns={[
          { title: t('fields.username'), dataIndex: 'username' },
          { title: t('fields.displayName'), dataIndex: 'displayName' },
          { title: t('fields.role'), dataIndex: 'role', render: (role: RoleName) => <Tag color="blue">{t(`roles.${role}`)}</Tag> },
          {
            title: t('fields.status'),
            dataIndex: 'status',
            render: (status: StaffUser['status']) => (
              <Badge status={status === 'active' ? 'success' : 'default'} text={t(`console.users.status.${status}`)} />
            ),
          },
          { title: t('fields.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, i18n.language) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, u) => {
              const self = u.id === me.data?.id;
              const next = u.status === 'active' ? 'disabled' : 'active';
              return (
                <Space>
                  <Button size="small" data-testid="staff-edit" onClick={() => setEditing(u)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={next === 'disabled' ? t('console.users.disableConfirm', { username: u.username }) : t('console.users.enableConfirm', { username: u.username })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => setStatus.mutate({ id: u.id, status: next })}
                    disabled={self}
                  >
                    <Button size="small" danger={next === 'disabled'} disabled={self} data-testid="staff-toggle-status" title={self ? t('console.users.cannotDisableSelf') : undefined}>
                      {next === 'disabled' ? t('console.users.disable') : t('console.users.enable')}
                    </Button>
                  </Popconfirm>
                </Space>
              );
            },
          },
        ]}
      />
      <LoadMore
        testId="staff-load-more"
        count={rows.length}
        hasMore={users.hasNextPage}
        loading={users.isFetchingNextPage}
        onLoad={() => void users.fetchNextPage()}
      />
      <CreateModal open={creating} onClose={() => setCreating(false)} />
      <EditModal user={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}
