// Opens an HTML report in headless Chromium (Debian's `chromium`, driven by playwright-core)
// and says what a reader would get: the charts Chart.js drew, console errors, requests made,
// and a screenshot kept under test-artifacts/.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { ROOT } = require('./backends');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/** Why the browser tests cannot run here, or null when they can. */
function chromiumMissing() {
  return fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} is not there (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/** Runs `use(context)` in a fresh headless Chromium with an empty profile, closed after; `options` go to the context. */
async function withBrowser(use, options = {}) {
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1100, height: 900 },
    ...options,
  });
  try {
    return await use(context);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Collects, from now on, the page's console errors and uncaught errors, and every URL it requests. */
function watch(page) {
  const seen = { consoleErrors: [], requests: [] };
  page.on('console', (m) => m.type() === 'error' && seen.consoleErrors.push(m.text()));
  page.on('pageerror', (e) => seen.consoleErrors.push(String(e)));
  page.context().on('request', (r) => seen.requests.push(r.url()));
  return seen;
}

/**
 * Loads `file` in a fresh browser with an empty profile, waits for the page to settle, and
 * returns { charts, consoleErrors, requests, screenshot }. `charts` has, per <canvas>, its
 * id, its drawn size, and the Chart.js chart on it (type, datasets and their point counts).
 */
function openReport(file, { screenshotName }) {
  return withBrowser(async (context) => {
    const page = await context.newPage();
    const { consoleErrors, requests } = watch(page);
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((canvas) => {
        const box = canvas.getBoundingClientRect();
        const chart = typeof Chart === 'function' ? Chart.getChart(canvas) : undefined;
        return {
          id: canvas.id,
          width: box.width,
          height: box.height,
          pixels: canvas.width * canvas.height,
          chart: chart && {
            type: chart.config.type,
            datasets: chart.data.datasets.map((d) => ({
              label: d.label,
              points: d.data.length,
              drawn: chart.getDatasetMeta(chart.data.datasets.indexOf(d)).data.length,
            })),
          },
        };
      }),
    );
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = path.join(ARTIFACTS, screenshotName);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { charts, consoleErrors, requests: requests.filter((r) => r !== url), screenshot };
  });
}

module.exports = { ARTIFACTS, CHROMIUM, chromiumMissing, openReport, watch, withBrowser };
