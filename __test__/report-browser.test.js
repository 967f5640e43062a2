// The HTML report in a real browser: headless Chromium opens the written file offline, and
// Chart.js draws every chart, the lock's timeline included, with no error and no request.
// Without Chromium this fails on CI (CI=true) and is skipped, with the reason, elsewhere.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, backend } = require('./support/backends');
const { ARTIFACTS, chromiumMissing, openReport } = require('./support/browser');
const { fixtureReports } = require('./support/report-fixture');

const { combine, runtimeVersions } = require(path.join(ROOT, 'dist', 'report', 'record'));
const { renderHtml } = require(path.join(ROOT, 'dist', 'report', 'html'));
const { chartsOf } = require(path.join(ROOT, 'dist', 'report', 'charts'));

const missing = chromiumMissing();
if (missing && process.env.CI === 'true') {
  throw new Error(`the report's browser test needs Chromium on CI: ${missing}`);
}
if (missing) console.warn(`Skipping the report's browser test: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

describeInBrowser(`the HTML report in Chromium (${backend} pass)`, () => {
  jest.setTimeout(60_000);
  const record = combine(fixtureReports(), runtimeVersions('0.1.0'));
  const expected = chartsOf(record);
  let page;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `report-${backend}.html`);
    fs.writeFileSync(file, renderHtml(record));
    page = await openReport(file, { screenshotName: `report-${backend}.png` });
  });

  test('every chart is drawn on a canvas of real size', () => {
    expect(page.charts.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    for (const c of page.charts) {
      expect(c.width).toBeGreaterThan(200);
      expect(c.height).toBeGreaterThan(50);
      expect(c.pixels).toBeGreaterThan(0);
    }
  });

  test('each canvas holds a Chart.js chart with the data it was given', () => {
    page.charts.forEach((c, i) => {
      const spec = expected[i].config;
      expect(c.chart).toBeDefined();
      expect(c.chart.type).toBe(spec.type);
      expect(c.chart.datasets.map((d) => [d.label, d.points, d.drawn])).toEqual(
        spec.data.datasets.map((d) => [d.label, d.data.length, d.data.length]),
      );
    });
  });

  test("the lock's timeline draws a bar per hold and per wait", () => {
    const timeline = page.charts.find((c) => c.id === 'timeline-0').chart;
    expect(timeline.datasets.map((d) => [d.label, d.drawn])).toEqual([
      ['held the lock', 4],
      ['waited for it', 3],
      ['drop request', 2],
    ]);
  });

  test('no console error, no request beyond the file itself', () => {
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
  });

  test('a screenshot is kept', () => {
    expect(fs.statSync(page.screenshot).size).toBeGreaterThan(20_000);
  });
});
