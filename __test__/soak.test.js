'use strict';
// The soak test: for GIL_LAB_SOAK_MS (default 20 s), keeps dozens of small tasks in flight on
// the backend's default pool (`kernels.NAME`), a ThreadPool and a ProcessPool, with random
// aborts, Rust panics (native), faults in the workers (throws, exits, crashes, kill signals,
// blocked threads), children killed from outside, the lock switched on, off and between modes
// and its switch interval changed, and a shutdown of both pools in the middle of it all, every
// few seconds, after which new pools take over. Then:
// - every promise settles: a watchdog fails the test, with a report of what is pending, on
//   any task pending for over WATCHDOG_MS, or not settled within DRAIN_MS of the end;
// - every outcome is the one its task allows: its result (checked against the sync form),
//   an AbortError for an aborted task, the fault's own error, a WorkerExitedError no more
//   often than children died mid-task, a CancelledError only from a cancelling shutdown;
// - no task fails for the death of a child that had not started it: beside the rest, a probe
//   pool of its own has its children killed at moments the test knows — idle ones, with tasks
//   submitted before their deaths can be seen; one stopped, then handed a task, then killed;
//   busy ones, at once or a little after the tasks were handed out — and checks that only the
//   last kind fails a task, at most one a kill, and only with the death of the child it killed;
// - no child outlives its pool (its pids are gone once `shutdown()` resolves), nor any thread
//   (each is retired in `gil.stats()`), and this process's threads do not grow with the tasks;
// - the resident set stays under a generous bound.
// The figures are printed, for the README.
const fs = require('node:fs');
const { submitFault } = require('./support/faults'); // first: it puts the test-only entries in place
const {
  kernels,
  info,
  gil,
  ProcessPool,
  ThreadPool,
  AbortError,
  CancelledError,
  WorkerExitedError,
} = require('gil-lab');
const { jsKernels } = require('../dist/kernels');
const { encode } = require('./support/encode');
const { backend } = require('./support/backends');

const SOAK_MS = Number(process.env.GIL_LAB_SOAK_MS ?? 20_000);
const SEED = Number(process.env.GIL_LAB_SOAK_SEED ?? 0x50a6);
/** Tasks in flight at once: on the backend's default pool, on the ThreadPool, on the ProcessPool. */
const IN_FLIGHT = { default: 24, threads: 24, processes: 16 };
/** The share of the pools' tasks that are faults (for processes, half of them deaths mid-task, each a restart of 0.1 s or more). */
const FAULT_RATE = 0.01;
/** The faults each kind of pool can meet: a native thread can only panic; a JS thread must not kill the process. */
const FAULTS = {
  processes: ['throw', 'exit', 'crash', 'kill', 'block', ...(info().backend === 'native' ? ['panic'] : [])],
  threads: info().backend === 'native' ? ['panic'] : ['throw', 'exit', 'crash', 'block'],
};
/** How often the lock's settings change, on average. */
const LOCK_CHANGE_EVERY_MS = 150;
const SWITCH_INTERVALS = [0.00001, 0.0001, 0.0005, 0.001, 0.005];
/** How long one task may stay pending: far over the longest (a blocked child killed after 1 s). */
const WATCHDOG_MS = 15_000;
/** How long the tasks still in flight at the end may take to settle. */
const DRAIN_MS = 20_000;
/** A new ProcessPool this often, the old one shut down with its tasks in flight. */
const GENERATION_MS = Math.max(2000, SOAK_MS / 5);
/** How often a child is killed from outside, on average; and how long it must have lived. */
const KILL_EVERY_MS = 500;
const KILL_AFTER_MS = 500;
/** The moments at which the probe pool's children are killed, in turn (see the header); and the pause between two rounds, at most. */
const PROBE_KINDS = ['idle', 'stopped', 'busy'];
const PROBE_PAUSE_MS = 200;
/** Rust panics on this process's threads: each prints its message on stderr, so a few. */
const THREAD_PANICS_MAX = 20;
/** Growth of the resident set allowed over the run: generous, a leak of a task's worth each would pass it. */
const RSS_GROWTH_MAX = 512 * 2 ** 20;
const native = info().backend === 'native';

