// gil-lab beside its peers, in one process. Each section is a function that measures one
// table; `main` runs the sections asked for and prints them as Markdown, with the machine
// line and the command that produced them.
//
//   npm run bench:peers [-- --quick] [--rounds N] [--only calls,throughput]
//
// Peers (the columns): the C++ baseline through node-addon-api (benchmark/cpp-baseline/,
// built on first use), gil-lab's napi-rs binding called directly ("raw", the exports that
// lib/backends/native.ts calls), gil-lab's public API on the native backend, and on the JS
// backend (plain JS: the same kernels in JavaScript, async on worker threads).
//
// Each cell is the median over `rounds` rounds of benchmark.js's median sample; the peers of
// one row take turns within each round, so that a noisy neighbour hurts them alike. Async
// cells time one call at a time: the round trip from the call to the settled promise.
'use strict';
const crypto = require('node:crypto');
const path = require('node:path');
const Benchmark = require('benchmark');
const { kernelsFor, info } = require('..');
const cppBaseline = require('./cpp-baseline/build');
const { median, machine } = require('./support');

const ROOT = path.join(__dirname, '..');

// ── Options ─────────────────────────────────────────────────────────────────────────────

function parseOptions(argv) {
  const value = (flag) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    quick,
    rounds: Number(value('--rounds') ?? (quick ? 3 : 5)),
    maxTime: quick ? 0.15 : 0.5, // seconds per benchmark.js run
    only: value('--only')?.split(',') ?? null,
  };
}

// ── Peers ───────────────────────────────────────────────────────────────────────────────

/** A peer: a column of the tables, with its calls by name, or `missing` saying why not. */
function loadPeers() {
  const peers = {};
  try {
    peers.cpp = { label: 'C++ (node-addon-api)', calls: cppBaseline.load() };
  } catch (error) {
    peers.cpp = { label: 'C++ (node-addon-api)', missing: error.message };
  }
  try {
    const native = kernelsFor('native');
    peers.raw = { label: 'napi-rs binding, raw', calls: rawBinding() };
    peers.native = { label: 'gil-lab API, native', calls: native };
  } catch (error) {
    peers.raw = { label: 'napi-rs binding, raw', missing: error.message };
    peers.native = { label: 'gil-lab API, native', missing: error.message };
  }
  peers.js = { label: 'gil-lab API, JS', calls: kernelsFor('js') };
  return peers;
}

/**
 * The exports of gil-lab's `.node` file: the module that kernelsFor('native') loaded, from
 * Node's module cache. Their async forms take `(pool, token, ...args)`.
 */
function rawBinding() {
  const { binary, platform } = info();
  return require(binary ?? path.join(ROOT, 'native', `gil-lab.${platform}.node`));
}

// ── Measuring ───────────────────────────────────────────────────────────────────────────

/** Seconds per call of `fn`: benchmark.js's median sample of one run. */
function timeRun(fn, isAsync, options) {
  return new Promise((resolve, reject) => {
    const test = isAsync
      ? { defer: true, fn: (deferred) => fn().then(() => deferred.resolve()) }
      : { fn };
    const bench = new Benchmark({ ...test, minSamples: 5, maxTime: options.maxTime, delay: 0 });
    bench.on('complete', () => resolve(median(bench.stats.sample)));
    bench.on('error', () => reject(bench.error));
    bench.run({ async: true });
  });
}

/**
 * One row: `calls` maps a peer to a thunk (or null where the peer has no such call). Returns
 * the median seconds per call for each peer, or null.
 */
async function measureRow(peers, { label, isAsync, calls }, options) {
  const present = Object.keys(peers).filter((p) => !peers[p].missing && calls[p]);
  const thunks = Object.fromEntries(present.map((p) => [p, calls[p](peers[p].calls)]).filter(([, t]) => t));
  for (const thunk of Object.values(thunks)) await thunk(); // warms up, and throws here if a call is wrong
  const samples = Object.fromEntries(Object.keys(thunks).map((p) => [p, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const [peer, thunk] of Object.entries(thunks)) samples[peer].push(await timeRun(thunk, isAsync, options));
  }
  const seconds = Object.fromEntries(Object.keys(peers).map((p) => [p, samples[p] ? median(samples[p]) : null]));
  process.stderr.write(`  ${label}: ${Object.entries(seconds).map(([p, s]) => `${p} ${s === null ? '–' : s.toExponential(2)}`).join(', ')}\n`);
  return seconds;
}

// ── Formatting ──────────────────────────────────────────────────────────────────────────

const UNITS = {
  ns: (s) => (s * 1e9).toFixed(0),
  'µs': (s) => (s * 1e6).toFixed(2),
  ms: (s) => (s * 1e3).toFixed(2),
};

/** A Markdown table: `columns` are header strings, `rows` arrays of cell strings. */
function markdownTable(columns, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const align = columns.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(columns), line(align), ...rows.map(line)].join('\n');
}

/**
 * A section's table: one row per case, a column per peer, then how many times the C++
 * baseline's time each napi-rs column takes. `format(seconds)` writes a cell.
 */
function peerTable(peers, cases, measured) {
  const names = Object.keys(peers);
  const ratio = (s, base) => (s === null || base === null ? '–' : `${(s / base).toFixed(2)}×`);
  const rows = cases.map((c, i) => {
    const s = measured[i];
    const cells = names.map((p) => (s[p] === null ? '–' : c.format(s[p])));
    return [c.label, ...cells, ratio(s.raw, s.cpp), ratio(s.native, s.cpp)];
  });
  return markdownTable(['call', ...names.map((p) => peers[p].label), 'raw ÷ C++', 'API ÷ C++'], rows);
}

