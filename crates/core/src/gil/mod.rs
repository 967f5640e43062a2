//! The emulated GIL: CPython's global interpreter lock, as `Python/ceval_gil.c` has run it
//! since 3.2, for the threads that run kernels. A [`Gil`] is one interpreter's lock, and a
//! thread is bound to the one it registered with: the main interpreter's ([`Gil::process`])
//! serves the default pool, every thread pool and sync calls; an interpreter pool's threads
//! each run under a lock of their own (PEP 684), kept with the main one in [`Interpreters`].
//! Pool threads hold their lock for the length of a task, Node's main thread for a sync call.
//!
//! # The algorithm
//!
//! - **Taking it.** A thread that finds the lock free takes it with one compare-and-swap. A
//!   thread that finds it held waits on a condition (`released`) for one switch interval
//!   (5 ms unless set). If that wait timed out and no switch happened meanwhile
//!   (`switch_number` unchanged), it sets the *drop request* and rings the holder's eval
//!   breaker ([`DROP`]); then it waits again. Whoever takes the lock next clears the request.
//! - **Ticks.** Kernels work in ticks of a few microseconds and read their thread's eval
//!   breaker after each: one load, zero unless some thread asks for something.
//! - **Forced switching.** A holder that sees the drop request at a tick releases the lock,
//!   then waits on `switched` until `last_holder` names another thread, so that it cannot
//!   take the lock straight back (on a multicore machine it would, and its time slices would
//!   have no end); then it queues to take it again like any other thread.
//! - **Blocking calls** ([`Ticker::allow_threads`]) release the lock before and take it again
//!   after, as `Py_BEGIN_ALLOW_THREADS` does. Such a voluntary release waits for no hand-off;
//!   taking the lock back costs what it costs, and that is the convoy effect.
//! - **Releasing to a waiter.** CPython signals a waiter when it releases the lock and lets it
//!   race the releaser, who may take the lock back first: a blocking call that returns in
//!   less time than a thread takes to wake (a pipe's write, a read of a byte already there)
//!   then keeps the lock from the waiter, and the convoy effect comes and goes with the
//!   machine's timing. The emulation settles that race for the waiter, as it falls wherever
//!   the convoy effect was studied: in `cpython` mode a release while threads wait
//!   *reserves* the lock for one of them, and the releaser queues behind.
//! - **Legacy mode** is CPython before 3.2: the holder releases the lock every
//!   [`LEGACY_CHECK_INTERVAL`] ticks and at once tries to take it back; waiters never ask for a
//!   drop and nothing forces a switch, so the thread that just let go usually wins the race
//!   against the waiter it woke.
//! - **Off**: nobody takes it; kernels run in parallel.
//!
//! # The lock word
//!
//! `word` holds the holder's thread id above bit 0, and the `WAITERS` bit:
//!
//! | holder | `WAITERS` | meaning |
//! | --- | --- | --- |
//! | 0  | 0 | free, nobody waits: a take is one compare-and-swap |
//! | id | 0 | held by `id`, nobody waits: a release is one compare-and-swap |
//! | id | 1 | held, and threads wait in the slow path: the release goes through `sync` |
//! | 0  | 1 | free, and the waiters are being woken: takes go through `sync` |
//! | `RESERVED` | 1 | released to the waiters: any of them but `reserved_by` may take it |
//!
//! Invariants:
//! - at most one thread holds the lock: the holder field changes only from 0 or `RESERVED`
//!   to a thread's own id (taking), and from its own id to 0 or `RESERVED` (releasing);
//! - `RESERVED` stands only while threads wait (and a change of mode clears it), so one of
//!   them takes it;
//! - `WAITERS` is set and cleared only under `sync`, and is set exactly when the count under
//!   `sync` is above zero; while it is set, `word` changes only under `sync`, so a waiter that
//!   holds `sync` sees the true holder and can ring the right breaker;
//! - `last_holder` and `switch_number` change only when a thread other than the last holder
//!   takes the lock; under `sync` whenever anybody waits.
//!
//! # Changing the mode or the interval
//!
//! A change takes effect at the next tick boundary in every thread. The setter stores the new
//! value, wakes every waiter under `sync`, and rings [`GIL_CHANGED`] on the breaker of every
//! thread that ever registered. Each thread re-reads the mode at its next tick: a holder of a
//! lock now off releases it; a thread running without the lock, now on, takes it. Waiters and
//! hand-off waiters read the mode under `sync` before they sleep, so a lock switched off never
//! leaves one asleep, and a switch to `off` lets a hand-off waiter go too, since no waiter
//! will take the lock from it any more.

