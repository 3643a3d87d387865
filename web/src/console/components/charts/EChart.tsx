import { useEffect, useRef } from 'react';

/** Chart option in ECharts' own shape (kept loose so this file does not pull ECharts' types into the entry chunk). */
export type ChartOption = Record<string, unknown>;

/**
 * A canvas chart. ECharts is imported on first use, so it never weighs on the
 * console's first load. Pass a memoised option: a new object redraws.
 */
export function EChart({ option, height = 320, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: ChartOption): void; resize(): void; dispose(): void } | undefined;
    const onResize = () => chart?.resize();
    void import('./echarts-setup').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      chart = echarts.init(ref.current);
      chart.setOption(option);
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={ref} data-testid={testId} style={{ width: '100%', height }} />;
}
