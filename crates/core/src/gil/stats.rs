//! What each thread did with the lock: counters that its own thread writes and anyone reads.
//!
//! Invariants:
//! - only the thread that owns a [`Counters`] adds to it (a relaxed load and store, no
//!   read-modify-write), so an uncontended take and release stay cheap;
//! - nobody ever zeroes them: a reset records a baseline that later reads subtract, so a reset
//!   racing with the owner loses no update.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// The counts of one thread, or of several added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Times the thread took the lock.
    pub takes: u64,
    /// Takes that found the lock held and had to wait.
    pub contended_takes: u64,
    /// Drop requests this thread made while it waited (as CPython's `SET_GIL_DROP_REQUEST`).
    pub drop_requests: u64,
    /// Times this thread dropped the lock because another asked for it.
    pub forced_switches: u64,
    /// Releases around a blocking call (`allow_threads`).
    pub voluntary_releases: u64,
    /// Releases of every kind: forced, voluntary, periodic (legacy), at the end of a task, on
    /// a switch to `off`. Equal to `takes` whenever the thread does not hold the lock.
    pub releases: u64,
    /// Time spent waiting: to take the lock, and after a forced drop, for the hand-off.
    pub wait_ns: u64,
    /// Time spent holding the lock.
    pub hold_ns: u64,
}

macro_rules! each_field {
    ($m:ident) => {
        $m!(takes, contended_takes, drop_requests, forced_switches, voluntary_releases, releases, wait_ns, hold_ns)
    };
}

impl Stats {
    /// `self - earlier`, field by field.
    pub fn since(&self, earlier: &Stats) -> Stats {
        macro_rules! sub {
            ($($f:ident),*) => { Stats { $($f: self.$f.wrapping_sub(earlier.$f)),* } };
        }
        each_field!(sub)
    }

    /// `self + other`, field by field.
    pub fn plus(&self, other: &Stats) -> Stats {
        macro_rules! add {
            ($($f:ident),*) => { Stats { $($f: self.$f + other.$f),* } };
        }
        each_field!(add)
    }
}

/// The live counters of one thread. See the module's invariants.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    takes: AtomicU64,
    contended_takes: AtomicU64,
    drop_requests: AtomicU64,
    forced_switches: AtomicU64,
    voluntary_releases: AtomicU64,
    releases: AtomicU64,
    wait_ns: AtomicU64,
    hold_ns: AtomicU64,
}

/// Adds to a counter that only the calling thread writes.
#[inline(always)]
fn bump(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Relaxed).wrapping_add(n), Relaxed);
}

impl Counters {
    pub(crate) fn took(&self, contended: bool, waited_ns: u64) {
        bump(&self.takes, 1);
        if contended {
            bump(&self.contended_takes, 1);
            bump(&self.wait_ns, waited_ns);
        }
    }

    pub(crate) fn released(&self, held_ns: u64, why: Release) {
        bump(&self.releases, 1);
        bump(&self.hold_ns, held_ns);
        match why {
            Release::Forced => bump(&self.forced_switches, 1),
            Release::Voluntary => bump(&self.voluntary_releases, 1),
            Release::Periodic | Release::TaskEnd | Release::Disabled => {}
        }
    }

    pub(crate) fn requested_drop(&self) {
        bump(&self.drop_requests, 1);
    }

    pub(crate) fn waited_for_hand_off(&self, ns: u64) {
        bump(&self.wait_ns, ns);
    }

    pub(crate) fn snapshot(&self) -> Stats {
        macro_rules! load {
            ($($f:ident),*) => { Stats { $($f: self.$f.load(Relaxed)),* } };
        }
        each_field!(load)
    }
}

/// Why a thread let go of the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// Another thread asked (a drop request): forced switching.
    Forced,
    /// Around a blocking call.
    Voluntary,
    /// Legacy mode's release every so many ticks.
    Periodic,
    /// Its task ended.
    TaskEnd,
    /// The lock was switched off.
    Disabled,
}

impl Release {
    pub fn name(self) -> &'static str {
        match self {
            Release::Forced => "forced",
            Release::Voluntary => "voluntary",
            Release::Periodic => "periodic",
            Release::TaskEnd => "task-end",
            Release::Disabled => "disabled",
        }
    }
}
