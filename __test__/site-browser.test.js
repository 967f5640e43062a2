// The lab's page in a real browser: `gil-lab serve` on a free loopback port, Debian's headless
// Chromium (through playwright-core) loads it with ?autorun=1 and a small demo, and the page
// must be cross-origin isolated, finish with a table of plausible speedups and the convoy
// line, log no console error and request nothing beyond the server. A screenshot is kept in
// test-artifacts/. Without Chromium this fails on CI (CI=true) and is skipped elsewhere.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { ROOT, backend } = require('./support/backends');
const { ARTIFACTS, chromiumMissing, watch, withBrowser } = require('./support/browser');
const { startServe } = require('./support/serve');

// The page runs the wasm build where the site has it and the page is isolated; the JS pass asks
// for the JS backend (?backend=js), so that each backend is tested in one pass.
const wasmInSite = fs.existsSync(path.join(ROOT, 'dist', 'site', 'gil-lab.wasm32-wasi.wasm'));
const pageBackend = backend === 'js' || !wasmInSite ? 'js-workers' : 'wasm';
const query = `autorun=1&workers=2&cpuMs=30&ioMs=20&rounds=3&seconds=1${backend === 'js' ? '&backend=js' : ''}`;

const missing = chromiumMissing();
if (missing && process.env.CI === 'true') throw new Error(`the page's browser test needs Chromium on CI: ${missing}`);
if (missing) console.warn(`Skipping the page's browser test: ${missing}`);
const describeInBrowser = missing ? describe.skip : describe;

