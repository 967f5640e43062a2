// The report's charts, as Chart.js configurations made of plain data: the page only hands
// each one to `new Chart(canvas, config)`, so everything a chart shows is decided (and
// tested) here, in Node.
//
// - Speedup vs workers, one line per model × lock × backend, for each workload that has
//   speedups (a bar per series where a run tried one worker count only); each point with its
//   95% interval as an error bar, beside the ideal (speedup = workers) and, for CPU-bound work,
//   the machine's ceiling (plain processes side by side).
// - I/O latency vs the number of CPU-bound workers beside it (the convoy effect), log scale.
// - The lock's timeline for each traced run: a row per thread, a floating bar for each time
//   it held the lock and for each time it waited for it, and a mark at each drop request.

import type { ChartConfiguration, ChartDataset, ChartType } from 'chart.js' with { 'resolution-mode': 'import' };
import type { CeilingRow, CompareRow, ConfidenceInterval, Model, Spread, TimelineEvent, Workload } from '../lab/types';
import type { LabRecord } from './record';
import { lockLabel, runtimeLabel, taskLabel } from './record';
import { count } from './text';

export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence under the title: what was measured. */
  caption: string;
  /** CSS height of the chart's box, in pixels. */
  height: number;
  /** Data points are numbers, {x, y} points, or {x: [from, to], y} floating bars. */
  config: ChartConfiguration<ChartType, unknown[], unknown>;
}

const MODEL_RGB: Record<Model, [number, number, number]> = {
  sequential: [110, 110, 110],
  threads: [31, 119, 180],
  interpreters: [148, 103, 189],
  processes: [44, 160, 44],
  async: [230, 120, 20],
  cluster: [214, 39, 40],
};

/**
 * What a chart reads of a row: compare()'s rows have it all, and the lab's page (site/) makes
 * rows of its own measurements.
 */
export type ChartRow = Pick<
  CompareRow,
  | 'workload'
  | 'kernel'
  | 'size'
  | 'tasks'
  | 'model'
  | 'gil'
  | 'mode'
  | 'switchInterval'
  | 'backend'
  | 'workers'
  | 'speedup'
  | 'speedupCI'
> & { latencyMs?: Pick<Spread, 'median'> };

const rgba = ([r, g, b]: [number, number, number], alpha = 1) => `rgba(${r}, ${g}, ${b}, ${alpha})`;

/** Which of a series' traits vary among `rows`, so that labels name only those. */
function varying(rows: readonly ChartRow[]) {
  const distinct = (f: (r: ChartRow) => unknown) => new Set(rows.map(f)).size > 1;
  return { lock: distinct((r) => lockLabel(r)), backend: distinct((r) => r.backend), model: distinct((r) => r.model) };
}

interface Series {
  label: string;
  model: Model;
  /** The lock is off here and on in other series: drawn apart (dashed, or a pale bar). */
  lockOffBesideOn: boolean;
  backend: string;
  rows: ChartRow[];
}

/** Groups rows into series: one per model, lock and backend, in the order they first appear. */
function seriesOf(rows: readonly ChartRow[]): Series[] {
  const vary = varying(rows);
  const byKey = new Map<string, Series>();
  for (const row of rows) {
    const key = `${row.model}|${lockLabel(row)}|${row.backend}`;
    let series = byKey.get(key);
    if (!series) {
      const parts: string[] = [row.model];
      if (vary.lock) parts.push(`lock ${lockLabel(row)}`);
      if (vary.backend) parts.push(runtimeLabel(row));
      series = {
        label: parts.join(', '),
        model: row.model,
        lockOffBesideOn: vary.lock && row.gil === 'off',
        backend: row.backend,
        rows: [],
      };
      byKey.set(key, series);
    }
    series.rows.push(row);
  }
  return [...byKey.values()];
}