mod clock;
mod interpreters;
mod stats;
mod trace;

use std::sync::atomic::Ordering::*;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::sync::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Condvar, Mutex, MutexGuard};

use crate::breaker::{EvalBreaker, COUNT_TICKS, DROP, GIL_CHANGED};
pub use interpreters::Interpreters;
pub use stats::{Release, Stats};
use trace::Trace;
pub use trace::{TraceEvent, TraceKind, TRACE_CAPACITY};

use stats::Counters;

/// `sys.getswitchinterval()`'s default: 5 ms.
pub const DEFAULT_SWITCH_INTERVAL: Duration = Duration::from_millis(5);
/// The shortest switch interval: 1 µs, CPython's floor too.
pub const MIN_SWITCH_INTERVAL: Duration = Duration::from_micros(1);
/// The longest switch interval: 1000 s.
pub const MAX_SWITCH_INTERVAL: Duration = Duration::from_secs(1000);
/// Legacy mode's period, in ticks: Python 2's default `sys.getcheckinterval()`. Under loom,
/// 2: the period's length changes none of the lock's states, and loom's runs stay short.
#[cfg(not(loom))]
pub const LEGACY_CHECK_INTERVAL: u32 = 100;
#[cfg(loom)]
pub const LEGACY_CHECK_INTERVAL: u32 = 2;

/// How the lock behaves; see the module's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    Off = 0,
    CPython = 1,
    Legacy = 2,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::CPython => "cpython",
            Mode::Legacy => "legacy",
        }
    }

    pub fn parse(name: &str) -> Option<Mode> {
        [Mode::Off, Mode::CPython, Mode::Legacy].into_iter().find(|m| m.name() == name)
    }

    fn from_u8(value: u8) -> Mode {
        match value {
            1 => Mode::CPython,
            2 => Mode::Legacy,
            _ => Mode::Off,
        }
    }
}

const WAITERS: u32 = 1;
/// The holder field of a lock released to its waiters. Thread ids stay below it.
const RESERVED: u32 = u32::MAX >> 1;

fn holder_of(word: u32) -> u32 {
    word >> 1
}

/// One thread's membership of a lock: its id, its eval breaker, its counters.
pub struct GilThread {
    id: u32,
    name: String,
    breaker: EvalBreaker,
    counters: Counters,
    /// What a reset saw; stats report the counters minus this.
    baseline: Mutex<Stats>,
    trace: Trace,
    retired: AtomicBool,
}

impl GilThread {
    pub fn id(&self) -> u32 {
        self.id
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The breaker of this thread: whoever runs kernels on it ticks against it.
    pub fn breaker(&self) -> &EvalBreaker {
        &self.breaker
    }
}

/// One thread's stats, as [`Gil::stats`] reports them.
#[derive(Debug, Clone)]
pub struct ThreadStats {
    /// The interpreter whose lock the thread is bound to: 0 for the main one.
    pub interpreter: u32,
    /// Unique within its interpreter's lock.
    pub id: u32,
    pub name: String,
    /// The thread has exited; its counts still add to the totals until the next reset.
    pub retired: bool,
    pub stats: Stats,
}

/// The lock. See the module's header for the algorithm and its invariants.
pub struct Gil {
    /// Which interpreter's lock this is: 0 for the main one; see [`Interpreters`].
    interpreter: u32,
    word: AtomicU32,
    mode: AtomicU8,
    interval_us: AtomicU64,
    drop_request: AtomicBool,
    last_holder: AtomicU32,
    switch_number: AtomicU64,
    /// `switch_number` at the last reset of the stats.
    switches_baseline: AtomicU64,
    /// Guards sleeping on the two conditions, and what only waiters need.
    sync: Mutex<Waiting>,
    /// Signalled when the lock is released, the mode or the interval changes.
    released: Condvar,
    /// Signalled when `last_holder` changes, or the mode does.
    switched: Condvar,
    threads: Mutex<Vec<Arc<GilThread>>>,
    next_id: AtomicU32,
    /// Threads that believe they hold the lock: never more than one.
    #[cfg(any(test, debug_assertions, loom))]
    holders: AtomicU32,
}

/// The state of the slow path, under `sync`.
#[derive(Default)]
struct Waiting {
    /// Threads waiting to take the lock.
    count: u32,
    /// While the lock is `RESERVED`: the thread that released it, which may not take it.
    reserved_by: u32,
    /// Under loom: switch intervals let pass (`Gil::let_time_pass`), each to end one wait.
    #[cfg(loom)]
    elapsed: u32,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Default for Gil {
    fn default() -> Self {
        Gil::new()
    }
}

impl Gil {
    /// A lock that is off, with the default switch interval: the main interpreter's.
    pub fn new() -> Gil {
        Gil::for_interpreter(0)
    }

