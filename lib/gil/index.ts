// `gil`: the emulated GIL of every backend, driven as one, so that native, wasm and JS runs compare
// under the same settings. Each backend has one main lock per process (`crates/core/src/gil/`,
// `lib/gil/js-lock.ts`), shared by its thread pools and by sync calls on the calling thread,
// and one more per interpreter of its InterpreterPools; every setting applies to all of them,
// and a backend loaded later adopts the settings in force.

import { checkString, integer, numberInRange, optionsObject, rangeError } from '../args';
import { BACKEND_NAMES, type BackendName } from '../backend-names';
import { gilSettings, locksMade } from './control';
import {
  COUNTERS,
  type CounterName,
  type GilMode,
  type RawThreadStats,
  type ReleaseReason,
  type TraceEventKind,
} from './types';

export type { GilMode, ReleaseReason, TraceEventKind } from './types';

/** The shortest switch interval, in seconds: 1 µs, as CPython's floor. */
export const MIN_SWITCH_INTERVAL = 0.000001;
/** The longest switch interval, in seconds. */
export const MAX_SWITCH_INTERVAL = 1000;
const DEFAULT_SWITCH_INTERVAL = 0.005;
const ENABLED_MODES: readonly GilMode[] = ['cpython', 'legacy'];
const MAX_TRACE_LIMIT = 2 ** 31 - 1;

export interface GilEnableOptions {
  /** `'cpython'` (the default): CPython's lock since 3.2. `'legacy'`: before 3.2. */
  mode?: 'cpython' | 'legacy';
  /** Seconds, as `sys.setswitchinterval`: 0.000001 to 1000; 0.005 unless given. */
  switchInterval?: number;
}

/** What one thread, or several together, did with the lock since the last reset. */
export interface GilCounts {
  /** Times it took the lock. */
  takes: number;
  /** Takes that found the lock held and had to wait. */
  contendedTakes: number;
  /** Drop requests it made while it waited. */
  dropRequests: number;
  /** Times it dropped the lock because another thread asked. */
  forcedSwitches: number;
  /** Releases around a blocking call. */
  voluntaryReleases: number;
  /** Releases of every kind; equal to `takes` when it does not hold the lock. */
  releases: number;
  /** Time spent waiting for the lock (and, after a forced drop, for the hand-off). */
  waitMs: number;
  /** Time spent holding it. */
  holdMs: number;
}

export interface GilThreadStats extends GilCounts {
  backend: BackendName;
  /** The interpreter whose lock the thread is bound to: 0 for the main one, 1, 2, … for an InterpreterPool's. */
  interpreter: number;
  /** `main` (sync calls), `default-N` (the default pool), or the label of a ThreadPool's thread. */
  thread: string;
  /** The thread has exited (its pool was shut down); it is forgotten at the next reset. */
  retired: boolean;
}

/** One interpreter's lock: its threads added up. */
export interface GilInterpreterStats {
  interpreter: number;
  totals: GilCounts;
  /** Times this lock changed hands (CPython's `switch_number`). */
  switches: number;
}

export interface GilBackendStats {
  threads: GilThreadStats[];
  totals: GilCounts;
  /** Times a lock changed hands (CPython's `switch_number`), all the interpreters' added up. */
  switches: number;
  /** Each interpreter's lock apart, the main one (0) first. */
  interpreters: GilInterpreterStats[];
}

export interface GilStats {
  /** Null where that backend has not been loaded in this process. */
  native: GilBackendStats | null;
  wasm: GilBackendStats | null;
  js: GilBackendStats | null;
  /** Every backend added up. */
  totals: GilCounts;
}

export interface GilTraceEvent {
  backend: BackendName;
  /** The interpreter whose lock it is: 0 for the main one. */
  interpreter: number;
  thread: string;
  /**
   * `wait`: the thread began to wait for the lock (a take that found it held, or a forced
   * release that waits for the hand-off, then queues); its next `take` ends the wait.
   */
  event: TraceEventKind;
  /** Why a release happened. */
  reason?: ReleaseReason;
  /** Milliseconds since gil-lab was loaded. */
  timeMs: number;
}

