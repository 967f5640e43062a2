'use strict';
// The JS lock's invariants, under real worker threads sharing one lock: never two holders; a
// forced release is followed by another thread's take; mode and interval changes lose no task
// and leave no thread asleep; the stats add up. The lock does not depend on the backend, so
// this runs in the JS pass only.
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { ROOT, backend } = require('./support/backends');
const { checkWaits } = require('./support/trace');

const { createJsGilState, JsGil, JsSeat, TRACE_CAPACITY } = require(path.join(ROOT, 'dist', 'gil', 'js-lock.js'));
const { createBreakerBoard } = require(path.join(ROOT, 'dist', 'breaker.js'));

const WORKER = path.join(__dirname, 'support', 'js-lock-worker.js');

function setUp(mode, intervalUs) {
  const board = createBreakerBoard();
  const state = createJsGilState();
  const gil = new JsGil(state, board.bits);
  gil.mode = mode;
  gil.switchIntervalUs = intervalUs;
  return { board, state, gil, inside: new Int32Array(new SharedArrayBuffer(4)) };
}

function run({ board, state, inside }, threads, { durationMs, tasks = 1, blockingEvery = 0 }) {
  return Promise.all(
    Array.from({ length: threads }, (_, index) => {
      const worker = new Worker(WORKER, {
        workerData: { state, board, inside, index, durationMs, tasks, blockingEvery: index % 2 ? blockingEvery : 0 },
      });
      return new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
}

/** `checkWaits` of the lock's trace against its stats. */
function waitsOfTrace(gil) {
  const events = gil.trace(Infinity).map((e) => ({ ...e, thread: e.slot, time: e.timeNs }));
  return checkWaits(
    events,
    gil.stats().map((t) => ({ ...t, thread: t.slot, wait: t.waitNs })),
  );
}

/** The kinds of a slot's events in the trace: `take`, `wait`, a release's reason… */
function kindsOf(gil, slot) {
  return gil
    .trace(Infinity)
    .filter((e) => e.slot === slot)
    .map((e) => e.reason ?? e.event);
}

function total(gil) {
  const sum = {};
  for (const t of gil.stats())
    for (const [k, v] of Object.entries(t)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

const describeJs = backend === 'native' ? describe.skip : describe;

describeJs('the JS lock', () => {
  test.each(['cpython', 'legacy'])('never has two holders (%s mode)', async (mode) => {
    const lock = setUp(mode, 50);
    const results = await run(lock, 4, { durationMs: 150, blockingEvery: 50 });
    expect(results.map((r) => r.overlaps)).toEqual([0, 0, 0, 0]);
    expect(results.every((r) => r.ticks > 0)).toBe(true);
    const sum = total(lock.gil);
    expect(sum.contendedTakes).toBeGreaterThan(0);
    expect(sum.takes).toBe(sum.releases);
    if (mode === 'legacy') expect(sum.dropRequests).toBe(0);
  });

  test('a forced release is followed by another thread taking the lock, and the stats add up', async () => {
    const lock = setUp('cpython', 200);
    const started = process.hrtime.bigint();
    await run(lock, 3, { durationMs: 60, tasks: 3, blockingEvery: 40 });
    const elapsedNs = Number(process.hrtime.bigint() - started);
    const sum = total(lock.gil);
    const trace = lock.gil.trace(Infinity);
    const { waits, problems } = waitsOfTrace(lock.gil);
    expect(problems).toEqual([]);
    expect(waits).toBeGreaterThanOrEqual(sum.contendedTakes);
    expect(trace.length).toBe(sum.takes + sum.releases + sum.dropRequests + waits);

    let forced = 0;
    trace.forEach((event, i) => {
      if (event.reason !== 'forced') return;
      forced++;
      const nextTake = trace.slice(i + 1).find((e) => e.event === 'take');
      expect(nextTake.slot).not.toBe(event.slot);
    });
    expect(forced).toBe(sum.forcedSwitches);
    expect(forced).toBeGreaterThan(0);
    // Takes and releases alternate: one holder at a time.
    let holder = null;
    for (const event of trace) {
      if (event.event === 'take') {
        expect(holder).toBeNull();
        holder = event.slot;
      } else if (event.event === 'release') {
        expect(event.slot).toBe(holder);
        holder = null;
      }
    }
    for (const t of lock.gil.stats()) {
      expect(t.takes).toBe(t.releases);
      expect(t.contendedTakes).toBeLessThanOrEqual(t.takes);
      expect(t.voluntaryReleases + t.forcedSwitches).toBeLessThanOrEqual(t.releases);
    }
    expect(sum.holdNs).toBeLessThanOrEqual(elapsedNs);
    expect(sum.forcedSwitches).toBeLessThanOrEqual(sum.dropRequests);
    expect(lock.gil.switches()).toBeGreaterThan(3);

    lock.gil.resetStats();
    expect(total(lock.gil).takes).toBe(0);
    expect(lock.gil.trace(Infinity)).toEqual([]);
    expect(lock.gil.switches()).toBe(0);
  });

  test('mode and interval changes under many threads lose nothing and wake every waiter', async () => {
    const lock = setUp('cpython', 1000);
    const modes = ['off', 'cpython', 'legacy', 'cpython'];
    const intervals = [1, 5000, 1_000_000_000, 100, 10];
    let changes = 0;
    const toggler = setInterval(() => {
      lock.gil.mode = modes[changes % modes.length];
      lock.gil.switchIntervalUs = intervals[changes % intervals.length];
      changes++;
    }, 2);
    const results = await run(lock, 6, { durationMs: 4, tasks: 25, blockingEvery: 7 });
    clearInterval(toggler);
    expect(changes).toBeGreaterThan(5);
    expect(results.map((r) => r.overlaps)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const t of lock.gil.stats()) expect(t.takes).toBe(t.releases);
  });

  test('switching the lock off wakes a thread waiting for it', async () => {
    const lock = setUp('cpython', 1_000_000_000); // no drop request for 1000 s
    const main = lock.gil.register('main', 0);
    const holding = new JsSeat(lock.gil, main, 1);
    const waiter = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const { JsGil, JsSeat } = require(${JSON.stringify(path.join(ROOT, 'dist', 'gil', 'js-lock.js'))});
       const gil = new JsGil(workerData.state, workerData.board.bits);
       const me = gil.register('waiter', require('node:worker_threads').threadId);
       parentPort.postMessage('taking');
       const seat = new JsSeat(gil, me, 2);
       parentPort.postMessage(seat.holds);`,
      { eval: true, workerData: { state: lock.state, board: lock.board } },
    );
    const messages = [];
    const held = new Promise((resolve) => waiter.on('message', (m) => messages.push(m) === 2 && resolve(m)));
    while (messages.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100)); // it is asleep in Atomics.wait by now
    expect(messages).toEqual(['taking']);
    lock.gil.mode = 'off';
    await expect(held).resolves.toBe(false);
    // The waiter's trace holds the start of its wait, and no take: the wait ended with the lock.
    expect(kindsOf(lock.gil, 1)).toEqual(['wait']);
    // The holder lets go at its next tick (here: its next look at the mode).
    expect(holding.holds).toBe(true);
    holding.followMode();
    expect(holding.holds).toBe(false);
    await waiter.terminate();
  });

  test('a release while a thread waits hands it the lock', async () => {
    const lock = setUp('cpython', 1_000_000_000); // no drop request: only the release lets go
    const main = lock.gil.register('main', 0);
    const seat = new JsSeat(lock.gil, main, 1);
    const waiter = new Worker(
      `const { workerData, parentPort, threadId } = require('node:worker_threads');
       const { JsGil, JsSeat } = require(${JSON.stringify(path.join(ROOT, 'dist', 'gil', 'js-lock.js'))});
       const gil = new JsGil(workerData.state, workerData.board.bits);
       const me = gil.register('waiter', threadId);
       parentPort.postMessage('taking');
       const seat = new JsSeat(gil, me, 2);
       const until = Date.now() + 20;
       while (Date.now() < until);
       seat.leave();`,
      { eval: true, workerData: { state: lock.state, board: lock.board } },
    );
    await new Promise((resolve) => waiter.once('message', resolve));
    await new Promise((r) => setTimeout(r, 100)); // it is asleep in Atomics.wait by now
    // A blocking call that returns at once: the waiter gets the lock first, so taking it back
    // waits for the waiter's whole task.
    const started = Date.now();
    seat.releaseForBlocking();
    seat.followMode();
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
    seat.leave();
    const takers = lock.gil
      .trace(Infinity)
      .filter((e) => e.event === 'take')
      .map((e) => e.slot);
    expect(takers).toEqual([main.slot, 1, main.slot]);
    // Both contended takes, the waiter's and taking the lock back, trace their waits first; the
    // first take, uncontended, none.
    expect(kindsOf(lock.gil, 1)).toEqual(['wait', 'take', 'task-end']);
    expect(kindsOf(lock.gil, main.slot)).toEqual(['take', 'voluntary', 'wait', 'take', 'task-end']);
    // From its start to its take, the wait is what the stats count as waiting.
    const mine = lock.gil.trace(Infinity).filter((e) => e.slot === main.slot);
    expect(mine[3].timeNs - mine[2].timeNs).toBe(lock.gil.stats()[main.slot].waitNs);
    await waiter.terminate();
  });

  test('the trace keeps only its newest events', () => {
    const { gil, board } = setUp('cpython', 5000);
    const me = gil.register('me', 0);
    for (let i = 0; i < TRACE_CAPACITY; i++) new JsSeat(gil, me, 1).leave();
    expect(gil.trace(Infinity)).toHaveLength(TRACE_CAPACITY);
    expect(gil.trace(3)).toEqual(gil.trace(Infinity).slice(-3));
    expect(gil.stats()[0].takes).toBe(TRACE_CAPACITY);
    expect(board.bits[1]).toBe(0);
  });
});
