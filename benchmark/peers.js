// gil-lab beside its peers, in one run and one process tree (this process, its worker
// threads and a ProcessPool's children). Each section is a function that measures one table
// and the issue's goals it bears on; `main` runs the sections asked for and prints them as
// Markdown, with the machine line, the command that produced them and a table of the goals.
//
//   npm run bench:peers [-- --quick] [--rounds N] [--only calls,throughput,dispatch,kernels,overhead,scaling,eventLoop,memory] [--write]
//
// --quick: fewer rounds, shorter samples and fewer tiny tasks. --write: also puts the tables,
// with the machine line and the command, into BENCHMARKS.md between its bench:peers markers.
//
// The calls and throughput sections — peers (the columns): the C++ baseline through node-addon-api (benchmark/cpp-baseline/,
// built on first use), gil-lab's napi-rs binding called directly ("raw", the exports that
// lib/backends/native.ts calls), gil-lab's public API on the native backend, and on the JS
// backend (plain JS: the same kernels in JavaScript, async on worker threads).
//
// Each cell is the median over `rounds` rounds of benchmark.js's median sample; the peers of
// one row take turns within each round, so that a noisy neighbour hurts them alike. Async
// cells time one call at a time: the round trip from the call to the settled promise.
'use strict';
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const Benchmark = require('benchmark');
const { kernelsFor, info, ThreadPool, ProcessPool } = require('..');
const cppBaseline = require('./cpp-baseline/build');
const peerPools = require('./peer-pools/load');
const gilOverhead = require('./gil-overhead');
const { sha256Rates, matmulRates } = require('./throughput');
const { median, machine, calibrateCountPrimes } = require('./support');

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
    write: argv.includes('--write'),
    inFlight: quick ? 5000 : 20_000, // tiny tasks all in flight at once
    oneAtATime: quick ? 500 : 2000, // tiny tasks one at a time
    taskMs: 100, // a CPU-bound task of the scaling and event-loop sections
    memoryTasks: 100_000,
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
    const test = isAsync ? { defer: true, fn: (deferred) => fn().then(() => deferred.resolve()) } : { fn };
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
  process.stderr.write(
    `  ${label}: ${Object.entries(seconds)
      .map(([p, s]) => `${p} ${s === null ? '–' : s.toExponential(2)}`)
      .join(', ')}\n`,
  );
  return seconds;
}

// ── Formatting ──────────────────────────────────────────────────────────────────────────

const UNITS = {
  ns: (s) => (s * 1e9).toFixed(0),
  µs: (s) => (s * 1e6).toFixed(2),
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
    {
      label: '`countPrimesSync(1000)` (ns)',
      isAsync: false,
      calls: kernelCalls('countPrimes', [1000], false),
      format: ns,
    },
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
    {
      label: '`countPrimesSync(1 000 000)` (ms)',
      isAsync: false,
      calls: kernelCalls('countPrimes', [1_000_000], false),
      format: ms,
    },
    {
      label: '`countPrimes(1 000 000)` (ms)',
      isAsync: true,
      calls: kernelCalls('countPrimes', [1_000_000], true),
      format: ms,
    },
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

// ── Pools, processes and the machine ────────────────────────────────────────────────────
// The sections below time whole batches with performance.now(): each cell is the median
// over `rounds` rounds, the contenders of a table taking turns within each round.

const NOT_LOADED = '–';

/** Median over `rounds` of `measure()` (a promise of a number). */
async function medianOf(rounds, measure) {
  const values = [];
  for (let round = 0; round < rounds; round++) values.push(await measure());
  return median(values);
}

/** Tasks per second with `count` calls of `run` all in flight. */
async function allInFlightRate(run, count) {
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, run));
  return count / ((performance.now() - started) / 1e3);
}

/** Round trips of `count` calls of `run`, one at a time: { medianUs, rate }. */
async function oneAtATime(run, count) {
  const trips = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    await run();
    trips.push(performance.now() - sent);
  }
  return { medianUs: median(trips) * 1e3, rate: count / ((performance.now() - started) / 1e3) };
}

