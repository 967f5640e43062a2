// The emulated GIL of the JS backend: the twin of `crates/core/src/gil/`, on SharedArrayBuffers
// that every worker thread of the process's JS pools shares, and the main thread too (for its
// sync calls). One per process.
//
// The algorithm is CPython's since 3.2, as in the native lock (see its header):
//   - a thread that finds the lock held waits for one switch interval; if the wait timed out
//     and no switch happened meanwhile (SWITCH_NUMBER unchanged), it sets the drop request and
//     rings the holder's breaker cell (DROP); whoever takes the lock next clears the request;
//   - the holder sees DROP at its next tick, releases, waits until LAST_HOLDER names another
//     thread (forced switching), then queues to take the lock again;
//   - a release around a blocking call waits for no hand-off;
//   - in cpython mode, a release while threads wait reserves the lock for one of them (CPython
//     lets them race the releaser; the emulation settles the race for the waiter, see the
//     native lock's header);
//   - legacy mode releases every LEGACY_CHECK_INTERVAL ticks and takes it straight back.
//
// Atomics.wait/notify stand in for the native lock's mutex and conditions, as a futex would:
//   WORD      0 when free, else the holder: ((slot + 1) << 12) | the cell of its task; or,
//             released to the waiters, -(slot + 1) of the releaser, which any other thread
//             may take. Taking is a compare-and-swap from 0 (or from a reservation not one's
//             own); releasing stores 0, or the reservation. A change of settings lifts a
//             reservation.
//   WAITERS   threads in the slow path of a take.
//   SEQ       bumped by a release that sees WAITERS > 0 and by every change of the settings;
//             waiters sleep on it. A waiter reads SEQ before it looks at the mode and WORD, so
//             a release or a change between its look and its sleep makes it return at once.
//   HANDOFF_SEQ  bumped when LAST_HOLDER changes and on every change of the settings; a
//             releaser waiting for the hand-off sleeps on it, the same way.
// Invariants: at most one thread holds the lock (WORD goes from 0 or a reservation to a
// thread's own value, and back, by that thread); every sleeper reads the word it sleeps on before it checks the
// condition that would wake it, so no wake-up is lost.
//
// Each thread owns a slot: its stats (written by it alone, plain stores; a reset records a
// baseline instead of zeroing them) and the cell of the task it runs, so that a change of the
// settings can ring GIL_CHANGED on every running task. The trace is one ring of the last
// TRACE_CAPACITY events of all threads, each entry a small seqlock.

import { CELLS, COUNT_TICKS, DROP, GIL_CHANGED, type GilSeat } from '../breaker';
import { COUNTERS, type CounterName, type GilMode, type ReleaseReason, type TraceEventKind } from './types';

const MODE_NAMES: readonly GilMode[] = ['off', 'cpython', 'legacy'];
const OFF = 0;
const CPYTHON = 1;

/** Legacy mode's period, in ticks: Python 2's default `sys.getcheckinterval()`. */
export const LEGACY_CHECK_INTERVAL = 100;
/**
 * Threads with a slot. Past them, a new thread reuses the slot of one forgotten by a reset,
 * else of one that has exited (whose stats are then lost).
 */
export const MAX_THREADS = 1024;
/** Events the trace keeps, of all threads together. */
export const TRACE_CAPACITY = 1 << 14;
const DEFAULT_INTERVAL_US = 5000;

// The control words.
const MODE = 0;
const INTERVAL_US = 1;
const WORD = 2;
const WAITERS = 3;
const SEQ = 4;
const LAST_HOLDER = 5;
const SWITCH_NUMBER = 6;
const SWITCHES_BASELINE = 7;
const HANDOFF_SEQ = 8;
const DROP_REQUEST = 9;
const NEXT_SLOT = 10;
const TRACE_HEAD = 11;
const TRACE_START = 12;
const CONTROL_WORDS = 13;

