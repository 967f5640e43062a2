//! A bounded record of who waited for, took and released the lock when: each thread keeps a
//! ring of its last [`TRACE_CAPACITY`] events, and a read merges the rings by time.
//!
//! Invariants: only the ring's own thread writes it (no read-modify-write, so recording costs
//! a few plain stores); each slot is a seqlock — event `i` goes to slot `i % TRACE_CAPACITY`,
//! whose writer marks it odd (`2i + 1`), writes the event, then marks it even (`2i + 2`) — and
//! a reader keeps an event only if it saw `2i + 2` before and after reading it, so it never
//! returns half an event.

use std::sync::atomic::{fence, AtomicU64, Ordering::*};

use super::stats::Release;

/// Events kept per thread; older ones are overwritten.
pub const TRACE_CAPACITY: usize = 1 << 12;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceKind {
    Take,
    Release(Release),
    /// A waiter asked the holder to drop the lock.
    DropRequest,
    /// The thread began to wait for the lock: a take that found it held, or a forced release
    /// that waits for the hand-off and then queues. Its next take ends the wait.
    Wait,
}

impl TraceKind {
    fn code(self) -> u64 {
        match self {
            TraceKind::Take => 0,
            TraceKind::DropRequest => 1,
            TraceKind::Release(Release::Forced) => 2,
            TraceKind::Release(Release::Voluntary) => 3,
            TraceKind::Release(Release::Periodic) => 4,
            TraceKind::Release(Release::TaskEnd) => 5,
            TraceKind::Release(Release::Disabled) => 6,
            TraceKind::Wait => 7,
        }
    }

    fn from_code(code: u64) -> TraceKind {
        match code {
            0 => TraceKind::Take,
            1 => TraceKind::DropRequest,
            2 => TraceKind::Release(Release::Forced),
            3 => TraceKind::Release(Release::Voluntary),
            4 => TraceKind::Release(Release::Periodic),
            5 => TraceKind::Release(Release::TaskEnd),
            6 => TraceKind::Release(Release::Disabled),
            _ => TraceKind::Wait,
        }
    }
}

/// One event: which thread (its interpreter, and its id in that interpreter's lock), what, and
/// when (ns on the locks' clock, `Gil::now_ns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceEvent {
    pub interpreter: u32,
    pub thread: u32,
    pub kind: TraceKind,
    pub time_ns: u64,
}

struct Slot {
    seq: AtomicU64,
    time_ns: AtomicU64,
    kind: AtomicU64,
}

/// One thread's ring.
pub(crate) struct Trace {
    slots: Box<[Slot]>,
    /// Number of events ever recorded; written by the owner only.
    head: AtomicU64,
    /// Events before this one were cleared by a reset.
    start: AtomicU64,
}

impl Trace {
    pub(crate) fn new() -> Trace {
        let slots = (0..TRACE_CAPACITY)
            .map(|_| Slot { seq: AtomicU64::new(0), time_ns: AtomicU64::new(0), kind: AtomicU64::new(0) })
            .collect();
        Trace { slots, head: AtomicU64::new(0), start: AtomicU64::new(0) }
    }

    /// Appends an event. Only the ring's own thread calls this.
    #[inline]
    pub(crate) fn record(&self, kind: TraceKind, time_ns: u64) {
        let i = self.head.load(Relaxed);
        let slot = &self.slots[i as usize % TRACE_CAPACITY];
        slot.seq.store(2 * i + 1, Relaxed);
        fence(Release);
        slot.time_ns.store(time_ns, Relaxed);
        slot.kind.store(kind.code(), Relaxed);
        slot.seq.store(2 * i + 2, Release);
        self.head.store(i + 1, Release);
    }

    /// The events still in the ring, oldest first, as those of `thread` of `interpreter`.
    pub(crate) fn read(&self, interpreter: u32, thread: u32) -> Vec<TraceEvent> {
        let head = self.head.load(Acquire);
        let first = head.saturating_sub(TRACE_CAPACITY as u64).max(self.start.load(Relaxed));
        (first..head)
            .filter_map(|i| {
                let slot = &self.slots[i as usize % TRACE_CAPACITY];
                let before = slot.seq.load(Acquire);
                let time_ns = slot.time_ns.load(Relaxed);
                let kind = slot.kind.load(Relaxed);
                fence(Acquire);
                let after = slot.seq.load(Relaxed);
                (before == 2 * i + 2 && after == before).then(|| TraceEvent {
                    interpreter,
                    thread,
                    kind: TraceKind::from_code(kind),
                    time_ns,
                })
            })
            .collect()
    }

    /// Whether events were overwritten since the last reset: then the ring covers only its
    /// newest `TRACE_CAPACITY` events.
    pub(crate) fn wrapped(&self) -> bool {
        self.head.load(Acquire) - self.start.load(Relaxed) > TRACE_CAPACITY as u64
    }

    /// Forgets every event so far.
    pub(crate) fn clear(&self) {
        self.start.store(self.head.load(Acquire), Relaxed);
    }
}

/// Merges the rings of several threads into one timeline of the newest `limit` events. Where
/// a ring has wrapped, the timeline starts at that ring's oldest event, so that it is
/// complete for every thread over the span it covers.
pub(crate) fn merge(rings: Vec<(Vec<TraceEvent>, bool)>, limit: usize) -> Vec<TraceEvent> {
    let complete_from = rings
        .iter()
        .filter(|(events, wrapped)| *wrapped && !events.is_empty())
        .map(|(events, _)| events[0].time_ns)
        .max()
        .unwrap_or(0);
    let mut all: Vec<TraceEvent> =
        rings.into_iter().flat_map(|(events, _)| events).filter(|e| e.time_ns >= complete_from).collect();
    all.sort_by_key(|e| e.time_ns);
    all.split_off(all.len().saturating_sub(limit))
}