/**
 * The pools of the dispatch table, each on 2 workers, as { label, open() → { run, close } }
 * where `run()` submits countPrimes(0). A pool that cannot start here has `missing`.
 */
async function dispatchPools() {
  const peers = await peerPools.load();
  const ours = (Pool, backend) => async () => {
    const pool = new Pool({ maxWorkers: 2, backend });
    if (pool.start) await pool.start();
    return { run: () => pool.submit('countPrimes', 0), close: () => pool.shutdown() };
  };
  return [
    { key: 'native', label: 'gil-lab `ThreadPool`, native', open: ours(ThreadPool, 'native') },
    { key: 'js', label: 'gil-lab `ThreadPool`, JS', open: ours(ThreadPool, 'js') },
    { key: 'processes', label: 'gil-lab `ProcessPool`, native', open: ours(ProcessPool, 'native') },
    {
      key: 'piscina',
      label: `Piscina ${peers.versions.piscina}`,
      open: async () => {
        const pool = new peers.Piscina({ filename: peers.workers.piscina, minThreads: 2, maxThreads: 2 });
        return { run: () => pool.run(0), close: () => pool.destroy() };
      },
    },
    {
      key: 'workerpool',
      label: `workerpool ${peers.versions.workerpool}`,
      open: async () => {
        const pool = peers.workerpool.pool(peers.workers.workerpool, {
          minWorkers: 2,
          maxWorkers: 2,
          workerType: 'thread',
        });
        return { run: () => pool.exec('countPrimes', [0]), close: () => pool.terminate() };
      },
    },
    {
      key: 'tinypool',
      label: `tinypool ${peers.versions.tinypool}`,
      open: async () => {
        const pool = new peers.Tinypool({ filename: peers.workers.tinypool, minThreads: 2, maxThreads: 2 });
        return { run: () => pool.run(0), close: () => pool.destroy() };
      },
    },
  ];
}

/** Tiny tasks through each pool: all in flight, and one at a time. */
async function dispatch(_peers, options) {
  const pools = await dispatchPools();
  for (const pool of pools) {
    try {
      pool.handle = await pool.open();
      await allInFlightRate(pool.handle.run, 200); // starts the workers and warms them up
    } catch (error) {
      pool.missing = error.message.split('\n')[0];
    }
  }
  const live = pools.filter((p) => !p.missing);
  const samples = new Map(live.map((p) => [p, { burst: [], trip: [], tripRate: [] }]));
  for (let round = 0; round < options.rounds; round++) {
    for (const pool of live) {
      const s = samples.get(pool);
      s.burst.push(await allInFlightRate(pool.handle.run, options.inFlight));
      const trips = await oneAtATime(pool.handle.run, options.oneAtATime);
      s.trip.push(trips.medianUs);
      s.tripRate.push(trips.rate);
    }
  }
  for (const pool of live) await pool.handle.close();
  const result = Object.fromEntries(
    live.map((p) => {
      const s = samples.get(p);
      return [p.key, { burst: median(s.burst), trip: median(s.trip), tripRate: median(s.tripRate) }];
    }),
  );
  const piscina = result.piscina?.burst ?? null;
  const rate = (r) => `${Math.round(r).toLocaleString('en-US')}`;
  const rows = pools.map((p) => {
    const r = result[p.key];
    if (!r) return [p.label, NOT_LOADED, NOT_LOADED, NOT_LOADED, NOT_LOADED];
    process.stderr.write(`  ${p.key}: ${rate(r.burst)}/s in flight, ${r.trip.toFixed(1)} µs round trip\n`);
    return [
      p.label,
      rate(r.burst),
      piscina ? `${(r.burst / piscina).toFixed(2)}×` : NOT_LOADED,
      r.trip.toFixed(1),
      rate(r.tripRate),
    ];
  });
  const goals = [];
  if (piscina && result.native)
    goals.push(
      goal(
        'native `ThreadPool` tiny tasks all in flight, ÷ Piscina',
        result.native.burst / piscina,
        '≥ 3×',
        (x) => x >= 3,
        (x) => `${x.toFixed(2)}×`,
      ),
    );
  if (piscina && result.js)
    goals.push(
      goal(
        'JS `ThreadPool` tiny tasks all in flight, ÷ Piscina',
        result.js.burst / piscina,
        '≥ 0.9×',
        (x) => x >= 0.9,
        (x) => `${x.toFixed(2)}×`,
      ),
    );
  const notes = pools
    .filter((p) => p.missing)
    .map((p) => `\n\n${p.label}: not measured: ${p.missing}`)
    .join('');
  return {
    title: `Dispatch: tiny tasks on 2 workers (countPrimes(0); ${options.inFlight.toLocaleString('en-US')} in flight, then ${options.oneAtATime.toLocaleString('en-US')} one at a time)`,
    body:
      markdownTable(
        [
          'pool',
          'tasks/s, all in flight',
          '÷ Piscina',
          'round trip, one at a time (µs, median)',
          'tasks/s, one at a time',
        ],
        rows,
      ) +
      '\n\nThe peer libraries run the same JS kernel (`countPrimesSync(0)` of the JS backend) in a worker file of their own ' +
      "(`benchmark/peer-pools/`); gil-lab's pools run `countPrimes` on their backend. " +
      '`ProcessPool` runs 2 child processes, each with the native backend.' +
      notes,
    goals,
  };
}

