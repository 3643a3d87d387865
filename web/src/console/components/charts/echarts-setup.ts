// Only the ECharts parts the console draws; loaded on demand by <EChart>.
import * as echarts from 'echarts/core';
import { BarChart, PieChart, TreeChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, TreeChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
