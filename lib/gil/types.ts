// The types of the emulated GIL that both locks share — the native one (`crates/core/src/gil/`,
// through `lib/backends/native.ts`) and the JS one (`js-lock.ts`) — and what `gil` needs of each.

export type GilMode = 'off' | 'cpython' | 'legacy';
/** The modes the lock can be switched on in. */
export type EnabledGilMode = Exclude<GilMode, 'off'>;

/** Why a thread let go of the lock; the same names as the native lock's. */
export type ReleaseReason = 'forced' | 'voluntary' | 'periodic' | 'task-end' | 'disabled';
/**
 * What a trace event says: a thread began to wait for the lock (a take that found it held, or a
 * forced release that waits for the hand-off and then queues; its next take ends the wait),
 * took it, asked the holder to drop it, or released it.
 */
export type TraceEventKind = 'wait' | 'take' | 'drop-request' | 'release';

/** The counters of a slot, in this order, as the native lock's `Stats`. */
export const COUNTERS = [
  'takes',
  'contendedTakes',
  'dropRequests',
  'forcedSwitches',
  'voluntaryReleases',
  'releases',
  'waitNs',
  'holdNs',
] as const;
export type CounterName = (typeof COUNTERS)[number];

/** One thread's counts since the last reset; times in nanoseconds. */
export interface RawThreadStats extends Record<CounterName, number> {
  /** The interpreter whose lock the thread is bound to: 0 for the main one. */
  readonly interpreter: number;
  readonly thread: string;
  readonly retired: boolean;
}

/** One interpreter's lock: the times its holder changed since the last reset. */
export interface RawSwitches {
  readonly interpreter: number;
  readonly switches: number;
}

/** One event of a lock's trace; `timeNs` counts from `CLOCK_ORIGIN`. */
export interface RawTraceEvent {
  readonly interpreter: number;
  readonly thread: string;
  readonly event: TraceEventKind;
  readonly reason?: ReleaseReason;
  readonly timeNs: number;
}

/**
 * What `gil` needs of each backend's locks: the main interpreter's (0), and one per interpreter
 * of its interpreter pools. Each call covers them all: a setting applies to every one.
 */
export interface GilControl {
  setMode(mode: GilMode): void;
  /** Seconds, already checked. */
  setSwitchInterval(seconds: number): void;
  stats(): { threads: RawThreadStats[]; interpreters: RawSwitches[] };
  resetStats(): void;
  /** The newest `limit` events of all the locks, oldest first. */
  trace(limit: number): RawTraceEvent[];
}
