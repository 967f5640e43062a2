// The measurement core on synthetic runs, whose true figures are known: the paired speedup and
// its bootstrap interval, warming until steady, shuffled rounds that stop once every interval
// is narrow enough, and the flags and warnings of implausible rows.
'use strict';
const path = require('node:path');
const { ROOT } = require('./support/backends');

const dist = (file) => require(path.join(ROOT, 'dist', file));
const { median, quantile, seededRandom, bootstrapInterval, pairedSpeedup, relativeHalfWidth, coefficientOfVariation } =
  dist('lab/measure/stats');
const { agree, warmUntilSteady, timeInRounds, shuffled, MAX_WARM_UPS, MIN_ROUNDS_FOR_INTERVAL } =
  dist('lab/measure/core');
const { flagsOf, warningsOf, sameWorkAsSequential } = dist('lab/plausibility');

/** `n` values of `ms` scaled by a noise of ±`share` (uniform), from a seeded generator. */
function noisy(n, ms, share, seed) {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => ms * (1 + share * (2 * random() - 1)));
}

const never = new AbortController().signal;

describe('statistics', () => {
  test('median and quantiles interpolate between order statistics', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(quantile([1, 2], 0.975)).toBeCloseTo(1.975, 12);
    expect(() => median([])).toThrow(RangeError);
  });

  test('the bootstrap is seeded: the same samples give the same interval, which holds the estimate', () => {
    const samples = noisy(20, 100, 0.2, 1);
    const [low, high] = bootstrapInterval(samples, median);
    expect(bootstrapInterval(samples, median)).toEqual([low, high]);
    expect(low).toBeLessThanOrEqual(median(samples));
    expect(high).toBeGreaterThanOrEqual(median(samples));
    expect(low).toBeGreaterThanOrEqual(Math.min(...samples));
    expect(high).toBeLessThanOrEqual(Math.max(...samples));
  });

  test('a paired speedup of exact runs is exact, and its interval is a point', () => {
    const base = [400, 410, 390, 405, 395];
    expect(
      pairedSpeedup(
        base,
        base.map((ms) => ms / 2),
      ),
    ).toEqual({ speedup: 2, speedupCI: [2, 2] });
    expect(pairedSpeedup([100], [50], 2).speedup).toBe(4);
    expect(() => pairedSpeedup([1, 2], [1])).toThrow(RangeError);
  });

  test('pairing cancels a drift of the machine that hits both runs of a round alike', () => {
    // The machine's load triples the times of some rounds: unpaired medians would shift, the
    // per-round ratios do not.
    const load = [1, 3, 1, 2.5, 1, 3, 1.2, 1, 2, 1];
    const base = load.map((l) => 400 * l);
    const cell = load.map((l) => 200 * l);
    const { speedup, speedupCI } = pairedSpeedup(base, cell);
    expect(speedup).toBeCloseTo(2, 12);
    expect(speedupCI[0]).toBeCloseTo(2, 12);
    expect(speedupCI[1]).toBeCloseTo(2, 12);
  });

  test('the interval narrows with quiet runs and stays wide with noisy ones, holding the true speedup', () => {
    const quiet = pairedSpeedup(noisy(30, 400, 0.03, 2), noisy(30, 200, 0.03, 3));
    expect(quiet.speedupCI[0]).toBeLessThan(2);
    expect(quiet.speedupCI[1]).toBeGreaterThan(2);
    expect(relativeHalfWidth(quiet.speedup, quiet.speedupCI)).toBeLessThan(0.05);
    const loud = pairedSpeedup(noisy(30, 400, 0.6, 4), noisy(30, 200, 0.6, 5));
    expect(relativeHalfWidth(loud.speedup, loud.speedupCI)).toBeGreaterThan(0.05);
    expect(loud.speedupCI[0]).toBeLessThan(2);
    expect(loud.speedupCI[1]).toBeGreaterThan(2);
  });

  test('the coefficient of variation of runs', () => {
    expect(coefficientOfVariation([100, 100, 100])).toBe(0);
    expect(coefficientOfVariation([90, 110])).toBeCloseTo((Math.SQRT2 * 10) / 100, 12);
    expect(coefficientOfVariation([5])).toBe(0);
  });
});