    /// The lock of interpreter `interpreter`, off, with the default switch interval.
    pub fn for_interpreter(interpreter: u32) -> Gil {
        Gil {
            interpreter,
            word: AtomicU32::new(0),
            mode: AtomicU8::new(Mode::Off as u8),
            interval_us: AtomicU64::new(DEFAULT_SWITCH_INTERVAL.as_micros() as u64),
            drop_request: AtomicBool::new(false),
            last_holder: AtomicU32::new(0),
            switch_number: AtomicU64::new(0),
            switches_baseline: AtomicU64::new(0),
            sync: Mutex::new(Waiting::default()),
            released: Condvar::new(),
            switched: Condvar::new(),
            threads: Mutex::new(Vec::new()),
            next_id: AtomicU32::new(1),
            #[cfg(any(test, debug_assertions, loom))]
            holders: AtomicU32::new(0),
        }
    }

    /// The process's main lock (interpreter 0): the binding's thread pools and its sync calls
    /// share it.
    pub fn process() -> &'static Arc<Gil> {
        static PROCESS: OnceLock<Arc<Gil>> = OnceLock::new();
        PROCESS.get_or_init(|| Arc::new(Gil::new()))
    }

    pub fn interpreter(&self) -> u32 {
        self.interpreter
    }

    pub fn mode(&self) -> Mode {
        Mode::from_u8(self.mode.load(Acquire))
    }

    pub fn set_mode(&self, mode: Mode) {
        if Mode::from_u8(self.mode.swap(mode as u8, AcqRel)) != mode {
            self.announce_change();
        }
    }

    pub fn switch_interval(&self) -> Duration {
        Duration::from_micros(self.interval_us.load(Relaxed))
    }

    /// Sets the interval, rounded to whole microseconds and clamped to
    /// [`MIN_SWITCH_INTERVAL`]..=[`MAX_SWITCH_INTERVAL`].
    pub fn set_switch_interval(&self, interval: Duration) {
        let us = (interval.as_nanos() as f64 / 1000.0).round() as u64;
        let us = us.clamp(MIN_SWITCH_INTERVAL.as_micros() as u64, MAX_SWITCH_INTERVAL.as_micros() as u64);
        if self.interval_us.swap(us, Relaxed) != us {
            self.announce_change();
        }
    }

    /// Wakes every waiter and rings every thread, as the header's last section says. A
    /// reservation is lifted: the lock is free for whoever the new settings let take it.
    fn announce_change(&self) {
        {
            let waiting = lock(&self.sync);
            if holder_of(self.word.load(Acquire)) == RESERVED {
                self.word.store(if waiting.count > 0 { WAITERS } else { 0 }, Release);
            }
            self.released.notify_all();
            self.switched.notify_all();
        }
        for thread in lock(&self.threads).iter() {
            thread.breaker.raise(GIL_CHANGED);
        }
    }

    /// Makes a member for a new thread; `name` labels its stats.
    pub fn register(&self, name: impl Into<String>) -> Arc<GilThread> {
        let thread = Arc::new(GilThread {
            id: self.next_id.fetch_add(1, Relaxed),
            name: name.into(),
            breaker: EvalBreaker::new(),
            counters: Counters::default(),
            baseline: Mutex::new(Stats::default()),
            trace: Trace::new(),
            retired: AtomicBool::new(false),
        });
        lock(&self.threads).push(Arc::clone(&thread));
        thread
    }

    /// Marks `thread` as exited: its stats stay until the next reset, then it is forgotten.
    pub fn retire(&self, thread: &GilThread) {
        thread.retired.store(true, Relaxed);
    }

