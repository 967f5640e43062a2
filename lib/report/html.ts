// The HTML report: one self-contained file that opens offline. Chart.js's UMD build, the
// styles, the charts' configurations and the data are all inlined; a Content-Security-Policy
// forbids every network request and lets only the page's own scripts run (by their hashes).
//
// Escaping, where each kind of text goes:
// - text and attributes: `escapeHtml`;
// - JSON inside <script type="application/json">: `jsonForScript`, which writes `<`, `>`,
//   `&`, U+2028 and U+2029 as \u escapes, so no string in it can close the element;
// - Chart.js's source inside <script>: `scriptSafe`, which breaks up `</script` and `<!--`
//   (equivalent JavaScript, since they can only stand in strings, regexes or comments).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chartsOf } from './charts';
import { columnsFor, workloadsOf } from './columns';
import { drawErrorBars } from './error-bars';
import type { CeilingRow } from '../lab/types';
import type { LabRecord } from './record';
import { pythonLines, taskLabel } from './record';
import { coresLabel, duration, speedupWithin } from './text';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Chart.js's UMD build and its version, read from the installed package. */
export function chartJsSource(): { version: string; source: string } {
  const file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  const source = fs.readFileSync(file, 'utf8');
  const version = /Chart\.js v(\S+)/.exec(source)?.[1];
  if (!version) throw new Error(`${file} does not look like Chart.js's UMD build`);
  return { version, source };
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --rule: #dde1e8; --panel: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1040px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; border-bottom: 1px solid var(--rule); padding-bottom: 12px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.muted, .caption { color: var(--muted); }
.caption { margin: 0 0 10px; font-size: 14px; }
.chart { position: relative; width: 100%; background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: 10px; }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0 12px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; white-space: nowrap; }
th { background: var(--panel); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.figures { overflow-x: auto; }
pre { background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: 10px; overflow-x: auto; font-size: 12.5px; }
.warnings { background: #fff6e0; border: 1px solid #e8c35a; border-radius: 6px; padding: 8px 8px 8px 28px; }
footer { margin-top: 36px; padding-top: 12px; padding-bottom: 28px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 13px; }
`;

// Hands each configuration to Chart.js; everything the charts show was decided in Node, but
// for the error bars, drawn by `drawErrorBars` (error-bars.ts), whose source is inlined here.
const BOOT = `(() => {
  const specs = JSON.parse(document.getElementById('gil-lab-charts').textContent);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.register({ id: 'errorBars', afterDatasetsDraw: ${drawErrorBars.toString()} });
  for (const spec of specs) new Chart(document.getElementById(spec.id), spec.config);
})();`;

const sha256 = (text: string) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** A table; a table of names and values (`head` null) has its names as row heads. */
function tableHtml(head: string[] | null, rows: { text: string; numeric?: boolean }[][]): string {
  const thead = head ? `<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : '';
  const body = rows
    .map((cells) => {
      const tds = cells.map((c, i) => {
        const tag = !head && i === 0 ? 'th' : 'td';
        return `<${tag}${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.text)}</${tag}>`;
      });
      return `<tr>${tds.join('')}</tr>`;
    })
    .join('\n');
  return `<table>${thead}<tbody>\n${body}\n</tbody></table>`;
}

function figuresHtml(record: LabRecord): string {
  return workloadsOf(record.rows)
    .map((workload) => {
      const rows = record.rows.filter((r) => r.workload === workload);
      const columns = columnsFor(rows);
      const body = rows.map((row) => columns.map((c) => ({ text: c.text(row), numeric: c.align === 'right' })));
      const notes = columns.flatMap((c) => (c.note ? [`\n<p class="caption">${escapeHtml(c.note)}</p>`] : []));
      return `<h3>${escapeHtml(`${workload}: ${taskLabel(rows[0])}`)}</h3>\n<div class="figures">${tableHtml(
        columns.map((c) => c.title),
        body,
      )}</div>${notes.join('')}`;
    })
    .join('\n');
}

function warningsHtml(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  return `<ul class="warnings">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`;
}

function machineHtml(record: LabRecord, chartJsVersion: string): string {
  const m = record.machine;
  const ceilings = record.runs.flatMap((r) =>
    r.calibration?.ceiling.length ? [`${r.workload}: ${ceilingText(r.calibration.ceiling)}`] : [],
  );
  const rows: [string, string][] = [
    ['CPU', m.cpu],
    ['cores', coresLabel(m)],
    ...(m.loadAverage == null ? [] : [['load average at the start', m.loadAverage.toFixed(1)] as [string, string]]),
    ...ceilings.map((c): [string, string] => ['ceiling (plain processes side by side)', c]),
    ['memory', `${m.memoryGiB} GiB`],
    ['platform', m.platform],
    ['backends that load', m.backends.join(', ')],
    ...pythonLines(record.python).map((line): [string, string] => ['CPython', line]),
    ...Object.entries(record.versions),
    ['Chart.js', chartJsVersion],
    ['started', record.startedAt],
    ['took', duration(record.durationMs)],
  ];
  return tableHtml(
    null,
    rows.map(([k, v]) => [{ text: k }, { text: v }]),
  );
}

/** "2 processes 1.63× ±0.05, 4 processes 1.71× ±0.08". */
function ceilingText(ceiling: readonly CeilingRow[]): string {
  return ceiling.map((c) => `${c.workers} processes ${speedupWithin(c.speedup, c.speedupCI)}`).join(', ');
}

export function renderHtml(record: LabRecord): string {
  const charts = chartsOf(record);
  const chartJs = chartJsSource();
  const library = scriptSafe(chartJs.source);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(library)} ${sha256(BOOT)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
  ].join('; ');
  const m = record.machine;
  const backends = [...new Set(record.rows.filter((r) => r.runtime !== 'cpython').map((r) => r.backend))];
  const besidePython = record.python ? ` beside ${record.python.label}` : '';
  const backendText = `${backends.join(' and ') || 'no'} backend${backends.length > 1 ? 's' : ''}${besidePython}`;
  const summary =
    `${new Date(record.startedAt).toUTCString()} · ${duration(record.durationMs)} · ` +
    `${m.cpu}, ${m.cores} cores · ${backendText} · gil-lab ${m.gilLab}, Node ${m.node}`;
  const sections = charts
    .map(
      (c) => `<section>
<h2>${escapeHtml(c.title)}</h2>
<p class="caption">${escapeHtml(c.caption)}</p>
<div class="chart" style="height: ${c.height}px"><canvas id="${escapeHtml(c.id)}" role="img" aria-label="${escapeHtml(c.title)}"></canvas></div>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<title>gil-lab report · ${escapeHtml(record.startedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>gil-lab report</h1>
<p class="muted">${escapeHtml(summary)}</p>
</header>
<main>
${warningsHtml(record.warnings)}
${sections || '<p>No run in this report measured a speedup, a latency or a timeline.</p>'}
<section>
<h2>Figures</h2>
<p class="caption">Every cell was warmed with its real task until steady, then timed once a round, in a shuffled order each round. Wall times are medians over the rounds; a speedup is the median over rounds of the sequential wall time divided by the row's, ± half its 95% interval (a bootstrap over the rounds). Flags and warnings say where the machine's noise made a figure doubtful.</p>
${figuresHtml(record)}
</section>
<section>
<h2>Machine and versions</h2>
${machineHtml(record, chartJs.version)}
</section>
<section>
<h2>Options</h2>
<p class="caption">The options of each compare() run, defaults filled in.</p>
<pre>${escapeHtml(record.runs.map((r) => JSON.stringify(r.options)).join('\n'))}</pre>
</section>
</main>
<footer>Written by gil-lab ${escapeHtml(m.gilLab)}. Charts by Chart.js ${escapeHtml(chartJs.version)} (MIT License), inlined with the data: this file loads nothing from the network.</footer>
<script>${library}</script>
<script type="application/json" id="gil-lab-charts">${jsonForScript(charts.map(({ id, config }) => ({ id, config })))}</script>
<script type="application/json" id="gil-lab-record">${jsonForScript(record)}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