/** A cell whose warm-ups and timed runs return the given times in turn, the last one after that. */
function scripted(warmUps, times = [100]) {
  let w = 0;
  let t = 0;
  return {
    warmed: 0,
    timed: 0,
    async warm() {
      this.warmed++;
      return warmUps[Math.min(w++, warmUps.length - 1)];
    },
    async time() {
      this.timed++;
      return times[Math.min(t++, times.length - 1)];
    },
  };
}

describe('warming until steady', () => {
  test('two warm-ups agree when each worker is within 5% of its time before, slowest to slowest', () => {
    expect(agree([100, 200], [205, 98])).toBe(true);
    expect(agree([100, 200], [100, 230])).toBe(false);
    expect(agree([100], [100, 100])).toBe(false);
  });

  test('a cell that runs cold first, as a fresh V8 isolate does, is steady after its times settle', async () => {
    // 1.6× slower first, as a JS worker's first full-size task; then steady.
    const cell = scripted([
      [480, 300],
      [310, 302],
      [305, 299],
    ]);
    expect(await warmUntilSteady(cell, never)).toEqual({ runs: 3, steady: true });
  });

  test('a cell with a minimum of warm-ups is not steady on two slow runs that agree before it', async () => {
    // As a JS kernel in a fresh isolate: two runs in code compiled inside its loop, then faster.
    const runs = [[600], [590], [310], [300], [302]];
    expect(await warmUntilSteady(scripted(runs), never)).toEqual({ runs: 2, steady: true }); // fooled
    expect(await warmUntilSteady({ ...scripted(runs), minWarmUps: 4 }, never)).toEqual({ runs: 4, steady: true });
  });

  test('a cell that never settles stops at the cap, and says so', async () => {
    const cell = scripted([[100], [150], [100], [150], [100], [150], [100], [150], [100], [150]]);
    expect(await warmUntilSteady(cell, never)).toEqual({ runs: MAX_WARM_UPS, steady: false });
    expect(cell.warmed).toBe(MAX_WARM_UPS);
  });

  test('an aborted signal stops it', async () => {
    await expect(warmUntilSteady(scripted([[1]]), AbortSignal.abort())).rejects.toThrow();
  });
});

describe('rounds', () => {
  test('a shuffle is a permutation, and orders differ from round to round', () => {
    const random = seededRandom(7);
    const orders = Array.from({ length: 20 }, () => shuffled([0, 1, 2, 3], random).join(''));
    for (const order of orders) expect([...order].sort().join('')).toBe('0123');
    expect(new Set(orders).size).toBeGreaterThan(5);
  });

  test('every cell runs once a round, in a shuffled order; steady cells stop after the rounds an interval needs', async () => {
    const order = [];
    const cells = [scripted([[1]], [400]), scripted([[1]], [200]), scripted([[1]], [100])];
    const result = await timeInRounds(cells, {
      comparisons: [
        { baseline: 0, cell: 1 },
        { baseline: 0, cell: 2 },
      ],
      minRounds: 2,
      deadline: Infinity,
      signal: never,
      seed: 3,
      onRun: (cell, round) => order.push([round, cell]),
    });
    expect(result.converged).toBe(true);
    expect(result.runs).toEqual([
      Array(MIN_ROUNDS_FOR_INTERVAL).fill(400),
      Array(MIN_ROUNDS_FOR_INTERVAL).fill(200),
      Array(MIN_ROUNDS_FOR_INTERVAL).fill(100),
    ]);
    const rounds = Array.from({ length: MIN_ROUNDS_FOR_INTERVAL }, (_, r) =>
      order.filter(([round]) => round === r).map(([, cell]) => cell),
    );
    for (const round of rounds) expect([...round].sort()).toEqual([0, 1, 2]);
    expect(new Set(rounds.map((r) => r.join(''))).size).toBeGreaterThan(1);
  });

  test('CPU time is recorded per run where a cell works in this process, and only there', async () => {
    /** A cell whose one run spins this thread for `ms`, or only waits for it. */
    const cell = (spins, ms) => ({
      cpuInThisProcess: spins,
      warm: async () => [ms],
      time: async () => {
        const started = performance.now();
        if (spins) while (performance.now() - started < ms);
        else await new Promise((resolve) => setTimeout(resolve, ms));
        return performance.now() - started;
      },
    });
    const result = await timeInRounds([cell(true, 20), cell(false, 20)], {
      comparisons: [],
      minRounds: MIN_ROUNDS_FOR_INTERVAL,
      deadline: 0,
      signal: never,
    });
    expect(result.cpuMs[1]).toBeNull();
    expect(result.cpuMs[0]).toHaveLength(result.runs[0].length);
    // Spinning for 20 ms of wall time takes CPU time, unless the machine took most of it away.
    for (const ms of result.cpuMs[0]) expect(ms).toBeGreaterThan(2);
  });

  test('noisy cells go on until the deadline, and are not converged', async () => {
    const cells = [scripted([[1]], noisy(500, 400, 0.5, 8)), scripted([[1]], noisy(500, 200, 0.5, 9))];
    const result = await timeInRounds(cells, {
      comparisons: [{ baseline: 0, cell: 1 }],
      minRounds: 3,
      deadline: performance.now() + 150,
      signal: never,
    });
    expect(result.converged).toBe(false);
    expect(result.runs[0].length).toBeGreaterThanOrEqual(3);
    expect(result.runs[0].length).toBe(result.runs[1].length);
  });

  test('a budget already spent still gives the minimum of rounds', async () => {
    const cells = [scripted([[1]], noisy(50, 400, 0.5, 10)), scripted([[1]], noisy(50, 200, 0.5, 11))];
    const result = await timeInRounds(cells, {
      comparisons: [{ baseline: 0, cell: 1 }],
      minRounds: 2,
      deadline: 0,
      signal: never,
    });
    expect(result.runs[0]).toHaveLength(2);
    expect(result.converged).toBe(false);
  });
});