// ── Sections ────────────────────────────────────────────────────────────────────────────
// Each takes the peers and options and returns { title, body }: body is Markdown.

/** The calls each peer makes for a kernel with these arguments, sync or async. */
function kernelCalls(kernel, args, isAsync) {
  if (isAsync) {
    return {
      cpp: (c) => () => c[kernel](...args),
      raw: (b) => b[kernel] && (() => b[kernel](null, null, ...args)),
      native: (k) => k[kernel] && (() => k[kernel](...args)),
      js: (k) => k[kernel] && (() => k[kernel](...args)),
    };
  }
  const name = `${kernel}Sync`;
  const call = (exports) => exports[name] && (() => exports[name](...args));
  return { cpp: call, raw: call, native: call, js: call };
}

/** `calls` made `count` at a time: each thunk starts `count` calls and awaits them all. */
function inFlight(calls, count) {
  const batch = (one) => one && (() => Promise.all(Array.from({ length: count }, one)));
  return Object.fromEntries(Object.entries(calls).map(([peer, make]) => [peer, (exports) => batch(make(exports))]));
}

function bytes(n) {
  return new Uint8Array(crypto.randomBytes(n));
}

/**
 * What one call costs when it does (almost) no work. gil-lab has no empty export; its
 * cheapest real call is `countPrimes(0)`, which checks its argument and returns 0, so the
 * no-op rows set it beside the C++ baseline's empty `noop()`.
 */
async function callCost(peers, options) {
  const cheapestSync = { ...kernelCalls('countPrimes', [0], false), cpp: (c) => () => c.noopSync() };
  const cheapestAsync = { ...kernelCalls('countPrimes', [0], true), cpp: (c) => () => c.noop() };
  const small = bytes(64);
  const ns = UNITS.ns;
  const us = UNITS['µs'];
  const cases = [
    { label: 'no-op, sync (ns)', isAsync: false, calls: cheapestSync, format: ns },
    { label: '`countPrimesSync(0)` (ns)', isAsync: false, calls: kernelCalls('countPrimes', [0], false), format: ns },
    { label: '`countPrimesSync(1000)` (ns)', isAsync: false, calls: kernelCalls('countPrimes', [1000], false), format: ns },
    { label: '`sha256Sync(64 B)` (ns)', isAsync: false, calls: kernelCalls('sha256', [small], false), format: ns },
    { label: 'no-op, async (µs)', isAsync: true, calls: cheapestAsync, format: us },
    { label: '`countPrimes(0)` (µs)', isAsync: true, calls: kernelCalls('countPrimes', [0], true), format: us },
    { label: '`countPrimes(1000)` (µs)', isAsync: true, calls: kernelCalls('countPrimes', [1000], true), format: us },
    { label: '`sha256(64 B)` (µs)', isAsync: true, calls: kernelCalls('sha256', [small], true), format: us },
    {
      label: '`countPrimes(0)`, 1000 in flight (µs per call)',
      isAsync: true,
      calls: inFlight(kernelCalls('countPrimes', [0], true), 1000),
      format: (s) => us(s / 1000),
    },
  ];
  const measured = [];
  for (const c of cases) measured.push(await measureRow(peers, c, options));
  return {
    title: 'Per-call cost: one call at a time (unless said), median time per call',
    body:
      `${peerTable(peers, cases, measured)}\n\n` +
      'No-op rows: the C++ column is an empty `noopSync()` / `noop()` (an AsyncWorker that does nothing); ' +
      "gil-lab's columns are its cheapest real call, `countPrimes(0)`.",
  };
}

/** The same kernel's throughput through each binding: work large enough to hide the call. */
async function throughput(peers, options) {
  const MiB = 2 ** 20;
  const large = bytes(MiB);
  const ms = UNITS.ms;
  const mbps = (s) => `${(MiB / 1e6 / s).toFixed(0)} MB/s`;
  const cases = [
    { label: '`countPrimesSync(1 000 000)` (ms)', isAsync: false, calls: kernelCalls('countPrimes', [1_000_000], false), format: ms },
    { label: '`countPrimes(1 000 000)` (ms)', isAsync: true, calls: kernelCalls('countPrimes', [1_000_000], true), format: ms },
    { label: '`sha256Sync(1 MiB)`', isAsync: false, calls: kernelCalls('sha256', [large], false), format: mbps },
    { label: '`sha256(1 MiB)`', isAsync: true, calls: kernelCalls('sha256', [large], true), format: mbps },
  ];
  const measured = [];
  for (const c of cases) measured.push(await measureRow(peers, c, options));
  return {
    title: 'Throughput: the same kernel through each binding',
    body: `${peerTable(peers, cases, measured)}\n\nRatios are of time per call: above 1× is slower than C++.`,
  };
}

const SECTIONS = { calls: callCost, throughput };

// ── Main ────────────────────────────────────────────────────────────────────────────────

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const peers = loadPeers();
  const out = [`# gil-lab beside its peers\n`, machine().summary, '', `Command: \`node benchmark/peers.js ${process.argv.slice(2).join(' ')}\``.replace(/ `$/, '`')];
  for (const [name, peer] of Object.entries(peers)) {
    if (peer.missing) out.push('', `Column "${peer.label}" (${name}) is empty: ${peer.missing}`);
  }
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (options.only && !options.only.includes(name)) continue;
    process.stderr.write(`${name}:\n`);
    const { title, body } = await section(peers, options);
    out.push('', `## ${title}`, '', body);
  }
  console.log(out.join('\n'));
  process.exit(0); // the JS backend's worker threads would keep the process alive
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