/**
 * One core's peak double-precision FLOP/s, from /proc/cpuinfo: the widest FMA vectors its
 * flags name (AVX-512: 8 doubles, AVX2 with FMA: 4, else SSE2: 2, no FMA), 2 FMA units per
 * core (Intel since Haswell, AMD since Zen 2; some AVX-512 parts have one 512-bit unit), 2
 * FLOP per FMA per lane, times the clock: the cpufreq maximum where the kernel exposes it,
 * else the `cpu MHz` line (a virtual machine's nominal clock). Null off Linux.
 */
function corePeak() {
  let cpuinfo;
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const flags = new Set((cpuinfo.match(/^flags\s*:\s*(.*)$/m)?.[1] ?? '').split(/\s+/));
  const [isa, lanes, fma] = flags.has('avx512f')
    ? ['AVX-512', 8, true]
    : flags.has('avx2') && flags.has('fma')
      ? ['AVX2 + FMA', 4, true]
      : ['SSE2', 2, false];
  const units = 2;
  const flopsPerCycle = units * lanes * (fma ? 2 : 1);
  let ghz;
  let clock;
  try {
    ghz = Number(fs.readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq', 'utf8')) / 1e6;
    clock = 'cpufreq maximum';
  } catch {
    ghz = Number(cpuinfo.match(/^cpu MHz\s*:\s*([\d.]+)/m)?.[1]) / 1e3;
    clock = '`cpu MHz` of /proc/cpuinfo';
  }
  if (!(ghz > 0)) return null;
  return {
    gflops: flopsPerCycle * ghz,
    how: `${isa}: ${units} FMA units × ${lanes} doubles × ${fma ? 2 : 1} FLOP = ${flopsPerCycle} FLOP/cycle, × ${ghz.toFixed(2)} GHz (${clock})`,
  };
}

/** sha256 beside node:crypto, and matmul beside this core's peak: sync, on this thread. */
async function bestAlternative(_peers, options) {
  const maxTime = options.maxTime;
  const sha = { crypto: [], native: [], js: [] };
  const matmul = [];
  for (let round = 0; round < options.rounds; round++) {
    const rates = sha256Rates({ bytes: 64 << 20, maxTime });
    for (const key of Object.keys(sha)) if (rates[key] !== null) sha[key].push(rates[key]);
    const gflops = matmulRates({ n: 1024, maxTime, backends: ['native'] }).native;
    if (gflops !== null) matmul.push(gflops);
  }
  const m = (values) => (values.length ? median(values) : null);
  const rates = { crypto: m(sha.crypto), native: m(sha.native), js: m(sha.js) };
  const gflops = m(matmul);
  const peak = corePeak();
  const mbps = (x) => (x === null ? NOT_LOADED : `${x.toFixed(0)} MB/s`);
  const share = (x) => `${(x * 100).toFixed(0)}%`;
  const rows = [
    [
      '`sha256Sync`, 64 MiB',
      mbps(rates.native),
      `node:crypto: ${mbps(rates.crypto)}`,
      rates.native === null ? NOT_LOADED : `${(rates.native / rates.crypto).toFixed(2)}×`,
    ],
    [
      '`sha256Sync`, 64 MiB, JS backend',
      mbps(rates.js),
      `node:crypto: ${mbps(rates.crypto)}`,
      rates.js === null ? NOT_LOADED : `${(rates.js / rates.crypto).toFixed(2)}×`,
    ],
    [
      '`matmulSync`, n = 1024',
      gflops === null ? NOT_LOADED : `${gflops.toFixed(1)} GFLOP/s`,
      peak ? `one core's peak: ${peak.gflops.toFixed(1)} GFLOP/s` : "one core's peak: unknown",
      gflops !== null && peak ? share(gflops / peak.gflops) : NOT_LOADED,
    ],
  ];
  process.stderr.write(
    `  sha256 ${mbps(rates.native)} vs ${mbps(rates.crypto)}; matmul ${gflops?.toFixed(1)} GFLOP/s of ${peak?.gflops.toFixed(1)}\n`,
  );
  const goals = [];
  if (rates.native !== null)
    goals.push(
      goal(
        '`sha256` ÷ node:crypto',
        rates.native / rates.crypto,
        '≥ 0.9×',
        (x) => x >= 0.9,
        (x) => `${x.toFixed(2)}×`,
      ),
    );
  if (gflops !== null && peak)
    goals.push(
      goal("`matmul` n = 1024, share of one core's peak", gflops / peak.gflops, '≥ 40%', (x) => x >= 0.4, share),
    );
  return {
    title: 'Kernels beside the best alternative (sync, one core)',
    body:
      markdownTable(['kernel', 'gil-lab', 'the alternative', 'ratio'], rows) +
      `\n\nThe peak: ${peak ? peak.how : 'not computed (no /proc/cpuinfo)'}. ` +
      'Every kernel native vs JS: `npm run bench` (benchmark/kernels.js).',
    goals,
  };
}

/** A trivial sync call, an async round trip through the default pool, the lock's take + release. */
async function callOverhead(peers, options) {
  const rows = [];
  const goals = [];
  if (!peers.native.missing) {
    const native = peers.native.calls;
    const sync = await medianOf(options.rounds, () => timeRun(() => native.countPrimesSync(0), false, options));
    rows.push(['`countPrimesSync(0)`, native', `${(sync * 1e9).toFixed(0)} ns`]);
    goals.push(
      goal(
        'sync native call of a trivial kernel',
        sync * 1e9,
        '≤ 200 ns',
        (x) => x <= 200,
        (x) => `${x.toFixed(0)} ns`,
      ),
    );
  }
  for (const [key, label] of [
    ['native', 'native'],
    ['js', 'JS'],
  ]) {
    if (peers[key].missing) continue;
    const kernels = peers[key].calls;
    await oneAtATime(() => kernels.countPrimes(0), 200);
    const trip = await medianOf(
      options.rounds,
      async () => (await oneAtATime(() => kernels.countPrimes(0), options.oneAtATime)).medianUs,
    );
    rows.push([`\`await countPrimes(0)\`, ${label}, default pool (median round trip)`, `${trip.toFixed(1)} µs`]);
    if (key === 'native')
      goals.push(
        goal(
          'async round trip through the default pool, native',
          trip,
          '≤ 20 µs',
          (x) => x <= 20,
          (x) => `${x.toFixed(1)} µs`,
        ),
      );
  }
  const nativeLock = gilOverhead.measureNative();
  const jsLock = gilOverhead.measureJs();
  for (const [i, mode] of gilOverhead.MODES.entries()) {
    if (mode === 'off') continue;
    const cell = (r) => (r ? `${r.takeReleaseNs.toFixed(1)} ns` : NOT_LOADED);
    rows.push([`the lock's take + release, \`${mode}\`, native`, cell(nativeLock?.[i])]);
    rows.push([`the lock's take + release, \`${mode}\`, JS`, cell(jsLock[i])]);
  }
  for (const [what, value] of rows) process.stderr.write(`  ${what}: ${value}\n`);
  return {
    title: 'Call overhead',
    body:
      markdownTable(['call', 'median'], rows) +
      '\n\nThe lock: uncontended, as benchmark/gil-overhead.js measures it (the native figures from its Rust example, ' +
      'best of five; none where cargo is not at hand).',
    goals,
  };
}

/** Lock-free CPU-bound tasks on 1 to `cores` native threads and processes: k tasks on k workers. */
async function scaling(peers, options) {
  if (peers.native.missing) return { title: 'Scaling', body: `Not measured: ${peers.native.missing}`, goals: [] };
  const cores = os.availableParallelism();
  const limit = calibrateCountPrimes(peers.native.calls, options.taskMs);
  const kinds = [
    ['threads', (k) => new ThreadPool({ maxWorkers: k, backend: 'native' })],
    ['processes', (k) => new ProcessPool({ maxWorkers: k, backend: 'native' })],
  ];
  const seconds = {};
  const cpuPerTask = []; // threads: this process's CPU time per task, which a busy neighbour does not inflate
  for (const [kind, make] of kinds) {
    seconds[kind] = [];
    for (let k = 1; k <= cores; k++) {
      const pool = make(k);
      if (pool.start) await pool.start();
      await pool.map('countPrimes', Array(k).fill(1000));
      const cpu = [];
      seconds[kind].push(
        await medianOf(options.rounds, async () => {
          const started = performance.now();
          const cpuBefore = process.cpuUsage();
          await pool.map('countPrimes', Array(k).fill(limit));
          const used = process.cpuUsage(cpuBefore);
          cpu.push((used.user + used.system) / 1e6 / k);
          return (performance.now() - started) / 1e3;
        }),
      );
      if (kind === 'threads') cpuPerTask.push(median(cpu));
      await pool.shutdown();
    }
  }
  const rows = [];
  for (let k = 1; k <= cores; k++) {
    const cells = kinds.flatMap(([kind]) => {
      const t = seconds[kind];
      return [`${(t[k - 1] * 1e3).toFixed(0)} ms`, `${(t[0] / t[k - 1]).toFixed(2)}`];
    });
    cells.splice(2, 0, `${(cpuPerTask[k - 1] * 1e3).toFixed(0)} ms`);
    rows.push([String(k), ...cells]);
  }
  const efficiency = seconds.threads[0] / seconds.threads[Math.min(2, cores) - 1];
  process.stderr.write(
    `  threads: ${seconds.threads.map((s) => (s * 1e3).toFixed(0)).join(', ')} ms; processes: ${seconds.processes.map((s) => (s * 1e3).toFixed(0)).join(', ')} ms\n`,
  );
  return {
    title: `Scaling: k tasks of countPrimes(${limit.toLocaleString('en-US')}) (about ${options.taskMs} ms each) on k workers, the lock off`,
    body:
      markdownTable(
        [
          'k',
          'threads: time',
          'threads: efficiency',
          'threads: CPU time per task',
          'processes: time',
          'processes: efficiency',
        ],
        rows,
      ) +
      '\n\nEfficiency: the time of one task on one worker ÷ the time of k tasks on k workers (1.00 is perfect scaling). ' +
      "CPU time per task: this process's CPU time over the k tasks ÷ k; flat from k = 1 up means the threads do not slow each other, " +
      'so an efficiency below 1 with it flat is cores taken by other programs. ' +
      `k runs from 1 to this machine's ${cores} cores; native backend.`,
    goals:
      cores >= 2
        ? [
            goal(
              'lock-free threads, efficiency at 2',
              efficiency,
              '≥ 0.9',
              (x) => x >= 0.9,
              (x) => x.toFixed(2),
            ),
          ]
        : [],
  };
}

/** The event loop's delay while `work()` runs: { p50, p99, max } in ms. */
async function loopDelay(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await work();
  histogram.disable();
  return { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

/** A macrotask later: lets timers (and the histogram's) run between sync calls. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The main thread's event-loop delay while 2 CPU-bound tasks run through the pool, or sync. */
async function eventLoop(peers, options) {
  const ways = [];
  for (const [key, label] of [
    ['native', 'native'],
    ['js', 'JS'],
  ]) {
    if (peers[key].missing) continue;
    const kernels = peers[key].calls;
    const limit = calibrateCountPrimes(kernels, options.taskMs * 2);
    ways.push([
      `2 × \`countPrimes\` through the default pool, ${label}`,
      () => Promise.all([kernels.countPrimes(limit), kernels.countPrimes(limit)]),
      key === 'native',
    ]);
    ways.push([
      `the same 2 as \`countPrimesSync\` on the main thread, ${label}`,
      async () => {
        for (let i = 0; i < 2; i++) {
          await nextTurn();
          kernels.countPrimesSync(limit);
        }
        await nextTurn();
      },
      false,
    ]);
  }
  const samples = ways.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, [, work]] of ways.entries()) samples[i].push(await loopDelay(work));
  }
  const goals = [];
  const rows = ways.map(([label, , isGoal], i) => {
    const p50 = median(samples[i].map((s) => s.p50));
    const p99 = median(samples[i].map((s) => s.p99));
    const max = median(samples[i].map((s) => s.max));
    process.stderr.write(`  ${label}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms\n`);
    if (isGoal)
      goals.push(
        goal(
          'event-loop p99 delay while the native pool runs CPU-bound work',
          p99,
          '< 5 ms',
          (x) => x < 5,
          (x) => `${x.toFixed(2)} ms`,
        ),
      );
    return [label, p50.toFixed(2), p99.toFixed(2), max.toFixed(2)];
  });
  return {
    title: `Event-loop health: 2 CPU-bound tasks of about ${options.taskMs * 2} ms`,
    body:
      markdownTable(['how the tasks run', 'delay p50 (ms)', 'p99 (ms)', 'max (ms)'], rows) +
      '\n\n`perf_hooks.monitorEventLoopDelay` at 1 ms resolution, over the whole run of the 2 tasks; medians over the rounds.',
    goals,
  };
}

