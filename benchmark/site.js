// The lab's page, measured in headless Chromium: `gil-lab serve` on a free port, the page with
// ?autorun=1 and the settings given, and what it shows printed as Markdown — the backend that
// ran (wasm where it loads; add backend=js to the settings for the JS one), the table of
// speedups (median over rounds, 95% interval), the lock's counters, the convoy line, the
// page's warnings and the charts it drew — with the machine's load before and after.
//
//   node benchmark/site.js [page settings as a query, default: workers=2&cpuMs=200&ioMs=50&rounds=5&seconds=20]
//
// Needs Debian's chromium (or CHROMIUM_PATH) and a build (npm run build).
'use strict';
const os = require('node:os');
const { spawn } = require('node:child_process');
const path = require('node:path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const query = process.argv[2] ?? 'workers=2&cpuMs=200&ioMs=50&rounds=5&seconds=20';

async function main() {
  const { chromium } = require('playwright-core');
  const server = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'dist', 'cli', 'main.js'), 'serve', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      server.stdout.on('data', (d) => /http:\S+\//.test(String(d)) && resolve(/http:\S+\//.exec(String(d))[0]));
      server.once('exit', (code) => reject(new Error(`gil-lab serve exited with ${code}`)));
    });
    const loadBefore = os.loadavg()[0];
    const page = await browser.newPage();
    await page.goto(`${url}?autorun=1&${query}`);
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, {
      timeout: 600_000,
    });
    const shown = await page.evaluate(() => ({
      state: document.body.dataset.state,
      status: document.getElementById('status').textContent,
      head: [...document.querySelectorAll('#results thead th')].map((th) => th.textContent),
      rows: [...document.querySelectorAll('#results tbody tr')].map((tr) =>
        [...tr.children].map((cell) =>
          cell.classList.contains('speedup')
            ? `${Number(cell.dataset.speedup).toFixed(2)}× (${Number(cell.dataset.low).toFixed(2)}–${Number(cell.dataset.high).toFixed(2)})`
            : cell.textContent,
        ),
      ),
      lock: [...document.querySelectorAll('#lock-counts li')].map((li) => li.textContent),
      convoy: document.getElementById('convoy').textContent,
      warnings: [...document.querySelectorAll('#warnings li')].map((li) => li.textContent),
      browser: navigator.userAgent,
      backend: document.body.dataset.backend,
      charts: [...document.querySelectorAll('#charts canvas')].map((c) => c.getAttribute('aria-label')),
    }));
    if (shown.state !== 'done') throw new Error(shown.status);
    console.log(
      `Page settings: \`${query}\`; backend ${shown.backend}; ${shown.browser.match(/Chrome\/\S+/)?.[0] ?? shown.browser}; ${os.cpus().length} cores, load ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after.\n`,
    );
    console.log(`| ${shown.head.join(' | ')} |\n| ${shown.head.map(() => '---').join(' | ')} |`);
    for (const row of shown.rows) console.log(`| ${row.join(' | ')} |`);
    console.log(`\n${shown.convoy}\n`);
    for (const line of shown.lock) console.log(`- lock, ${line}`);
    for (const line of shown.warnings) console.log(`- warning: ${line}`);
    console.log(`- charts drawn: ${shown.charts.join('; ')}`);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(`benchmark/site.js: ${error.message}`);
  process.exitCode = 1;
});