// A slot's state.
const LIVE = 1;
const RETIRED = 2;
const FORGOTTEN = 3;

const [TAKES, CONTENDED_TAKES, DROP_REQUESTS, FORCED_SWITCHES, VOLUNTARY_RELEASES, RELEASES, WAIT_NS, HOLD_NS] =
  COUNTERS.map((_, i) => i);
const FIELDS = COUNTERS.length;
const NAME_BYTES = 64;

const EVENT_KINDS = [
  'take',
  'drop-request',
  'forced',
  'voluntary',
  'periodic',
  'task-end',
  'disabled',
  'wait',
] as const;
type EventKind = (typeof EVENT_KINDS)[number];
const KIND_CODE = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, i])) as Record<EventKind, number>;
const HEAD_MASK = 0x3fffffff; // the trace's event numbers, modulo 2^30 (never -1)

/** The shared memory of one lock: plain data, handed to worker threads in `workerData`. */
export interface JsGilState {
  readonly control: Int32Array;
  readonly slotState: Int32Array;
  /** The cell of the task a slot's thread runs, plus one; 0 between tasks. */
  readonly slotCell: Int32Array;
  /** The Node.js `threadId` of a slot's thread. */
  readonly slotThread: Int32Array;
  readonly names: Uint8Array;
  readonly counters: Float64Array;
  readonly baseline: Float64Array;
  readonly traceTime: Float64Array;
  readonly traceWhat: Int32Array;
  readonly traceSeq: Int32Array;
  /** The clock's origin: `process.hrtime.bigint()` when the lock was made. */
  readonly epoch: BigInt64Array;
}