/** Line style of a series: colour by model, dashed with the lock off beside lines with it on, a diamond for JS, a triangle for CPython. */
function lineStyle(series: Series, shade: number) {
  const color = rgba(MODEL_RGB[series.model], 1 - 0.25 * shade);
  return {
    borderColor: color,
    backgroundColor: color,
    borderDash: series.lockOffBesideOn ? [6, 4] : [],
    pointStyle: series.backend === 'js' ? 'rectRot' : series.backend === 'cpython' ? 'triangle' : 'circle',
    pointRadius: 4,
    borderWidth: 2,
  };
}

/** Series of one model share its colour; each after the first is paler. */
function shades(series: readonly Series[]): number[] {
  const seen = new Map<Model, number>();
  return series.map((s) => {
    const n = seen.get(s.model) ?? 0;
    seen.set(s.model, n + 1);
    return Math.min(n, 3);
  });
}

const axisTitle = (text: string) => ({ display: true, text });

/** A reference line's style: the ideal grey and dashed, the machine's ceiling dark and dotted. */
const IDEAL_STYLE = {
  borderColor: 'rgba(120, 120, 120, 0.8)',
  backgroundColor: 'rgba(120, 120, 120, 0.8)',
  borderDash: [4, 4],
  borderWidth: 1.5,
  pointRadius: 0,
};
const CEILING_STYLE = {
  borderColor: 'rgba(29, 35, 48, 0.9)',
  backgroundColor: 'rgba(29, 35, 48, 0.9)',
  borderDash: [2, 3],
  borderWidth: 2,
  pointRadius: 3,
};

function speedupChart(rows: ChartRow[], index: number, ceiling: readonly CeilingRow[]): ChartSpec {
  const workload = rows[0].workload;
  const series = seriesOf(rows);
  const workerCounts = [...new Set(rows.filter((r) => r.model !== 'sequential').map((r) => r.workers))];
  const ceilingNote = ceiling.length ? '; the machine’s ceiling, plain processes side by side, dotted' : '';
  const title = `Speedup over sequential: ${taskLabel(rows[0])}`;
  const common = { id: `speedup-${index}`, title, height: 340 };
  if (workerCounts.length <= 1) {
    // One worker count: a bar per series, labelled on two lines (model, then lock and backend).
    const bars = series.map((s) => ({
      label: s.label.split(', '),
      value: s.rows[0].speedup,
      interval: s.rows[0].speedupCI,
      series: s,
    }));
    const workers = workerCounts[0] ?? 1;
    const machine = ceiling.find((c) => c.workers === workers);
    const across = (y: number) => bars.map(() => y);
    return {
      ...common,
      caption:
        `${workload} workload, ${count(workers, 'worker')}: how much faster than sequential, the median over interleaved rounds, ` +
        `with its 95% interval; the ideal (${workers}×) dashed${machine ? ceilingNote : ''}.`,
      config: {
        type: 'bar',
        data: {
          labels: bars.map((b) => b.label),
          // Chart.js's types know neither a line beside bars in this form nor errorBars (drawn by the page's plugin).
          datasets: [
            {
              label: 'speedup (×)',
              data: bars.map((b) => b.value),
              // Lock off: a paler bar with a full-colour outline.
              backgroundColor: bars.map((b) => rgba(MODEL_RGB[b.series.model], b.series.lockOffBesideOn ? 0.35 : 0.8)),
              borderColor: bars.map((b) => rgba(MODEL_RGB[b.series.model])),
              borderWidth: bars.map((b) => (b.series.lockOffBesideOn ? 2 : 0)),
              errorBars: bars.map((b) => b.interval),
            },
            { type: 'line', label: `ideal: ${workers}× (speedup = workers)`, data: across(workers), ...IDEAL_STYLE },
            ...(machine
              ? [
                  {
                    type: 'line',
                    label: `machine: ${count(workers, 'plain process', 'plain processes')}`,
                    data: across(machine.speedup),
                    ...CEILING_STYLE,
                    pointRadius: 0,
                  },
                ]
              : []),
          ] as ChartDataset[],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: true } },
          scales: { y: { beginAtZero: true, title: axisTitle('speedup over sequential (×)') } },
        },
      },
    };
  }
  const shade = shades(series);
  const datasets: (ChartDataset<'line', { x: number; y: number | null }[]> & {
    errorBars?: (ConfidenceInterval | null)[];
  })[] = series.map((s, i) => ({
    label: s.label,
    data: s.rows.map((r) => ({ x: r.workers, y: r.speedup })),
    errorBars: s.rows.map((r) => r.speedupCI),
    ...lineStyle(s, shade[i]),
  }));
  const most = Math.max(...workerCounts);
  datasets.push({
    label: 'ideal (speedup = workers)',
    data: [
      { x: 1, y: 1 },
      { x: most, y: most },
    ],
    ...IDEAL_STYLE,
  });
  if (ceiling.length) {
    datasets.push({
      label: 'machine: plain processes side by side',
      data: [{ x: 1, y: 1 }, ...ceiling.map((c) => ({ x: c.workers, y: c.speedup }))],
      errorBars: [null, ...ceiling.map((c) => c.speedupCI)],
      ...CEILING_STYLE,
    });
  }
  return {
    ...common,
    caption: `${workload} workload: how much faster than sequential against the number of workers, the median over interleaved rounds with its 95% interval; the ideal dashed${ceilingNote}.`,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', ticks: { stepSize: 1 }, title: axisTitle('workers') },
          y: { beginAtZero: true, title: axisTitle('speedup over sequential (×)') },
        },
      },
    },
  };
}