describe('plausibility', () => {
  const calibration = {
    ceiling: [{ workers: 2, speedup: 1.6, speedupCI: [1.5, 1.7] }],
    variation: 0.02,
    noisy: false,
    warning: null,
  };
  const steady = { rounds: 10, steady: true };
  const quiet = { cores: 2, loadAverage: 0.1 };
  const row = (fields) => ({
    workload: 'cpu',
    kernel: 'countPrimes',
    model: 'threads',
    gil: 'off',
    backend: 'js',
    workers: 2,
    speedup: 1.5,
    speedupCI: [1.47, 1.53],
    flags: [],
    ...fields,
  });
  const flags = (fields, measurement = steady, cores = 2) => flagsOf(row(fields), measurement, calibration, cores);

  test('a plausible row has no flag', () => {
    expect(flags({})).toEqual([]);
    expect(flags({ model: 'sequential', workers: 1, speedup: 1, speedupCI: [1, 1] })).toEqual([]);
    expect(flags({ workload: 'io', workers: 8, speedup: 7.8, speedupCI: [7.6, 7.9] })).toEqual([]);
  });

  test.each([
    [
      'faster than its workers',
      { workers: 1, model: 'processes', speedup: 1.3, speedupCI: [1.28, 1.32] },
      ['above-workers', 'disagrees'],
    ],
    ['faster than the cores, CPU-bound', { workers: 4, speedup: 2.6, speedupCI: [2.55, 2.65] }, ['above-workers']],
    ['above the ceiling by more than its interval', { speedup: 1.8, speedupCI: [1.75, 1.85] }, ['above-ceiling']],
    ['one thread disagreeing with sequential', { workers: 1, speedup: 0.8, speedupCI: [0.78, 0.82] }, ['disagrees']],
    ['CPU-bound async above 1', { model: 'async', speedup: 1.09, speedupCI: [1.07, 1.11] }, ['async-above-1']],
    [
      'CPU-bound threads under the lock above 1.2',
      { gil: 'on', speedup: 1.3, speedupCI: [1.27, 1.33] },
      ['lock-on-above-1.2'],
    ],
    ['an interval wider than ±5%', { speedup: 1.5, speedupCI: [1.3, 1.6] }, ['wide-interval']],
  ])('%s is flagged', (_, fields, expected) => {
    expect(flags(fields)).toEqual(expected);
  });

  test('too few rounds, and warm-ups that never settled, are flagged', () => {
    expect(flags({}, { rounds: 2, steady: false })).toEqual(['few-rounds', 'unsteady']);
  });

  test('a speedup just over its limit, within its interval, is noise and not flagged', () => {
    expect(flags({ workers: 1, model: 'processes', speedup: 1.02, speedupCI: [0.99, 1.05] })).toEqual([]);
  });

  test('the same one-thread work as sequential: one worker of threads or async, one process for cpu, async for any CPU-bound count', () => {
    expect(sameWorkAsSequential({ workload: 'cpu', model: 'threads', workers: 1 })).toBe(true);
    expect(sameWorkAsSequential({ workload: 'cpu', model: 'processes', workers: 1 })).toBe(true);
    expect(sameWorkAsSequential({ workload: 'cpu', model: 'async', workers: 2 })).toBe(true);
    expect(sameWorkAsSequential({ workload: 'transfer', model: 'processes', workers: 1 })).toBe(false);
    expect(sameWorkAsSequential({ workload: 'io', model: 'async', workers: 8 })).toBe(false);
    expect(sameWorkAsSequential({ workload: 'cpu', model: 'threads', workers: 2 })).toBe(false);
    expect(sameWorkAsSequential({ workload: 'cpu', model: 'sequential', workers: 1 })).toBe(false);
  });

  test('a load average of half the cores or more as the run starts is named first; none where the OS keeps none', () => {
    const busy = warningsOf([row({})], { ...calibration, warning: 'the machine is noisy: …' }, 12, 10, {
      cores: 2,
      loadAverage: 1.04,
    });
    expect(busy).toEqual([
      'the machine was busy as the run started: its load average over the last minute was 1.0 on 2 cores, so other programs shared the cores with the run; rerun, or close other programs',
      'the machine is noisy: …',
    ]);
    expect(warningsOf([row({})], calibration, 12, 10, { cores: 2, loadAverage: 0.99 })).toEqual([]);
    expect(warningsOf([row({})], calibration, 12, 10, { cores: 2, loadAverage: null })).toEqual([]);
  });

  test('rows that disagree with sequential say how far their CPU time was from its, and why where it agreed', () => {
    const sequential = row({ model: 'sequential', workers: 1, speedup: 1, speedupCI: [1, 1], cpuMs: 100 });
    const async = row({ model: 'async', workers: 1, speedup: 0.8, speedupCI: [0.78, 0.82], cpuMs: 103 });
    const threads = row({ workers: 1, speedup: 1.2, speedupCI: [1.18, 1.22], cpuMs: 70 });
    const disagreement = (rows) => warningsOf(rows, calibration, 12, 10, quiet).find((w) => /disagree/.test(w));
    expect(disagreement([sequential, { ...async, flags: ['disagrees'] }])).toBe(
      'rows of the same one-thread work as sequential disagree with it by up to 20% (async × 1, js, lock off: 0.80×, CPU time +3%): ' +
        "their CPU time per run agreed with sequential's within 10%, so the work was the same and the machine's speed changed during the run; rerun, or close other programs",
    );
    expect(
      disagreement([sequential, { ...async, flags: ['disagrees'] }, { ...threads, flags: ['disagrees'] }]),
    ).toMatch(
      /\(async × 1, js, lock off: 0\.80×, CPU time \+3%; threads × 1, js, lock off: 1\.20×, CPU time −30%\): the machine's speed changed/,
    );
  });

  test('warnings name the noisy machine first, then the implausible rows, in words', () => {
    const rows = [
      row({ workers: 1, speedup: 1.3, speedupCI: [1.28, 1.32], flags: ['above-workers', 'disagrees'] }),
      row({ speedup: 1.5, speedupCI: [1.3, 1.6], flags: ['wide-interval'] }),
    ];
    const noisyMachine = { ...calibration, noisy: true, variation: 0.3, warning: 'the machine is noisy: …' };
    const warnings = warningsOf(rows, noisyMachine, 12, 10, quiet);
    expect(warnings[0]).toBe('the machine is noisy: …');
    expect(warnings[1]).toMatch(
      /^the machine was busy during the run: threads × 1, js, lock off: 1\.30× \(faster than its workers or the cores allow\); rerun/,
    );
    expect(warnings[2]).toMatch(/disagree with it by up to 30%/);
    expect(warnings[3]).toMatch(/^1 speedup is less certain than ±5% after 12 rounds \(widest ±10%\)/);
    expect(warningsOf([row({})], calibration, 12, 10, quiet)).toEqual([]);
    expect(warningsOf([row({ flags: ['few-rounds'] })], calibration, 2, 0, quiet)).toEqual([
      '2 rounds only: a 95% interval needs 5 or more; raise repeats or maxTime',
    ]);
  });
});