    /// Every registered thread's stats since the last reset, in the order they registered.
    pub fn stats(&self) -> Vec<ThreadStats> {
        lock(&self.threads)
            .iter()
            .map(|t| ThreadStats {
                interpreter: self.interpreter,
                id: t.id,
                name: t.name.clone(),
                retired: t.retired.load(Relaxed),
                stats: t.counters.snapshot().since(&lock(&t.baseline)),
            })
            .collect()
    }

    /// Times the holder changed (CPython's `switch_number`) since the last reset.
    pub fn switches(&self) -> u64 {
        self.switch_number.load(Relaxed) - self.switches_baseline.load(Relaxed)
    }

    /// Starts every count and the trace afresh, and forgets the threads that have exited.
    pub fn reset_stats(&self) {
        let mut threads = lock(&self.threads);
        threads.retain(|t| !t.retired.load(Relaxed));
        for t in threads.iter() {
            *lock(&t.baseline) = t.counters.snapshot();
            t.trace.clear();
        }
        self.switches_baseline.store(self.switch_number.load(Relaxed), Relaxed);
    }

    /// The newest `limit` events of every thread's trace, oldest first. Each thread keeps its
    /// last [`TRACE_CAPACITY`] events; where one has lost older ones, the timeline starts at
    /// its oldest kept event, so that it misses no event of any thread.
    pub fn trace(&self, limit: usize) -> Vec<TraceEvent> {
        trace::merge(self.trace_rings(), limit)
    }

    /// Each thread's trace, and whether it has wrapped, for [`trace::merge`].
    fn trace_rings(&self) -> Vec<(Vec<TraceEvent>, bool)> {
        lock(&self.threads).iter().map(|t| (t.trace.read(self.interpreter, t.id), t.trace.wrapped())).collect()
    }

    /// The clock of the trace and the stats: nanoseconds since the process first read it.
    pub fn now_ns(&self) -> u64 {
        clock::now_ns()
    }

    /// The id of the thread that holds the lock, if any.
    pub fn holder(&self) -> Option<u32> {
        Some(holder_of(self.word.load(Acquire))).filter(|&id| id != 0 && id != RESERVED)
    }

    /// Takes the lock for `me`, waiting as the header says. Returns when it was taken, or
    /// `None` when the lock is off (then `me` runs without it). A contended take traces the
    /// start of its wait, unless `wait_traced`: `me` already waits, its forced release traced
    /// that (see `release`). A take that finds the lock free traces its take and no more.
    fn take(&self, me: &GilThread, wait_traced: bool) -> Option<u64> {
        if self.mode() == Mode::Off {
            return None;
        }
        if self.word.compare_exchange(0, me.id << 1, Acquire, Relaxed).is_ok() {
            let now = self.now_ns();
            self.taken(me);
            me.counters.took(false, 0);
            me.trace.record(TraceKind::Take, now);
            return Some(now);
        }
        self.take_contended(me, wait_traced)
    }

    #[cold]
    fn take_contended(&self, me: &GilThread, wait_traced: bool) -> Option<u64> {
        let start = self.now_ns();
        if !wait_traced {
            me.trace.record(TraceKind::Wait, start);
        }
        let mut waiting = lock(&self.sync);
        waiting.count += 1;
        let mut word = self.word.fetch_or(WAITERS, AcqRel) | WAITERS;
        let taken = loop {
            let mode = self.mode();
            if mode == Mode::Off {
                break false;
            }
            let holder = holder_of(word);
            if holder == 0 || holder == RESERVED && waiting.reserved_by != me.id {
                break true;
            }
            let saved_switch_number = self.switch_number.load(Relaxed);
            let interval = self.switch_interval();
            let (guard, timed_out) = self.wait_released(waiting, interval);
            waiting = guard;
            word = self.word.load(Acquire);
            // As take_gil: timed out, still held, and no switch meanwhile: ask for it.
            let holder = holder_of(word);
            if timed_out
                && mode == Mode::CPython
                && self.mode() == Mode::CPython
                && holder != 0
                && holder != RESERVED
                && self.switch_number.load(Relaxed) == saved_switch_number
            {
                self.request_drop(me, holder);
            }
        };
        waiting.count -= 1;
        let still_waiting = if waiting.count > 0 { WAITERS } else { 0 };
        if !taken {
            if still_waiting == 0 {
                // The last waiter goes (the lock is off): no reservation is left for nobody.
                let holder = holder_of(self.word.load(Acquire));
                self.word.store(if holder == RESERVED { 0 } else { holder << 1 }, Release);
            }
            return None;
        }
        waiting.reserved_by = 0;
        self.word.store(me.id << 1 | still_waiting, Release);
        let now = self.now_ns();
        if self.taken(me) {
            self.switched.notify_all();
        }
        drop(waiting);
        me.counters.took(true, now - start);
        me.trace.record(TraceKind::Take, now);
        Some(now)
    }