/** A small PRNG (xorshift32), seeded, so that a run's choices can be told apart from its timing. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  return { next, below: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

/** The tasks: small, each with its result from the sync form of the same backend. */
function taskMenu() {
  const bytes = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
  const menu = [
    ['countPrimes', [0]],
    ['countPrimes', [1000]],
    ['countPrimes', [20_000]],
    ['countdown', [5000]],
    ['sleep', [0]],
    ['sleep', [1.5]],
    ['sha256', [bytes(0)]],
    ['sha256', [bytes(3000), 3]],
    ['mandelbrot', [{ width: 8, height: 5, maxIter: 50 }]],
    ['monteCarloPi', [500, 7]],
    ['matmul', [Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), Float64Array.of(9, 8, 7, 6, 5, 4, 3, 2, 1), 3]],
    ['nbody', [20]],
    ['spectralNorm', [6]],
    ['fannkuch', [5]],
    ['readFile', [__filename]],
    ['pipeRoundTrips', [2]],
  ];
  return menu.map(([kernel, args]) => {
    const value = kernels[`${kernel}Sync`](...args);
    const item = jsKernels[kernel].arity === 1 ? args[0] : args; // as `map` takes it
    return {
      kernel,
      args,
      item,
      expected: JSON.stringify(encode(value)),
      mapped: JSON.stringify(encode([value, value, value])),
    };
  });
}