/**
 * The resident set at rest with each pool started, and its growth over `options.memoryTasks`
 * tasks, twice, each pool in a process of its own (benchmark/memory-child.js), Piscina beside
 * gil-lab's pools. The first batch shows the allocators settling to the load — V8's young
 * generation grows to fit the promises of 1000 tasks in flight, malloc's arenas and the worker
 * isolates' heaps reach their high-water marks — the second what is left: a leak grows by as
 * much again.
 */
async function memory(peers, options) {
  const pools = [];
  if (!peers.native.missing) pools.push(['native', '`ThreadPool`, native (2 threads)']);
  pools.push(['js', '`ThreadPool`, JS (2 workers)']);
  if (!peers.native.missing) pools.push(['processes', '`ProcessPool`, native (2 children)']);
  pools.push(['piscina', `Piscina ${(await peerPools.load()).versions.piscina} (2 threads)`]);
  const tasks = options.memoryTasks;
  const count = tasks.toLocaleString('en-US');
  const mib = (x) => x.toFixed(1);
  const rows = [];
  const growths = new Map();
  for (const [kind, label] of pools) {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', path.join(__dirname, 'memory-child.js'), kind, String(tasks)],
      {
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    const { readings } = JSON.parse(out);
    const growth = (key, pass) => readings[pass + 1][key] - readings[pass][key];
    const children = kind === 'processes';
    const cell = (pass) =>
      `${mib(growth('ownMiB', pass))}${children ? ` + ${mib(growth('childrenMiB', pass))}` : ''} (V8 heap ${mib(growth('heapTotalMiB', pass))}, live ${mib(growth('heapUsedMiB', pass))})`;
    rows.push([
      label,
      mib(readings[0].ownMiB) + (children ? ` + ${mib(readings[0].childrenMiB)}` : ''),
      cell(0),
      cell(1),
    ]);
    growths.set(kind, [growth('ownMiB', 0), growth('ownMiB', 1)]);
    process.stderr.write(`  ${label}: ${rows.at(-1).slice(1).join(' MiB, ')} MiB\n`);
  }
  const piscina = growths.get('piscina');
  const goals = [];
  for (const [kind, label] of pools.filter(([kind]) => kind !== 'piscina')) {
    const [first, next] = growths.get(kind);
    goals.push(
      goal(
        `RSS growth over the first ${count} tasks, ${label}`,
        first,
        '< 20 MiB',
        (x) => x < 20,
        (x) => `${mib(x)} MiB (Piscina: ${mib(piscina[0])})`,
      ),
    );
    goals.push(
      goal(
        `RSS growth over the next ${count} tasks, ${label}`,
        next,
        '< 20 MiB',
        (x) => x < 20,
        (x) => `${mib(x)} MiB`,
      ),
    );
  }
  return {
    title: `Memory: resident set at rest, and its growth over ${count} tasks`,
    body:
      markdownTable(
        [
          'pool',
          'RSS at rest, pool started (MiB)',
          `growth over the first ${count} × countPrimes(0)`,
          `over the next ${count}`,
        ],
        rows,
      ) +
      '\n\nEach pool in a fresh process of its own (`benchmark/memory-child.js`), tasks submitted 1000 in flight at a time, ' +
      'a full garbage collection before each reading. For `ProcessPool`, "this process + its children". ' +
      "In brackets, the growth of the process's V8 heap as committed (`heapTotal`) and as live (`heapUsed`): " +
      'V8 sizes its young generation to the load (up to 2 × 16 MiB) and keeps that size, so a first batch grows the heap while its live size stays flat; ' +
      'Piscina, with no gil-lab code in the process, grows by as much. The second batch is what a leak would show.',
    goals,
  };
}

// ── Goals ───────────────────────────────────────────────────────────────────────────────

/** A goal of the issue and what this run measured against it. */
function goal(what, value, target, met, format) {
  return { what, target, measured: format(value), met: met(value) };
}

function goalsTable(goals) {
  return markdownTable(
    ['goal', 'target', 'measured', 'met'],
    goals.map((g) => [g.what, g.target, g.measured, g.met ? 'yes' : '**no**']),
  );
}

// Memory first: its resting figures are of a process that has not yet held the other
// sections' buffers.
const SECTIONS = {
  memory,
  calls: callCost,
  throughput,
  dispatch,
  kernels: bestAlternative,
  overhead: callOverhead,
  scaling,
  eventLoop,
};

// ── Main ────────────────────────────────────────────────────────────────────────────────

const BEGIN = '<!-- bench:peers begin -->';
const END = '<!-- bench:peers end -->';
const BENCHMARKS = path.join(ROOT, 'BENCHMARKS.md');

/** Puts `block` between the markers of BENCHMARKS.md (made if missing), keeping the rest. */
function writeBenchmarks(block) {
  const fresh =
    "# Benchmarks\n\nFigures of gil-lab's benchmark scripts, each section written by the command it names.\n";
  const text = fs.existsSync(BENCHMARKS) ? fs.readFileSync(BENCHMARKS, 'utf8') : fresh;
  const marked = `${BEGIN}\n${block}\n${END}`;
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + marked + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n${marked}\n`;
  fs.writeFileSync(BENCHMARKS, next);
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const peers = loadPeers();
  const command = ['npm run bench:peers', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  const out = ['## gil-lab beside its peers', '', machine().summary, '', `Command: \`${command}\``];
  for (const [name, peer] of Object.entries(peers)) {
    if (peer.missing) out.push('', `Column "${peer.label}" (${name}) is empty: ${peer.missing}`);
  }
  const goals = [];
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (options.only && !options.only.includes(name)) continue;
    process.stderr.write(`${name}:\n`);
    const result = await section(peers, options);
    out.push('', `### ${result.title}`, '', result.body);
    goals.push(...(result.goals ?? []));
  }
  if (goals.length) out.push('', '### Goals', '', goalsTable(goals));
  const block = out.join('\n');
  console.log(block);
  if (options.write) {
    writeBenchmarks(block);
    process.stderr.write(`written to ${path.relative(process.cwd(), BENCHMARKS)}\n`);
  }
  process.exit(0); // the JS backend's worker threads would keep the process alive
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