    /// Waits on `released` for at most `interval`; true when the time ran out.
    #[cfg(not(loom))]
    fn wait_released<'a>(
        &self,
        waiting: MutexGuard<'a, Waiting>,
        interval: Duration,
    ) -> (MutexGuard<'a, Waiting>, bool) {
        let (guard, wait) = self.released.wait_timeout(waiting, interval).unwrap_or_else(|e| e.into_inner());
        (guard, wait.timed_out())
    }

    /// Under loom, which has no clock: a wait ends when `released` is notified, or times out
    /// when a model's timer thread lets time pass ([`Gil::let_time_pass`]) — at whatever
    /// point of the schedule loom picks, so that a wait may time out at any moment after it
    /// began, whatever the interval.
    #[cfg(loom)]
    fn wait_released<'a>(
        &self,
        mut waiting: MutexGuard<'a, Waiting>,
        _interval: Duration,
    ) -> (MutexGuard<'a, Waiting>, bool) {
        if waiting.elapsed == 0 {
            waiting = self.released.wait(waiting).unwrap_or_else(|e| e.into_inner());
        }
        let timed_out = waiting.elapsed > 0;
        if timed_out {
            waiting.elapsed -= 1;
        }
        (waiting, timed_out)
    }

    /// Under loom: one switch interval passes for one waiter, whose wait (now, or its next)
    /// times out.
    #[cfg(loom)]
    pub fn let_time_pass(&self) {
        let mut waiting = lock(&self.sync);
        waiting.elapsed += 1;
        self.released.notify_all();
    }

    /// The bookkeeping of every take; true when it was a switch (a new holder).
    fn taken(&self, me: &GilThread) -> bool {
        #[cfg(any(test, debug_assertions, loom))]
        assert_eq!(self.holders.fetch_add(1, AcqRel), 0, "two threads hold the GIL");
        if self.drop_request.load(Relaxed) {
            self.drop_request.store(false, Relaxed);
        }
        if self.last_holder.load(Relaxed) == me.id {
            return false;
        }
        self.last_holder.store(me.id, Relaxed);
        self.switch_number.fetch_add(1, Relaxed);
        true
    }

    /// Sets the drop request and rings the holder's breaker. Called under `sync`, with
    /// `WAITERS` set, so `holder` does hold the lock.
    fn request_drop(&self, me: &GilThread, holder: u32) {
        self.drop_request.store(true, Release);
        if let Some(thread) = lock(&self.threads).iter().find(|t| t.id == holder) {
            thread.breaker.raise(DROP);
        }
        me.counters.requested_drop();
        me.trace.record(TraceKind::DropRequest, self.now_ns());
    }

    /// Releases the lock that `me` took at `since`. A forced release then waits for the
    /// hand-off: until another thread has taken the lock, the lock is off, or nobody waits.
    /// Returns whether it waited for the hand-off, however briefly: then it traced the start
    /// of `me`'s wait, which its next take ends.
    fn release(&self, me: &GilThread, since: u64, why: Release) -> bool {
        let now = self.now_ns();
        me.counters.released(now - since, why);
        me.trace.record(TraceKind::Release(why), now);
        #[cfg(any(test, debug_assertions, loom))]
        self.holders.fetch_sub(1, AcqRel);
        if why == Release::Forced {
            // As drop_gil: the request is met; the next one must be asked again.
            self.drop_request.store(false, Relaxed);
        }
        if self.word.compare_exchange(me.id << 1, 0, Release, Relaxed).is_ok() {
            return false; // nobody waits, so nobody will take it from us: no hand-off to wait for
        }
        let mut waiting = lock(&self.sync);
        debug_assert_eq!(holder_of(self.word.load(Relaxed)), me.id);
        if waiting.count == 0 {
            // The waiters that set WAITERS have gone meanwhile (the lock was switched off):
            // reserving the lock for them would reserve it for nobody, and the next thread to
            // come, if it were this one, would wait for ever. (Found by tests/loom_gil.rs.)
            self.word.store(0, Release);
            return false;
        }
        // Threads wait (WAITERS is set): in cpython mode, the lock goes to one of them.
        if self.mode() == Mode::CPython {
            self.word.store(RESERVED << 1 | WAITERS, Release);
            waiting.reserved_by = me.id;
        } else {
            self.word.store(WAITERS, Release);
        }
        self.released.notify_one();
        if why != Release::Forced {
            return false;
        }
        let start = self.now_ns();
        me.trace.record(TraceKind::Wait, start);
        while self.last_holder.load(Relaxed) == me.id && self.mode() == Mode::CPython && waiting.count > 0 {
            waiting = self.switched.wait(waiting).unwrap_or_else(|e| e.into_inner());
        }
        drop(waiting);
        me.counters.waited_for_hand_off(self.now_ns() - start);
        true
    }
}