describeInBrowser(`the lab's page in Chromium on ${pageBackend} (${backend} pass)`, () => {
  jest.setTimeout(90_000);
  let server;
  let result;

  beforeAll(async () => {
    server = await startServe();
    result = await withBrowser(async (context) => {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(`${server.url}?${query}`, { waitUntil: 'load' });
      await page.waitForFunction(
        () => document.body.dataset.state !== 'running' && document.body.dataset.state !== 'idle',
        null,
        { timeout: 75_000 },
      );
      const shown = await page.evaluate(() => ({
        state: document.body.dataset.state,
        backend: document.body.dataset.backend,
        backendText: document.getElementById('backend').textContent,
        head: [...document.querySelectorAll('#results thead th')].map((th) => th.textContent),
        isolated: crossOriginIsolated,
        status: document.getElementById('status').textContent,
        rows: [...document.querySelectorAll('#results tbody tr')].map((tr) => ({
          workload: tr.dataset.workload,
          speedups: [...tr.querySelectorAll('td.speedup')].map((td) => [
            Number(td.dataset.low),
            Number(td.dataset.speedup),
            Number(td.dataset.high),
          ]),
        })),
        convoy: { ...document.getElementById('convoy').dataset },
        lock: [...document.querySelectorAll('#lock-counts li')].map((li) => ({ ...li.dataset })),
        timeline: { ...document.getElementById('timeline').dataset },
        charts: [...document.querySelectorAll('#charts canvas')].map((canvas) => {
          const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
          return { id: canvas.id, datasets: JSON.parse(canvas.dataset.datasets), painted };
        }),
      }));
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const screenshot = path.join(ARTIFACTS, `site-${backend}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      return { ...shown, ...seen, screenshot };
    });
  });

  afterAll(() => server?.child.kill('SIGTERM'));

  test('the page is cross-origin isolated and the demo finishes', () => {
    expect(result.isolated).toBe(true);
    expect(result.status).not.toMatch(/failed/);
    expect(result.state).toBe('done');
    expect(result.backend).toBe(pageBackend);
  });

  test('the page says which backend ran and what it lost', () => {
    if (pageBackend === 'wasm') {
      expect(result.backendText).toMatch(/^Backend: wasm: gil-lab's Rust kernels, emulated lock and thread pools/);
      expect(result.backendText).toMatch(/no processes, which a page cannot start/);
      expect(result.head).toEqual([
        'workload',
        'sequential',
        'threads, lock on',
        'threads, lock off',
        'interpreters',
        'async',
      ]);
    } else {
      expect(result.backendText).toMatch(/^Backend: JS kernels on Web Workers/);
      expect(result.backendText).toMatch(backend === 'js' ? /\?backend=js/ : /the wasm build is not in this site/);
      expect(result.head).toEqual([
        'workload',
        'sequential',
        'threads, lock on',
        'threads, lock off',
        'processes',
        'async',
      ]);
    }
  });

  test('a table of plausible speedups, CPU-bound and I/O-bound', () => {
    expect(result.rows.map((r) => r.workload)).toEqual(['CPU-bound', 'I/O-bound']);
    const [cpu, io] = result.rows;
    expect(cpu.speedups).toHaveLength(4); // no async for CPU-bound work
    expect(io.speedups).toHaveLength(5);
    for (const [low, estimate, high] of [...cpu.speedups, ...io.speedups]) {
      expect(low).toBeGreaterThan(0);
      expect(low).toBeLessThanOrEqual(estimate);
      expect(estimate).toBeLessThanOrEqual(high);
      expect(high).toBeLessThan(10); // 2 workers: nothing near 10× is plausible
    }
    // Sequential against itself is 1× exactly, every round.
    expect(cpu.speedups[0]).toEqual([1, 1, 1]);
    // I/O-bound waits overlap on 2 workers even with the lock on: well above 1×, whatever the load.
    expect(io.speedups[1][1]).toBeGreaterThan(1.3);
  });

  test('the convoy line has its figures', () => {
    for (const key of ['aloneOnMs', 'aloneOffMs', 'besideOnMs', 'besideOffMs'])
      expect(Number(result.convoy[key])).toBeGreaterThan(0);
  });

  test("the report's charts drew the measured figures: speedups with their intervals beside the ideal, the convoy", () => {
    expect(result.charts.map((c) => c.id)).toEqual(['speedup-0', 'speedup-1', 'latency-2', 'timeline-0', 'timeline-1']);
    for (const chart of result.charts) expect(chart.painted).toBeGreaterThan(5_000);
    result.rows.forEach((row, i) => {
      const [bars, ideal] = result.charts[i].datasets;
      expect(bars.data).toEqual(row.speedups.map(([, estimate]) => estimate));
      expect(bars.errorBars).toEqual(row.speedups.map(([low, , high]) => [low, high]));
      expect(ideal.label).toMatch(/^ideal: 2× \(speedup = workers\)$/);
      expect(ideal.data).toEqual(row.speedups.map(() => 2));
    });
    const [lockOn, lockOff] = result.charts[2].datasets;
    const figure = (key) => Number(result.convoy[key]);
    expect(lockOn.data).toEqual([
      { x: 0, y: figure('aloneOnMs') },
      { x: 1, y: figure('besideOnMs') },
    ]);
    expect(lockOff.data).toEqual([
      { x: 0, y: figure('aloneOffMs') },
      { x: 1, y: figure('besideOffMs') },
    ]);
    // The lock's trace of each workload's first timed run of the threads with the lock on: every
    // task held it, from the run's start on.
    for (const timeline of result.charts.slice(3)) {
      const held = timeline.datasets.find((d) => d.label === 'held the lock');
      expect(held.data.length).toBeGreaterThanOrEqual(2);
      for (const {
        x: [from, to],
        y,
      } of held.data) {
        expect(0 <= from && from <= to).toBe(true);
        expect(y).toMatch(/^thread [12]$/);
      }
    }
  });

  test("the shared lock's counters: every task took it, every I/O task let it go around its wait", () => {
    const [cpu, io] = result.lock;
    expect([cpu.workload, io.workload]).toEqual(['CPU-bound', 'I/O-bound']);
    // At least 2 warm-ups and 3 rounds of the threads with the lock on, 2 tasks each; each
    // I/O-bound task lets the lock go once, around its wait, and takes it at its start and after.
    const atLeast = (2 + 3) * 2;
    expect(Number(cpu.takes)).toBeGreaterThanOrEqual(atLeast);
    expect(Number(cpu.voluntaryReleases)).toBe(0);
    const ioReleases = Number(io.voluntaryReleases);
    expect(ioReleases).toBeGreaterThanOrEqual(atLeast);
    expect(ioReleases % 2).toBe(0);
    expect(Number(io.takes)).toBeGreaterThanOrEqual(2 * ioReleases);
    // The lock's clock reads finer than whole milliseconds (on wasm, the page's WASI clock).
    expect(Number(cpu.holdNs) % 1e6).not.toBe(0);
    expect(Number(cpu.waitNs) % 1e6).not.toBe(0);
  });

  test("the lock's live timeline drew holds as it ran", () => {
    expect(Number(result.timeline.holds)).toBeGreaterThan(0);
  });

  test('no console error, no request beyond the local server', () => {
    expect(result.consoleErrors).toEqual([]);
    for (const url of result.requests) expect(url.startsWith(server.url)).toBe(true);
  });

  test('a screenshot is kept', () => {
    expect(fs.statSync(result.screenshot).size).toBeGreaterThan(10_000);
  });
});

describeInBrowser(`the lab's page from a host that sends no isolation headers (${backend} pass)`, () => {
  jest.setTimeout(60_000);
  const TYPES = {
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.css': 'text/css',
    '.wasm': 'application/wasm',
  };
  let plain;
  let url;

  beforeAll(async () => {
    // The same files from a server that sends no COOP/COEP headers, as GitHub Pages.
    const site = path.join(ROOT, 'dist', 'site');
    plain = http.createServer((request, response) => {
      const name = path.basename(request.url.split('?')[0]) || 'index.html';
      const file = path.join(site, name);
      const type = TYPES[path.extname(file)] ?? 'text/html';
      fs.readFile(file, (error, body) =>
        error ? response.writeHead(404).end() : response.writeHead(200, { 'Content-Type': type }).end(body),
      );
    });
    await new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${plain.address().port}/`;
  });

  afterAll(() => plain?.close());

  test('its service worker makes the page isolated after one reload, and the backend loads', async () => {
    const shown = await withBrowser(async (context) => {
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(`${url}${backend === 'js' ? '?backend=js' : ''}`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.backend !== undefined, null, { timeout: 45_000 });
      return {
        ...(await page.evaluate(() => ({
          navigation: performance.getEntriesByType('navigation')[0].type,
          isolated: crossOriginIsolated,
          controlled: navigator.serviceWorker.controller !== null,
          backend: document.body.dataset.backend,
          state: document.body.dataset.state,
        }))),
        ...seen,
      };
    });
    // Isolated after the page reloaded itself once, under the worker.
    expect(shown).toMatchObject({
      navigation: 'reload',
      isolated: true,
      controlled: true,
      backend: pageBackend,
      state: 'idle',
    });
    expect(shown.consoleErrors).toEqual([]);
    for (const request of shown.requests) expect(request.startsWith(url)).toBe(true);
  });

  // Whatever the backend: once, in the JS pass.
  (backend === 'js' ? test : test.skip)(
    'where service workers are blocked, says it is not isolated and does not start: state error',
    async () => {
      const shown = await withBrowser(
        async (context) => {
          const page = await context.newPage();
          await page.goto(`${url}?autorun=1`, { waitUntil: 'load' });
          await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000 });
          return page.evaluate(() => ({
            isolated: crossOriginIsolated,
            status: document.getElementById('status').textContent,
          }));
        },
        { serviceWorkers: 'block' },
      );
      expect(shown.isolated).toBe(false);
      expect(shown.status).toMatch(/not cross-origin isolated/);
    },
  );
});