/** This process's threads, where the OS tells. */
function threadCount() {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test(
  `soak: ${SOAK_MS} ms of tasks, aborts, faults, kills, lock changes and shutdowns (${backend} backend, seed ${SEED})`,
  async () => {
    const random = rng(SEED);
    const menu = taskMenu();
    const problems = [];
    const pending = new Map(); // id → { what, since }
    const inFlight = { default: 0, threads: 0, processes: 0 };
    /** Wakes the run's loop when a task settles, so that it neither spins nor idles. */
    let wake = () => {};
    const figures = {
      tasks: 0,
      onDefaultPool: 0,
      onThreadPools: 0,
      onProcessPools: 0,
      results: 0,
      aborted: 0,
      abortErrors: 0,
      cancelled: 0,
      workerExited: 0,
      refusedAfterShutdown: 0,
      faults: { throw: 0, exit: 0, crash: 0, kill: 0, block: 0, panic: 0 },
      threadPanics: 0,
      childrenKilledFromOutside: 0,
      lockChanges: { enable: 0, legacy: 0, disable: 0, switchInterval: 0 },
      shutdowns: 0,
      generations: 1,
      brokenByKills: 0,
      childrenSeen: 0,
      threadPoolThreads: 0,
      probe: { idleKills: 0, stoppedKills: 0, busyKills: 0, tasks: 0, handedOn: 0, failedByBusyKills: 0 },
      rssMiB: { before: 0, atQuarters: [], peak: 0, growth: 0 },
      heapMiBByQuarter: [],
      threadsBefore: threadCount(),
      threadsAfter: null,
    };
    /** Children that died mid-task, or may have: each can fail at most one task with WorkerExitedError. */
    let deathsMidTask = 0;
    let lastId = 0;

    /**
     * Tracks a task's promise, run by `executor` (`default`, `threads` or `processes`), and checks its outcome
     * with `judge(error, value)`, which returns a problem or null.
     */
    function track(executor, what, promise, judge) {
      const id = ++lastId;
      figures.tasks++;
      figures[{ default: 'onDefaultPool', threads: 'onThreadPools', processes: 'onProcessPools' }[executor]]++;
      inFlight[executor]++;
      pending.set(id, { what, since: performance.now() });
      promise
        .then(
          (value) => judge(null, value),
          (error) => judge(error ?? new Error('rejected with nothing'), undefined),
        )
        .then((problem) => problem && problems.push(`${what}: ${problem}`))
        .finally(() => {
          pending.delete(id);
          inFlight[executor]--;
          wake();
        });
    }

    /**
     * Under load, a child may still be killed as it starts, and three in a row break the pool:
     * that must be said plainly — a BrokenPoolError whose cause is our SIGKILL — and the run goes
     * on with a new pool.
     */
    function brokenByKills(entry, error) {
      if (error.cause?.signal !== 'SIGKILL') return `a pool broken by other than kills: ${error.message}`;
      if (!entry.brokenByKills) figures.brokenByKills++;
      entry.brokenByKills = true;
      return null;
    }

    /** How a kernel task may end: its result; an AbortError if aborted; else, on a pool, what the pool's life allows. */
    const judgeKernel =
      (task, { aborted, poolOf }) =>
      (error, value) => {
        if (error === null) {
          figures.results++;
          return JSON.stringify(encode(value)) === task.expected
            ? null
            : `a wrong result ${JSON.stringify(encode(value)).slice(0, 80)}`;
        }
        if (error instanceof AbortError) {
          figures.abortErrors++;
          return aborted() ? null : 'an AbortError, not aborted';
        }
        if (poolOf && error instanceof CancelledError) {
          figures.cancelled++;
          return poolOf.cancelledAt !== undefined ? null : 'a CancelledError, with no cancelling shutdown';
        }
        if (poolOf && error instanceof WorkerExitedError) {
          figures.workerExited++;
          return null; // counted against the deaths at the end
        }
        if (poolOf && error.code === 'ERR_GIL_LAB_BROKEN_POOL') return brokenByKills(poolOf, error);
        if (poolOf && error.code === 'ERR_GIL_LAB_POOL_SHUT_DOWN') {
          figures.refusedAfterShutdown++;
          return poolOf.shutDownAt !== undefined ? null : 'refused as shut down, before its shutdown';
        }
        return `${error.name}: ${error.message}`;
      };

    /** A signal for a task: none most of the time, else one aborted at once, soon, or never. */
    function signalFor() {
      const roll = random.next();
      if (roll > 0.15) return { signal: undefined, aborted: () => false };
      const controller = new AbortController();
      if (roll < 0.03) controller.abort();
      else if (roll < 0.11) setTimeout(() => controller.abort(), random.below(6));
      if (roll < 0.11) figures.aborted++;
      return { signal: controller.signal, aborted: () => controller.signal.aborted };
    }

    // ── The pools of the current generation ───────────────────────────────────────────────
    const pools = [];
    function openPool(kind) {
      const pool = kind === 'processes' ? new ProcessPool({ maxWorkers: 2 }) : new ThreadPool({ maxWorkers: 2 });
      const entry = {
        kind,
        pool,
        pids: new Set(),
        firstSeen: new Map(),
        cancelledAt: undefined,
        shutDownAt: undefined,
        brokenByKills: false,
      };
      pools.push(entry);
      return entry;
    }
    const openGeneration = () => ({ processes: openPool('processes'), threads: openPool('threads') });
    let current = openGeneration();
    const probe = openPool('processes');
    let probeRounds = 0;

    /**
     * One round of the probe pool: its children killed at a moment of one kind (see the header),
     * and the outcomes of the tasks judged. Its tasks have no signal, so a child is free once
     * they have all settled.
     */
    async function probeRound() {
      const { pool } = probe;
      await pool.start(); // every child ready: a kill is never a failed start
      pool.pids.forEach((pid) => probe.pids.add(pid));
      const [first, second] = pool.pids;
      const kind = PROBE_KINDS[probeRounds++ % PROBE_KINDS.length];
      const submitAll = () =>
        Array.from({ length: 4 }, () => random.pick(menu)).map((task) => ({
          task,
          future: pool.submit(task.kernel, ...task.args),
        }));
      let tasks;
      const killed = [];
      if (kind === 'idle') {
        for (const pid of random.next() < 0.5 ? [first] : [first, second]) killIfAlive(pid) && killed.push(pid);
        tasks = submitAll(); // in the same tick: handed, some of them, to the dead
        figures.probe.idleKills += killed.length;
      } else if (kind === 'stopped') {
        process.kill(first, 'SIGSTOP');
        tasks = submitAll(); // one of them handed to the stopped child, which cannot read it
        await new Promise((resolve) => setTimeout(resolve, random.below(20)));
        if (killIfAlive(first)) killed.push(first);
        figures.probe.stoppedKills += killed.length;
      } else {
        tasks = submitAll();
        const delay = random.below(3) * random.below(10); // at once a third of the time
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const victim = random.pick([first, second]);
        if (killIfAlive(victim)) killed.push(victim);
        figures.probe.busyKills += killed.length;
      }
      figures.probe.tasks += tasks.length;
      const outcomes = await Promise.allSettled(tasks.map((t) => t.future));
      let failed = 0;
      outcomes.forEach((outcome, i) => {
        const { task } = tasks[i];
        if (outcome.status === 'fulfilled') {
          if (JSON.stringify(encode(outcome.value)) !== task.expected)
            problems.push(`probe ${kind}: ${task.kernel}: a wrong result`);
          return;
        }
        const error = outcome.reason;
        const byKilled =
          error instanceof WorkerExitedError &&
          killed.some((pid) => error.message.startsWith(`the child process (pid ${pid}) `));
        if (kind === 'busy' && byKilled) failed++;
        else problems.push(`probe ${kind}: ${task.kernel}: ${error.name}: ${error.message}`);
      });
      if (failed > killed.length) problems.push(`probe busy: ${failed} tasks failed by ${killed.length} kills`);
      figures.probe.failedByBusyKills += failed;
      figures.probe.handedOn += kind === 'busy' ? 0 : killed.length;
    }

    /** The lock: on (either mode), off, or with another switch interval, at random. */
    function changeLock() {
      const roll = random.next();
      if (roll < 0.3) {
        gil.enable({ mode: 'cpython', switchInterval: random.pick(SWITCH_INTERVALS) });
        figures.lockChanges.enable++;
      } else if (roll < 0.45) {
        gil.enable({ mode: 'legacy', switchInterval: random.pick(SWITCH_INTERVALS) });
        figures.lockChanges.legacy++;
      } else if (roll < 0.75) {
        gil.disable();
        figures.lockChanges.disable++;
      } else {
        gil.setSwitchInterval(random.pick(SWITCH_INTERVALS));
        figures.lockChanges.switchInterval++;
      }
    }

    async function endGeneration(entry) {
      const cancelFutures = random.next() < 0.5;
      const wait = random.next() < 0.7;
      entry.shutDownAt = performance.now();
      if (cancelFutures) entry.cancelledAt = entry.shutDownAt;
      figures.shutdowns++;
      const closing = entry.pool.shutdown({ cancelFutures, wait });
      // A few submits after the shutdown: each is refused.
      for (let i = 0; i < 3; i++) {
        const task = random.pick(menu);
        track(entry.kind, `${task.kernel} after shutdown`, entry.pool.submit(task.kernel, ...task.args), (error) =>
          error?.code === 'ERR_GIL_LAB_POOL_SHUT_DOWN'
            ? (figures.refusedAfterShutdown++, null)
            : `not refused: ${error}`,
        );
      }
      await closing;
      if (!wait) await entry.pool.shutdown(); // waits this time
      if (entry.kind === 'threads') {
        const threads = ['native', 'js']
          .flatMap((b) => gil.stats()[b]?.threads ?? [])
          .filter((t) => t.thread.startsWith(`${entry.pool.label}-`));
        figures.threadPoolThreads += threads.length;
        const running = threads.filter((t) => !t.retired).map((t) => t.thread);
        if (running.length > 0) problems.push(`threads of a shut-down ThreadPool not retired: ${running}`);
        return;
      }
      if (entry.pool.pids.length > 0) problems.push(`children alive after shutdown resolved: ${entry.pool.pids}`);
      const survivors = [...entry.pids].filter(alive);
      if (survivors.length > 0) problems.push(`processes of a shut-down pool still alive: ${survivors}`);
    }

    function submitToPool(entry) {
      const roll = random.next();
      const { pool } = entry;
      const threadPanicsLeft = entry.kind === 'processes' || figures.threadPanics < THREAD_PANICS_MAX;
      if (roll < FAULT_RATE && threadPanicsLeft) {
        // A fault in the worker running it.
        const kind = random.pick(FAULTS[entry.kind]);
        figures.faults[kind]++;
        if (kind === 'panic' && entry.kind === 'threads') figures.threadPanics++;
        const fault = kind === 'exit' ? { kind, code: 3 } : kind === 'block' ? { kind, ms: 30 } : { kind };
        if (['exit', 'crash', 'kill'].includes(kind)) deathsMidTask++;
        track(entry.kind, `fault ${kind} on ${entry.kind}`, submitFault(pool, fault), (error, value) => {
          if (error?.code === 'ERR_GIL_LAB_CANCELLED' && entry.cancelledAt !== undefined)
            return (figures.cancelled++, null);
          if (error?.code === 'ERR_GIL_LAB_POOL_SHUT_DOWN') return null;
          if (error?.code === 'ERR_GIL_LAB_BROKEN_POOL') return brokenByKills(entry, error);
          if (error instanceof WorkerExitedError) return (figures.workerExited++, null);
          if (kind === 'throw')
            return error?.code === 'ERR_FAULT_FOR_TESTING' ? null : `not the fault's error: ${error}`;
          if (kind === 'block') return value === 'unblocked' ? null : `not unblocked: ${error ?? value}`;
          if (kind === 'panic')
            return /panicked in Rust: a panic injected for testing$/.test(error?.message)
              ? null
              : `not the panic: ${error}`;
          // A JS worker thread's uncaught exception rejects its task with it.
          if (kind === 'crash' && entry.kind === 'threads')
            return error?.message === 'a crash injected for testing' ? null : `not the crash: ${error}`;
          return `a death that was not reported: ${error ?? value}`;
        });
        return;
      }
      const task = random.pick(menu);
      const { signal, aborted } = signalFor();
      if (roll < FAULT_RATE + 0.04) {
        // A map of a few items, under one signal.
        const items = [task.item, task.item, task.item];
        track(
          entry.kind,
          `map ${task.kernel} on ${entry.kind}`,
          pool.map(task.kernel, items, { signal }),
          judgeKernel({ expected: task.mapped }, { aborted, poolOf: entry }),
        );
        return;
      }
      track(
        entry.kind,
        `${task.kernel} on ${entry.kind}`,
        pool.submit(task.kernel, ...task.args, { signal }),
        judgeKernel(task, { aborted, poolOf: entry }),
      );
    }

    function submitToDefaultPool() {
      if (native && figures.threadPanics < THREAD_PANICS_MAX && random.next() < 0.002) {
        figures.faults.panic++;
        figures.threadPanics++;
        const binding = require(info().binary);
        track('default', 'panic on a native thread', binding.__panicForTesting(null, null, 'soak'), (error) =>
          error?.message === '__panicForTesting panicked in Rust: soak' ? null : `not the panic: ${error}`,
        );
        return;
      }
      const task = random.pick(menu);
      const { signal, aborted } = signalFor();
      track(
        'default',
        `${task.kernel} on the default pool`,
        kernels[task.kernel](...task.args, { signal }),
        judgeKernel(task, { aborted, poolOf: null }),
      );
    }

    // ── The run ───────────────────────────────────────────────────────────────────────────
    try {
      await run();
    } finally {
      // On a failure too: no child may outlive the test, nor the lock stay on.
      gil.disable();
      await Promise.all(pools.map(({ pool }) => pool.shutdown({ cancelFutures: true })));
    }

    /** SIGKILLs `pid`; false when it had exited already (a fault of its own may have ended it). */
    function killIfAlive(pid) {
      try {
        process.kill(pid, 'SIGKILL');
        return true;
      } catch (error) {
        if (error.code === 'ESRCH') return false;
        throw error;
      }
    }

    async function run() {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const mib = (bytes) => Math.round(bytes / 2 ** 20);
      figures.rssMiB.before = mib(rssBefore);
      const started = performance.now();
      let nextGeneration = started + GENERATION_MS;
      let nextKill = started + KILL_EVERY_MS;
      let nextLockChange = started;
      const closings = [];
      const endGenerationOf = (generation) => [endGeneration(generation.processes), endGeneration(generation.threads)];
      let probing = true;
      const probeLoop = (async () => {
        // Each kind at least once, however slowly children start on a busy machine.
        while (probing || probeRounds < PROBE_KINDS.length) {
          await probeRound().catch((error) => problems.push(`probe: ${error.stack}`));
          await new Promise((resolve) => setTimeout(resolve, random.below(PROBE_PAUSE_MS)));
        }
      })();
      const watchdog = () => {
        const now = performance.now();
        const stuck = [...pending.values()].filter((p) => now - p.since > WATCHDOG_MS);
        if (stuck.length > 0)
          throw new Error(
            `${stuck.length} tasks pending for over ${WATCHDOG_MS} ms: ${stuck
              .slice(0, 10)
              .map((p) => p.what)
              .join(', ')}`,
          );
      };
      while (performance.now() - started < SOAK_MS) {
        while (inFlight.processes < IN_FLIGHT.processes) submitToPool(current.processes);
        while (inFlight.threads < IN_FLIGHT.threads) submitToPool(current.threads);
        while (inFlight.default < IN_FLIGHT.default) submitToDefaultPool();
        const now = performance.now();
        if (now > nextLockChange) {
          changeLock();
          nextLockChange = now + random.below(2 * LOCK_CHANGE_EVERY_MS);
        }
        const children = current.processes;
        for (const pid of children.pool.pids) {
          children.pids.add(pid);
          if (!children.firstSeen.has(pid)) children.firstSeen.set(pid, now);
        }
        // A kill from outside, now and then, of a child that has long since started (a child
        // killed as it starts counts towards a broken pool: see below).
        const started_ = children.pool.pids.filter((pid) => now - children.firstSeen.get(pid) > KILL_AFTER_MS);
        if (now > nextKill && started_.length > 0) {
          if (killIfAlive(random.pick(started_))) {
            figures.childrenKilledFromOutside++;
            deathsMidTask++;
          }
          nextKill = now + random.below(2 * KILL_EVERY_MS);
        }
        if (children.brokenByKills) nextGeneration = now; // see brokenByKills()
        if (now >= nextGeneration) {
          closings.push(...endGenerationOf(current));
          current = openGeneration();
          figures.generations++;
          nextGeneration += GENERATION_MS;
        }
        const rss = process.memoryUsage().rss;
        figures.rssMiB.peak = Math.max(figures.rssMiB.peak, mib(rss));
        if (now - started >= ((figures.rssMiB.atQuarters.length + 1) * SOAK_MS) / 4) {
          figures.rssMiB.atQuarters.push(mib(rss));
          figures.heapMiBByQuarter.push(mib(process.memoryUsage().heapUsed));
        }
        watchdog();
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 20);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }

      // ── The end: everything settles, every pool closes ────────────────────────────────────
      probing = false;
      await probeLoop;
      closings.push(...endGenerationOf(current), probe.pool.shutdown());
      gil.disable();
      gil.setSwitchInterval(0.005);
      const drainedBy = performance.now() + DRAIN_MS;
      while (pending.size > 0 && performance.now() < drainedBy) await new Promise((resolve) => setTimeout(resolve, 10));
      const report = [...pending.values()].map((p) => `${p.what} (${Math.round(performance.now() - p.since)} ms)`);
      expect(report).toEqual([]);
      await Promise.all(closings);
      // An aborted task settles at once, and its worker lets it go at its next tick: let the last go.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      global.gc?.();
      figures.rssMiB.growth = mib(process.memoryUsage().rss - rssBefore);
      figures.threadsAfter = threadCount();
      figures.childrenSeen = pools.reduce((n, p) => n + p.pids.size, 0);
      console.log(`soak (${backend} backend, seed ${SEED}, ${SOAK_MS} ms): ${JSON.stringify(figures)}`);

      expect(problems.slice(0, 10)).toEqual([]);
      expect(figures.probe.idleKills).toBeGreaterThan(0);
      expect(figures.probe.stoppedKills).toBeGreaterThan(0);
      expect(figures.workerExited).toBeLessThanOrEqual(deathsMidTask);
      expect(figures.results).toBeGreaterThan(figures.tasks / 2);
      expect(figures.shutdowns).toBeGreaterThanOrEqual(2);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(RSS_GROWTH_MAX);
      if (figures.threadsBefore !== null) {
        // The backend's own threads (one per core) may have started during the run; nothing more.
        expect(figures.threadsAfter).toBeLessThanOrEqual(figures.threadsBefore + info().cpus + 4);
      }
      for (const { kind, pool, pids } of pools) {
        if (kind === 'processes') expect(pool.pids).toEqual([]);
        expect([...pids].filter(alive)).toEqual([]);
      }
    }
  },
  SOAK_MS + DRAIN_MS + 60_000,
);