/**
 * Latency against the CPU-bound workers beside it. The alone measurement (the sequential row,
 * 0 workers) of each lock and backend starts every line of that lock and backend.
 */
function latencyChart(rows: ChartRow[], index: number): ChartSpec {
  const measured = rows.filter((r) => r.latencyMs);
  const aloneOf = (r: ChartRow) =>
    measured.find((a) => a.model === 'sequential' && a.backend === r.backend && lockLabel(a) === lockLabel(r));
  const series = seriesOf(measured.filter((r) => r.model !== 'sequential'));
  const shade = shades(series);
  const ioCall = rows[0].kernel === 'pipeRoundTrips' ? 'pipe round trip' : `${rows[0].kernel} call`;
  return {
    id: `latency-${index}`,
    title: 'I/O latency beside CPU-bound workers',
    caption: `One ${ioCall}'s time (median, log scale), alone and while CPU-bound tasks run on 1, 2, … threads, interpreters or processes: the convoy effect.`,
    height: 340,
    config: {
      type: 'line',
      data: {
        datasets: series.map((s, i) => {
          const alone = aloneOf(s.rows[0]);
          return {
            label: s.label,
            data: [...(alone ? [alone] : []), ...s.rows].map((r) => ({ x: r.workers, y: r.latencyMs!.median })),
            ...lineStyle(s, shade[i]),
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', ticks: { stepSize: 1 }, title: axisTitle('CPU-bound workers beside the I/O thread') },
          y: { type: 'logarithmic', title: axisTitle(`${ioCall} (ms)`) },
        },
      },
    },
  };
}

export interface Interval {
  thread: string;
  from: number;
  to: number;
}

/**
 * A timeline's events as intervals per thread: held (take → release), waiting (wait → take),
 * and drop requests (instants). A hold or wait still open at the end closes at the last event.
 */
export function intervalsOf(events: readonly TimelineEvent[]): {
  threads: string[];
  held: Interval[];
  waiting: Interval[];
  dropRequests: Interval[];
} {
  const backends = new Set(events.map((e) => e.backend));
  const name = (e: TimelineEvent) => (backends.size > 1 ? `${e.backend} ${e.thread}` : e.thread);
  const sorted = [...events].sort((a, b) => a.timeMs - b.timeMs);
  const end = sorted.length ? sorted[sorted.length - 1].timeMs : 0;
  const threads: string[] = [];
  const heldSince = new Map<string, number>();
  const waitingSince = new Map<string, number>();
  const held: Interval[] = [];
  const waiting: Interval[] = [];
  const dropRequests: Interval[] = [];
  const close = (open: Map<string, number>, into: Interval[], thread: string, at: number) => {
    const from = open.get(thread);
    if (from === undefined) return;
    into.push({ thread, from, to: at });
    open.delete(thread);
  };
  for (const e of sorted) {
    const thread = name(e);
    if (!threads.includes(thread)) threads.push(thread);
    switch (e.event) {
      case 'wait':
        waitingSince.set(thread, e.timeMs);
        break;
      case 'take':
        close(waitingSince, waiting, thread, e.timeMs);
        heldSince.set(thread, e.timeMs);
        break;
      case 'release':
        close(heldSince, held, thread, e.timeMs);
        break;
      case 'drop-request':
        dropRequests.push({ thread, from: e.timeMs, to: e.timeMs });
        break;
    }
  }
  for (const thread of threads) {
    close(heldSince, held, thread, end);
    close(waitingSince, waiting, thread, end);
  }
  return { threads, held, waiting, dropRequests };
}

function timelineChart(timeline: LabRecord['timelines'][number], index: number): ChartSpec {
  const { threads, held, waiting, dropRequests } = intervalsOf(timeline.events);
  const bars = (intervals: Interval[]) =>
    intervals.map((i) => ({ x: [i.from, i.to] as [number, number], y: i.thread }));
  return {
    id: `timeline-${index}`,
    title: `Who held the lock: ${timeline.label}`,
    caption:
      `${count(held.length, 'hold')}, ${count(waiting.length, 'wait')} and ${count(dropRequests.length, 'drop request')} ` +
      `over ${count(threads.length, 'thread')}, from the lock's trace (a wait: from a take that found the lock held, or a forced ` +
      `release, to the take; a drop request: a waiting thread asks the holder to let go).`,
    height: 90 + 34 * threads.length,
    config: {
      type: 'bar',
      data: {
        labels: threads,
        // A kind of event the trace does not have gets no dataset, so no empty legend entry.
        datasets: [
          {
            label: 'held the lock',
            data: bars(held),
            backgroundColor: rgba(MODEL_RGB.threads, 0.85),
            barPercentage: 0.9,
          },
          {
            label: 'waited for it',
            data: bars(waiting),
            backgroundColor: rgba([250, 170, 60], 0.7),
            barPercentage: 0.45,
          },
          {
            label: 'drop request',
            data: bars(dropRequests),
            backgroundColor: rgba([214, 39, 40], 1),
            barPercentage: 0.9,
            minBarLength: 2,
          },
        ].filter((d) => d.data.length > 0),
      },
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        datasets: { bar: { grouped: false } },
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: Math.max(0, ...timeline.events.map((e) => e.timeMs)),
            title: axisTitle('ms since the traced run began'),
          },
          y: { title: axisTitle('thread') },
        },
      },
    },
  };
}