/// A task's hold on the lock, kept by its [`Ticker`]: whether its thread holds the lock now.
/// Only that thread touches it.
pub(crate) struct Seat<'a> {
    gil: &'a Gil,
    thread: &'a GilThread,
    /// When the thread took the lock, while it holds it.
    held_since: Option<u64>,
    /// Legacy mode: ticks left before the periodic release.
    ticks_left: u32,
}

impl<'a> Seat<'a> {
    /// Takes the lock unless it is off.
    pub(crate) fn enter(gil: &'a Gil, thread: &'a GilThread) -> Seat<'a> {
        let mut seat = Seat { gil, thread, held_since: None, ticks_left: LEGACY_CHECK_INTERVAL };
        seat.follow_mode();
        seat
    }

    pub(crate) fn holds(&self) -> bool {
        self.held_since.is_some()
    }

    /// At a tick whose breaker bits asked for the lock: `pending` are the bits taken from the
    /// breaker (`DROP`, `GIL_CHANGED`), plus `COUNT_TICKS` when it is set.
    pub(crate) fn at_tick(&mut self, pending: u32) {
        if pending & GIL_CHANGED != 0 {
            self.follow_mode();
        }
        let Some(since) = self.held_since else { return };
        match self.gil.mode() {
            Mode::CPython if pending & DROP != 0 && self.gil.drop_request.load(Acquire) => {
                self.held_since = None;
                let wait_traced = self.gil.release(self.thread, since, Release::Forced);
                self.held_since = self.gil.take(self.thread, wait_traced);
            }
            Mode::Legacy if pending & COUNT_TICKS != 0 => {
                self.ticks_left -= 1;
                if self.ticks_left == 0 {
                    self.ticks_left = LEGACY_CHECK_INTERVAL;
                    self.held_since = None;
                    self.gil.release(self.thread, since, Release::Periodic);
                    self.held_since = self.gil.take(self.thread, false);
                }
            }
            _ => {}
        }
    }

    /// Releases the lock before a blocking call.
    pub(crate) fn release_for_blocking(&mut self) {
        if let Some(since) = self.held_since.take() {
            self.gil.release(self.thread, since, Release::Voluntary);
        }
    }

    /// Brings this thread in line with the lock's mode: takes the lock if it is on and not
    /// held, releases it if it is off and held; keeps `COUNT_TICKS` raised in legacy mode.
    pub(crate) fn follow_mode(&mut self) {
        let mode = self.gil.mode();
        if mode == Mode::Legacy {
            self.thread.breaker.raise(COUNT_TICKS);
        } else if self.thread.breaker.is_raised(COUNT_TICKS) {
            self.thread.breaker.clear(COUNT_TICKS);
        }
        match (mode, self.held_since) {
            (Mode::Off, Some(since)) => {
                self.held_since = None;
                self.gil.release(self.thread, since, Release::Disabled);
            }
            (Mode::CPython | Mode::Legacy, None) => self.held_since = self.gil.take(self.thread, false),
            _ => {}
        }
    }

    /// Ends the task's hold: releases the lock if held. Dropping the seat does it too.
    pub(crate) fn leave(&mut self) {
        if self.thread.breaker.is_raised(COUNT_TICKS) {
            self.thread.breaker.clear(COUNT_TICKS);
        }
        if let Some(since) = self.held_since.take() {
            self.gil.release(self.thread, since, Release::TaskEnd);
        }
    }
}

impl Drop for Seat<'_> {
    fn drop(&mut self) {
        self.leave();
    }
}

#[cfg(test)]
mod tests;