const shared = <T>(Type: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T =>
  new Type(new SharedArrayBuffer(Type.BYTES_PER_ELEMENT * n));

export function createJsGilState(): JsGilState {
  const state: JsGilState = {
    control: shared(Int32Array, CONTROL_WORDS),
    slotState: shared(Int32Array, MAX_THREADS),
    slotCell: shared(Int32Array, MAX_THREADS),
    slotThread: shared(Int32Array, MAX_THREADS),
    names: shared(Uint8Array, MAX_THREADS * NAME_BYTES),
    counters: shared(Float64Array, MAX_THREADS * FIELDS),
    baseline: shared(Float64Array, MAX_THREADS * FIELDS),
    traceTime: shared(Float64Array, TRACE_CAPACITY),
    traceWhat: shared(Int32Array, TRACE_CAPACITY),
    traceSeq: shared(Int32Array, TRACE_CAPACITY),
    epoch: shared(BigInt64Array, 1),
  };
  state.control[INTERVAL_US] = DEFAULT_INTERVAL_US;
  state.traceSeq.fill(-1);
  state.epoch[0] = process.hrtime.bigint();
  return state;
}

/** A thread's membership of the lock. */
export interface JsGilThread {
  readonly slot: number;
  readonly name: string;
}

export interface JsThreadStats extends Record<CounterName, number> {
  readonly slot: number;
  readonly name: string;
  readonly retired: boolean;
}

export interface JsTraceEvent {
  readonly slot: number;
  readonly event: TraceEventKind;
  readonly reason?: ReleaseReason;
  readonly timeNs: number;
}

/** One thread's view of the process's JS lock. */
export class JsGil {
  private readonly c: Int32Array;
  private readonly epoch: bigint;

  constructor(
    readonly state: JsGilState,
    /** The breaker board's bits: cell `i` is task `i`'s. */
    private readonly cells: Int32Array,
  ) {
    this.c = state.control;
    this.epoch = state.epoch[0];
  }

  /** Nanoseconds since the lock was made, on every thread alike. */
  nowNs(): number {
    return Number(process.hrtime.bigint() - this.epoch);
  }

  get mode(): GilMode {
    return MODE_NAMES[Atomics.load(this.c, MODE)];
  }

  set mode(mode: GilMode) {
    if (Atomics.exchange(this.c, MODE, MODE_NAMES.indexOf(mode)) !== MODE_NAMES.indexOf(mode)) this.announceChange();
  }

  get switchIntervalUs(): number {
    return Atomics.load(this.c, INTERVAL_US);
  }

  set switchIntervalUs(us: number) {
    if (Atomics.exchange(this.c, INTERVAL_US, us) !== us) this.announceChange();
  }

  /** Wakes every sleeper and rings GIL_CHANGED on every running task (see the header). */
  private announceChange(): void {
    const word = Atomics.load(this.c, WORD);
    if (word < 0) Atomics.compareExchange(this.c, WORD, word, 0);
    Atomics.add(this.c, SEQ, 1);
    Atomics.notify(this.c, SEQ);
    Atomics.add(this.c, HANDOFF_SEQ, 1);
    Atomics.notify(this.c, HANDOFF_SEQ);
    const slots = Math.min(Atomics.load(this.c, NEXT_SLOT), MAX_THREADS);
    for (let slot = 0; slot < slots; slot++) {
      const cell = Atomics.load(this.state.slotCell, slot) - 1;
      if (cell >= 0) Atomics.or(this.cells, cell, GIL_CHANGED);
    }
  }

  /** Gives the calling thread, `threadId`, a slot named `name` in the stats. */
  register(name: string, threadId: number): JsGilThread {
    const slot = this.claimSlot();
    const bytes = new TextEncoder().encode(name).subarray(0, NAME_BYTES);
    this.state.names.fill(0, slot * NAME_BYTES, (slot + 1) * NAME_BYTES);
    this.state.names.set(bytes, slot * NAME_BYTES);
    this.state.counters.fill(0, slot * FIELDS, (slot + 1) * FIELDS);
    this.state.baseline.fill(0, slot * FIELDS, (slot + 1) * FIELDS);
    Atomics.store(this.state.slotThread, slot, threadId);
    Atomics.store(this.state.slotState, slot, LIVE);
    return { slot, name };
  }

  private claimSlot(): number {
    const fresh = Atomics.add(this.c, NEXT_SLOT, 1);
    if (fresh < MAX_THREADS) return fresh;
    Atomics.sub(this.c, NEXT_SLOT, 1);
    for (const reusable of [FORGOTTEN, RETIRED]) {
      for (let slot = 0; slot < MAX_THREADS; slot++) {
        if (Atomics.compareExchange(this.state.slotState, slot, reusable, LIVE) === reusable) return slot;
      }
    }
    throw new Error(`gil-lab: more than ${MAX_THREADS} JS threads at once run under the lock`);
  }

  /** Marks thread `threadId` as exited: its stats stay until the next reset. */
  retireThread(threadId: number): void {
    this.forEachSlot((slot) => {
      if (Atomics.load(this.state.slotThread, slot) === threadId) {
        Atomics.compareExchange(this.state.slotState, slot, LIVE, RETIRED);
      }
    });
  }

  private forEachSlot(visit: (slot: number) => void): void {
    const slots = Math.min(Atomics.load(this.c, NEXT_SLOT), MAX_THREADS);
    for (let slot = 0; slot < slots; slot++) visit(slot);
  }

  stats(): JsThreadStats[] {
    const { counters, baseline, names, slotState } = this.state;
    const decoder = new TextDecoder();
    const threads: JsThreadStats[] = [];
    this.forEachSlot((slot) => {
      const state = Atomics.load(slotState, slot);
      if (state !== LIVE && state !== RETIRED) return;
      const counts = Object.fromEntries(
        COUNTERS.map((name, i) => [name, counters[slot * FIELDS + i] - baseline[slot * FIELDS + i]]),
      ) as Record<CounterName, number>;
      const nameBytes = names.subarray(slot * NAME_BYTES, (slot + 1) * NAME_BYTES);
      const end = nameBytes.indexOf(0);
      const name = decoder.decode(nameBytes.slice(0, end < 0 ? NAME_BYTES : end));
      threads.push({ slot, name, retired: state === RETIRED, ...counts });
    });
    return threads;
  }

  /** Times the holder changed since the last reset. */
  switches(): number {
    return (Atomics.load(this.c, SWITCH_NUMBER) - Atomics.load(this.c, SWITCHES_BASELINE)) >>> 0;
  }

  /** Starts every count and the trace afresh, and frees the slots of threads that exited. */
  resetStats(): void {
    const { counters, baseline, slotState } = this.state;
    this.forEachSlot((slot) => {
      Atomics.compareExchange(slotState, slot, RETIRED, FORGOTTEN);
      baseline.set(counters.subarray(slot * FIELDS, (slot + 1) * FIELDS), slot * FIELDS);
    });
    Atomics.store(this.c, SWITCHES_BASELINE, Atomics.load(this.c, SWITCH_NUMBER));
    Atomics.store(this.c, TRACE_START, Atomics.load(this.c, TRACE_HEAD));
  }

  /** The newest `limit` events of the trace, oldest first. */
  trace(limit: number): JsTraceEvent[] {
    const { traceTime, traceWhat, traceSeq } = this.state;
    const head = Atomics.load(this.c, TRACE_HEAD) & HEAD_MASK;
    const recorded = (head - Atomics.load(this.c, TRACE_START)) & HEAD_MASK;
    const count = Math.min(recorded, TRACE_CAPACITY, limit);
    const events: JsTraceEvent[] = [];
    for (let j = count; j > 0; j--) {
      const i = (head - j) & HEAD_MASK;
      const k = i & (TRACE_CAPACITY - 1);
      const before = Atomics.load(traceSeq, k);
      const timeNs = traceTime[k];
      const what = Atomics.load(traceWhat, k);
      if (before !== i || Atomics.load(traceSeq, k) !== i) continue; // being overwritten
      const kind = EVENT_KINDS[what & 0xf];
      const slot = what >> 4;
      events.push(
        kind === 'take' || kind === 'drop-request' || kind === 'wait'
          ? { slot, event: kind, timeNs }
          : { slot, event: 'release', reason: kind, timeNs },
      );
    }
    return events;
  }

  private record(thread: JsGilThread, kind: EventKind, timeNs: number): void {
    const { traceTime, traceWhat, traceSeq } = this.state;
    const i = Atomics.add(this.c, TRACE_HEAD, 1) & HEAD_MASK;
    const k = i & (TRACE_CAPACITY - 1);
    Atomics.store(traceSeq, k, -1);
    traceTime[k] = timeNs;
    Atomics.store(traceWhat, k, (thread.slot << 4) | KIND_CODE[kind]);
    Atomics.store(traceSeq, k, i);
  }

  private count(thread: JsGilThread, field: number, n = 1): void {
    this.state.counters[thread.slot * FIELDS + field] += n;
  }

  /**
   * Takes the lock for the task in `cell`; returns when it was taken, or null when it is off. A
   * contended take traces the start of its wait, unless `waitTraced`: the thread already waits,
   * its forced release traced that (see `release`). A take that finds the lock free traces its
   * take and no more.
   */
  take(thread: JsGilThread, cell: number, waitTraced = false): number | null {
    const c = this.c;
    if (Atomics.load(c, MODE) === OFF) return null;
    const mine = ((thread.slot + 1) << 12) | cell;
    if (Atomics.compareExchange(c, WORD, 0, mine) === 0) {
      const now = this.nowNs();
      this.taken(thread);
      this.count(thread, TAKES);
      this.record(thread, 'take', now);
      return now;
    }
    const start = this.nowNs();
    if (!waitTraced) this.record(thread, 'wait', start);
    Atomics.add(c, WAITERS, 1);
    for (;;) {
      const seq = Atomics.load(c, SEQ);
      const mode = Atomics.load(c, MODE);
      if (mode === OFF) {
        // The last waiter to go leaves no reservation behind, for nobody (as the native lock).
        if (Atomics.sub(c, WAITERS, 1) === 1) this.clearReservation();
        return null;
      }
      const word = Atomics.load(c, WORD);
      const free = word === 0 || (word < 0 && word !== -(thread.slot + 1));
      if (free && Atomics.compareExchange(c, WORD, word, mine) === word) break;
      const savedSwitchNumber = Atomics.load(c, SWITCH_NUMBER);
      const waited = Atomics.wait(c, SEQ, seq, Atomics.load(c, INTERVAL_US) / 1000);
      const holder = Atomics.load(c, WORD);
      // As take_gil: timed out, still held, and no switch meanwhile: ask for it.
      if (
        waited === 'timed-out' &&
        mode === CPYTHON &&
        Atomics.load(c, MODE) === CPYTHON &&
        holder > 0 &&
        Atomics.load(c, SWITCH_NUMBER) === savedSwitchNumber
      ) {
        Atomics.store(c, DROP_REQUEST, 1);
        Atomics.or(this.cells, holder & (CELLS - 1), DROP);
        this.count(thread, DROP_REQUESTS);
        this.record(thread, 'drop-request', this.nowNs());
      }
    }
    Atomics.sub(c, WAITERS, 1);
    const now = this.nowNs();
    this.taken(thread);
    this.count(thread, TAKES);
    this.count(thread, CONTENDED_TAKES);
    this.count(thread, WAIT_NS, now - start);
    this.record(thread, 'take', now);
    return now;
  }

  /** The bookkeeping of every take: clear the drop request; on a switch, wake hand-off waiters. */
  private taken(thread: JsGilThread): void {
    const c = this.c;
    if (Atomics.load(c, DROP_REQUEST) !== 0) Atomics.store(c, DROP_REQUEST, 0);
    if (Atomics.load(c, LAST_HOLDER) === thread.slot + 1) return;
    Atomics.store(c, LAST_HOLDER, thread.slot + 1);
    Atomics.add(c, SWITCH_NUMBER, 1);
    Atomics.add(c, HANDOFF_SEQ, 1);
    Atomics.notify(c, HANDOFF_SEQ);
  }

  /** Whether a waiter asked for the lock since the last take. */
  dropRequested(): boolean {
    return Atomics.load(this.c, DROP_REQUEST) !== 0;
  }

  /**
   * Releases the lock taken at `since`. A forced release then waits for the hand-off: until
   * another thread has taken the lock, the lock is no longer in cpython mode, or nobody waits.
   * Returns whether it waited for the hand-off, however briefly: then it traced the start of
   * the thread's wait, which its next take ends.
   */
  release(thread: JsGilThread, since: number, reason: ReleaseReason): boolean {
    const c = this.c;
    const now = this.nowNs();
    this.count(thread, RELEASES);
    this.count(thread, HOLD_NS, now - since);
    if (reason === 'voluntary') this.count(thread, VOLUNTARY_RELEASES);
    this.record(thread, reason, now);
    if (reason === 'forced') {
      this.count(thread, FORCED_SWITCHES);
      Atomics.store(c, DROP_REQUEST, 0); // met; the next one must be asked again
    }
    const reserve = Atomics.load(c, MODE) === CPYTHON && Atomics.load(c, WAITERS) > 0;
    Atomics.store(c, WORD, reserve ? -(thread.slot + 1) : 0);
    if (Atomics.load(c, WAITERS) === 0) {
      // Nobody will take it from us. The waiters seen may have gone meanwhile (the lock was
      // switched off): a reservation for nobody would keep this thread from the lock for ever.
      if (reserve) this.clearReservation();
      return false;
    }
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ, 1);
    if (reason !== 'forced') return false;
    const start = this.nowNs();
    this.record(thread, 'wait', start);
    for (;;) {
      const handoff = Atomics.load(c, HANDOFF_SEQ);
      if (
        Atomics.load(c, LAST_HOLDER) !== thread.slot + 1 ||
        Atomics.load(c, MODE) !== CPYTHON ||
        Atomics.load(c, WAITERS) === 0
      ) {
        break;
      }
      Atomics.wait(c, HANDOFF_SEQ, handoff);
    }
    this.count(thread, WAIT_NS, this.nowNs() - start);
    return true;
  }

  /** Frees the lock if it is reserved for waiters, and none is left (see `release` and `take`). */
  private clearReservation(): void {
    const word = Atomics.load(this.c, WORD);
    if (word < 0 && Atomics.load(this.c, WAITERS) === 0) Atomics.compareExchange(this.c, WORD, word, 0);
  }

  /** Notes which task's cell the thread runs (`-1`: none), for `announceChange`. */
  runsCell(thread: JsGilThread, cell: number): void {
    Atomics.store(this.state.slotCell, thread.slot, cell + 1);
  }

  /** Raises or clears COUNT_TICKS in a task's own cell. */
  countTicks(cell: number, on: boolean): void {
    if (on) Atomics.or(this.cells, cell, COUNT_TICKS);
    else if (Atomics.load(this.cells, cell) & COUNT_TICKS) Atomics.and(this.cells, cell, ~COUNT_TICKS);
  }
}

