import { useEffect, useRef } from 'react';
import { Card, Col, Row, Statistic } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { dashboardQuery } from '../../api/crm';
import { formatMoney } from '../../lib/money';
import { QueryError } from '../components/QueryError';
import { useCategoryLabel } from './crm-labels';

// Only the charts and components used here: keeps the console bundle small.
echarts.use([PieChart, BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

function Chart({ option, testId }: { option: EChartsCoreOption; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={el} data-testid={testId} style={{ height: 280 }} />;
}

const bars = (keys: string[], values: number[], name: string): EChartsCoreOption => ({
  tooltip: { trigger: 'axis' }, grid: { left: 48, right: 16, top: 24, bottom: 32 },
  xAxis: { type: 'category', data: keys }, yAxis: { type: 'value' }, series: [{ type: 'bar', name, data: values }],
});

/** Customers by category and channel, new customers, open lines, ARPU and closed lines per month. */
export default function CustomerDashboard() {
  const { t } = useTranslation();
  const categoryLabel = useCategoryLabel();
  const d = useQuery(dashboardQuery());
  if (d.error) return <QueryError error={d.error} onRetry={() => void d.refetch()} />;
  if (!d.data) return <Card loading />;
  const x = d.data;
  const last = x.arpuByMonth.at(-1);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={8}><Card><Statistic title={t('console.crm.dashboard.customers')} value={x.customersByCategory.reduce((s, c) => s + c.count, 0)} /></Card></Col>
      <Col xs={24} md={8}><Card><Statistic title={t('console.crm.dashboard.activeLines')} value={x.activeLines} /></Card></Col>
      <Col xs={24} md={8}><Card><Statistic title={t('console.crm.dashboard.arpuLast')} value={last ? formatMoney(last.arpu.amount) : '—'} /></Card></Col>
      <Col xs={24} xl={12}>
        <Card title={t('console.crm.dashboard.byCategory')}>
          <Chart testId="chart-category" option={{ tooltip: { trigger: 'item' }, legend: { bottom: 0 }, series: [{ type: 'pie', radius: ['35%', '65%'], data: x.customersByCategory.map((c) => ({ name: categoryLabel(c.key), value: c.count })) }] }} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('console.crm.dashboard.byChannel')}>
          <Chart testId="chart-channel" option={bars(x.customersByChannel.map((c) => c.key), x.customersByChannel.map((c) => c.count), t('console.crm.dashboard.customers'))} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('console.crm.dashboard.newByMonth')}>
          <Chart testId="chart-new" option={{ ...bars(x.newCustomersByMonth.map((c) => c.key), x.newCustomersByMonth.map((c) => c.count), t('console.crm.dashboard.customers')), series: [{ type: 'line', data: x.newCustomersByMonth.map((c) => c.count) }] }} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('console.crm.dashboard.arpu')}>
          <Chart testId="chart-arpu" option={{ ...bars(x.arpuByMonth.map((m) => m.month), x.arpuByMonth.map((m) => m.arpu.amount / 100), 'ARPU'), tooltip: { trigger: 'axis', valueFormatter: (v: number) => `¥${v.toFixed(2)}` } }} />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('console.crm.dashboard.closedByMonth')}>
          <Chart testId="chart-closed" option={bars(x.closedLinesByMonth.map((c) => c.key), x.closedLinesByMonth.map((c) => c.count), t('console.crm.dashboard.closed'))} />
        </Card>
      </Col>
    </Row>
  );
}
