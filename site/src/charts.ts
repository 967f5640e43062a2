// The report's charts (lib/report/charts.ts) of the page's own figures, drawn by Chart.js as
// `gil-lab compare --html` draws them, error bars included (lib/report/error-bars.ts). What
// each chart plots is also written on its canvas (data-datasets), for readers of the DOM.

import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { chartsOfRows, type ChartRow } from '../../lib/report/charts';
import type { LabRecord } from '../../lib/report/record';
import { drawErrorBars } from '../../lib/report/error-bars';

Chart.register(...registerables, { id: 'errorBars', afterDatasetsDraw: drawErrorBars });

let drawn: Chart[] = [];

/** Draws the charts of `rows` and `timelines` into `container`, in place of those drawn before. */
export function renderCharts(
  container: HTMLElement,
  rows: readonly ChartRow[],
  timelines: LabRecord['timelines'],
): void {
  for (const chart of drawn) chart.destroy();
  drawn = [];
  container.replaceChildren();
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  // The page measures no ceiling: it starts no processes.
  for (const spec of chartsOfRows(rows, () => [], timelines)) {
    const section = document.createElement('section');
    const title = document.createElement('h3');
    title.textContent = spec.title;
    const caption = document.createElement('p');
    caption.className = 'caption';
    caption.textContent = spec.caption;
    const box = document.createElement('div');
    box.className = 'chart';
    box.style.height = `${spec.height}px`;
    const canvas = document.createElement('canvas');
    canvas.id = spec.id;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', spec.title);
    box.append(canvas);
    section.append(title, caption, box);
    container.append(section);
    const chart = new Chart(canvas, spec.config as ChartConfiguration);
    canvas.dataset.datasets = JSON.stringify(
      chart.data.datasets.map((d) => ({
        label: d.label,
        data: d.data,
        errorBars: (d as { errorBars?: unknown }).errorBars ?? null,
      })),
    );
    drawn.push(chart);
  }
}
