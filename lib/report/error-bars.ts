// The one thing Chart.js cannot draw itself: an error bar. A dataset's `errorBars` (a [low,
// high] or null per point, see charts.ts) becomes a whisker with caps at each point. The HTML
// report inlines this function's source in its page; the lab's page (site/) imports it. It
// uses nothing but its argument, so that its source runs alone.

/** What the function reads of a Chart.js chart (lib/ has no DOM types for its canvas context). */
export interface ChartWithErrorBars {
  ctx: {
    strokeStyle: unknown;
    lineWidth: number;
    save(): void;
    restore(): void;
    beginPath(): void;
    moveTo(x: number, y: number): void;
    lineTo(x: number, y: number): void;
    stroke(): void;
  };
  scales: Record<string, { getPixelForValue(value: number): number }>;
  data: { datasets: { borderColor?: unknown; errorBars?: (readonly [number, number] | null)[] }[] };
  getDatasetMeta(index: number): { hidden: boolean | null; data: { x: number }[] };
}

export function drawErrorBars(chart: ChartWithErrorBars): void {
  const { ctx } = chart;
  const y = chart.scales.y;
  chart.data.datasets.forEach((dataset, i) => {
    const meta = chart.getDatasetMeta(i);
    const { errorBars } = dataset;
    if (!errorBars || meta.hidden) return;
    ctx.save();
    ctx.strokeStyle = typeof dataset.borderColor === 'string' ? dataset.borderColor : '#1d2330';
    ctx.lineWidth = 1.5;
    meta.data.forEach((point, j) => {
      const bar = errorBars[j];
      if (!bar) return;
      const [top, bottom] = [y.getPixelForValue(bar[1]), y.getPixelForValue(bar[0])];
      ctx.beginPath();
      ctx.moveTo(point.x, top);
      ctx.lineTo(point.x, bottom);
      ctx.moveTo(point.x - 5, top);
      ctx.lineTo(point.x + 5, top);
      ctx.moveTo(point.x - 5, bottom);
      ctx.lineTo(point.x + 5, bottom);
      ctx.stroke();
    });
    ctx.restore();
  });
}
