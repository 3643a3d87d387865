import { Card, Descriptions, Space, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { staffMeQuery } from '../../api/staff';
import { usePermissionLabel } from '../components/permission-label';

export default function Dashboard() {
  const { t } = useTranslation();
  const permissionLabel = usePermissionLabel();
  const me = useQuery(staffMeQuery());
  if (!me.data) return null;
  const { displayName, username, role, permissions } = me.data;
  return (
    <Card title={t('console.dashboard.title')}>
      <Descriptions column={1} bordered size="middle">
        <Descriptions.Item label={t('console.dashboard.signedInAs')}>
          <span data-testid="dashboard-user">{t('console.dashboard.who', { displayName, username })}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('fields.role')}>
          <Tag color="blue" data-testid="dashboard-role">{t(`roles.${role}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('console.dashboard.permissions')}>
          <Space wrap>
            {permissions.map((p) => (
              <Tag key={p} title={p}>{permissionLabel(p)}</Tag>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