/**
 * A task's hold on the lock, the twin of the native `Seat`: taken when the task starts (unless
 * the lock is off), followed at every tick, released by `leave()`. Only its thread touches it.
 */
export class JsSeat implements GilSeat {
  /** When the thread took the lock, while it holds it. */
  private heldSince: number | null = null;
  private ticksLeft = LEGACY_CHECK_INTERVAL;

  constructor(
    private readonly gil: JsGil,
    private readonly thread: JsGilThread,
    private readonly cell: number,
  ) {
    gil.runsCell(thread, cell);
    this.followMode();
  }

  get holds(): boolean {
    return this.heldSince !== null;
  }

  atTick(pending: number): void {
    if (pending & GIL_CHANGED) this.followMode();
    const since = this.heldSince;
    if (since === null) return;
    const mode = this.gil.mode;
    if (mode === 'cpython' && pending & DROP && this.gil.dropRequested()) {
      this.heldSince = null;
      const waitTraced = this.gil.release(this.thread, since, 'forced');
      this.heldSince = this.gil.take(this.thread, this.cell, waitTraced);
    } else if (mode === 'legacy' && pending & COUNT_TICKS && --this.ticksLeft === 0) {
      this.ticksLeft = LEGACY_CHECK_INTERVAL;
      this.heldSince = null;
      this.gil.release(this.thread, since, 'periodic');
      this.heldSince = this.gil.take(this.thread, this.cell);
    }
  }

  releaseForBlocking(): void {
    const since = this.heldSince;
    if (since === null) return;
    this.heldSince = null;
    this.gil.release(this.thread, since, 'voluntary');
  }

  /** Takes the lock if it is on and not held, releases it if it is off and held. */
  followMode(): void {
    const mode = this.gil.mode;
    this.gil.countTicks(this.cell, mode === 'legacy');
    if (mode === 'off' && this.heldSince !== null) {
      const since = this.heldSince;
      this.heldSince = null;
      this.gil.release(this.thread, since, 'disabled');
    } else if (mode !== 'off' && this.heldSince === null) {
      this.heldSince = this.gil.take(this.thread, this.cell);
    }
  }

  /** Ends the task: releases the lock if held. */
  leave(): void {
    this.gil.countTicks(this.cell, false);
    this.gil.runsCell(this.thread, -1);
    const since = this.heldSince;
    if (since === null) return;
    this.heldSince = null;
    this.gil.release(this.thread, since, 'task-end');
  }
}