export interface Gil {
  /** Turns the lock on in every backend: by default in `cpython` mode with a 5 ms interval. */
  enable(options?: GilEnableOptions): void;
  /** Turns it off: threads run in parallel. Takes effect at every thread's next tick. */
  disable(): void;
  readonly enabled: boolean;
  readonly mode: GilMode;
  /** As `sys.setswitchinterval`: seconds, 0.000001 to 1000, kept in whole microseconds. */
  setSwitchInterval(seconds: number): void;
  getSwitchInterval(): number;
  stats(): GilStats;
  /** Starts every count and the trace afresh. */
  resetStats(): void;
  /** The newest `limit` events (all that are kept unless given) of both locks, oldest first. */
  trace(options?: { limit?: number }): GilTraceEvent[];
}

/** A switch interval in seconds, checked, in whole microseconds as the locks keep it. */
function checkSeconds(name: string, value: unknown): number {
  return Math.round(numberInRange(name, value, MIN_SWITCH_INTERVAL, MAX_SWITCH_INTERVAL) * 1e6) / 1e6;
}

function apply(mode: GilMode, switchInterval: number): void {
  gilSettings.mode = mode;
  gilSettings.switchInterval = switchInterval;
  for (const { control } of locksMade()) {
    control.setSwitchInterval(switchInterval);
    control.setMode(mode);
  }
}

/** `counts` added up, counter by counter. */
export function sum(counts: readonly GilCounts[]): GilCounts {
  const total = Object.fromEntries(COUNTERS.map((name) => [publicName(name), 0])) as unknown as GilCounts;
  for (const c of counts) for (const key of Object.keys(total) as (keyof GilCounts)[]) total[key] += c[key];
  return total;
}

/** The public name of a lock's counter: times in milliseconds rather than nanoseconds. */
function publicName(name: CounterName): keyof GilCounts {
  return name === 'waitNs' ? 'waitMs' : name === 'holdNs' ? 'holdMs' : name;
}

function threadStats(
  backend: BackendName,
  { thread, retired, waitNs, holdNs, ...counts }: RawThreadStats,
): GilThreadStats {
  return { backend, thread, retired, ...counts, waitMs: waitNs / 1e6, holdMs: holdNs / 1e6 };
}

export const gil: Gil = {
  enable(options?: GilEnableOptions): void {
    const { mode = 'cpython', switchInterval = DEFAULT_SWITCH_INTERVAL } = optionsObject('options', options);
    if (!ENABLED_MODES.includes(checkString('options.mode', mode) as GilMode)) {
      throw rangeError(`options.mode must be "cpython" or "legacy"; got "${String(mode)}"`);
    }
    apply(mode as GilMode, checkSeconds('options.switchInterval', switchInterval));
  },

  disable(): void {
    apply('off', gilSettings.switchInterval);
  },

  get enabled(): boolean {
    return gilSettings.mode !== 'off';
  },

  get mode(): GilMode {
    return gilSettings.mode;
  },

  setSwitchInterval(seconds: number): void {
    apply(gilSettings.mode, checkSeconds('seconds', seconds));
  },

  getSwitchInterval(): number {
    return gilSettings.switchInterval;
  },

  stats(): GilStats {
    const stats: GilStats = { native: null, wasm: null, js: null, totals: sum([]) };
    for (const { backend, control } of locksMade()) {
      const { threads: raw, interpreters: switchesOf } = control.stats();
      const threads = raw.map((t) => threadStats(backend, t));
      const interpreters = switchesOf
        .filter(({ interpreter }) => interpreter === 0 || threads.some((t) => t.interpreter === interpreter))
        .map(({ interpreter, switches }) => ({
          interpreter,
          totals: sum(threads.filter((t) => t.interpreter === interpreter)),
          switches,
        }));
      const switches = interpreters.reduce((all, { switches }) => all + switches, 0);
      stats[backend] = { threads, totals: sum(threads), switches, interpreters };
    }
    stats.totals = sum(BACKEND_NAMES.flatMap((name) => stats[name]?.totals ?? []));
    return stats;
  },

  resetStats(): void {
    for (const { control } of locksMade()) control.resetStats();
  },

  trace(options?: { limit?: number }): GilTraceEvent[] {
    const { limit: given = MAX_TRACE_LIMIT } = optionsObject('options', options);
    const limit = integer('options.limit', given, 0, MAX_TRACE_LIMIT);
    const events = locksMade().flatMap(({ backend, control }) =>
      control.trace(limit).map(({ timeNs, ...event }) => ({ backend, ...event, timeMs: timeNs / 1e6 })),
    );
    events.sort((a, b) => a.timeMs - b.timeMs);
    return events.slice(Math.max(0, events.length - limit));
  },
};