/** Every chart of a record, in the order the report shows them. */
export function chartsOf(record: LabRecord): ChartSpec[] {
  const ceilingOf = (workload: Workload) =>
    record.runs.find((r) => r.workload === workload)?.calibration?.ceiling ?? [];
  return chartsOfRows(record.rows, ceilingOf, record.timelines);
}

/**
 * The charts of some rows: speedups and latencies per workload (with the machine's ceiling
 * where `ceilingOf` has one), then the lock's timelines.
 */
export function chartsOfRows(
  rows: readonly ChartRow[],
  ceilingOf: (workload: Workload) => readonly CeilingRow[],
  timelines: LabRecord['timelines'],
): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const byWorkload = new Map<string, ChartRow[]>();
  for (const row of rows) {
    const key = `${row.workload}|${row.kernel}|${row.size}|${row.tasks}`;
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), row]);
  }
  let index = 0;
  for (const group of byWorkload.values()) {
    if (group[0].workload === 'latency') {
      if (group.some((r) => r.latencyMs)) charts.push(latencyChart(group, index++));
    } else if (group.some((r) => r.speedup !== null && r.model !== 'sequential')) {
      charts.push(speedupChart(group, index++, ceilingOf(group[0].workload)));
    }
  }
  timelines.forEach((timeline, i) => {
    if (timeline.events.length > 0) charts.push(timelineChart(timeline, i));
  });
  return charts;
}
