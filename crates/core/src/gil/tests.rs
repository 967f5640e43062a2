//! The lock's invariants, each under real threads: never two holders; a drop request is
//! honoured at the next tick; a forced release hands the lock to another thread; mode and
//! interval changes lose no task and deadlock nothing; the stats add up.

use super::*;
use crate::breaker::CANCEL;
use crate::pool::ThreadPool;
use crate::{Interrupted, Ticker};
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

fn gil(mode: Mode, interval: Duration) -> Arc<Gil> {
    let gil = Arc::new(Gil::new());
    gil.set_mode(mode);
    gil.set_switch_interval(interval);
    gil
}

fn spin(duration: Duration) {
    let until = Instant::now() + duration;
    while Instant::now() < until {
        std::hint::spin_loop();
    }
}

/// Waits until `condition` holds, or fails after 10 s.
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        thread::sleep(Duration::from_micros(100));
    }
}

fn total(gil: &Gil) -> Stats {
    gil.stats().iter().fold(Stats::default(), |sum, t| sum.plus(&t.stats))
}

fn kinds_of(gil: &Gil, thread: &GilThread) -> Vec<TraceKind> {
    gil.trace(usize::MAX).into_iter().filter(|e| e.thread == thread.id()).map(|e| e.kind).collect()
}

/// A thread's trace of one task in which it let go of the lock once, for `why`, and then
/// waited to take it back.
fn let_go_once_then_waited(why: Release) -> [TraceKind; 5] {
    [TraceKind::Take, TraceKind::Release(why), TraceKind::Wait, TraceKind::Take, TraceKind::Release(Release::TaskEnd)]
}

/// Checks each thread's waits in `trace` against its stats, and returns how many waits there
/// are in all. Per thread: a wait ends at the thread's next take, with only its drop requests
/// between; a forced release is followed by a wait (for the hand-off, then for the lock); the
/// waits, from their start to their take, cover the thread's `wait_ns` at least (a wait that
/// began with a hand-off also covers the step from it to the contended take); and each
/// contended take has a wait of its own, so the thread has at least `contended_takes` waits,
/// and at most one more per forced switch.
fn check_waits(gil: &Gil, trace: &[TraceEvent]) -> u64 {
    let mut all = 0;
    for t in gil.stats() {
        let events: Vec<_> = trace.iter().filter(|e| e.thread == t.id).collect();
        let (mut waits, mut waited_ns, mut since) = (0, 0, None);
        for (i, e) in events.iter().enumerate() {
            match e.kind {
                TraceKind::Wait => {
                    assert_eq!(since, None, "{}: a wait inside a wait", t.name);
                    since = Some(e.time_ns);
                    waits += 1;
                }
                TraceKind::DropRequest => assert!(since.is_some(), "{}: a drop request while not waiting", t.name),
                TraceKind::Take => waited_ns += since.take().map_or(0, |start| e.time_ns - start),
                TraceKind::Release(why) => {
                    assert_eq!(since, None, "{}: a release while waiting", t.name);
                    if why == Release::Forced {
                        assert_eq!(
                            events.get(i + 1).map(|e| e.kind),
                            Some(TraceKind::Wait),
                            "{}: no wait after a forced release",
                            t.name
                        );
                    }
                }
            }
        }
        let s = t.stats;
        assert!(waited_ns >= s.wait_ns, "{}: the waits cover {waited_ns} ns of {} ns", t.name, s.wait_ns);
        assert!(
            (s.contended_takes..=s.contended_takes + s.forced_switches).contains(&waits),
            "{}: {waits} waits for {s:?}",
            t.name
        );
        all += waits;
    }
    all
}

/// A task that ticks for `duration`, checking between every two ticks that no other thread
/// believes it holds the lock, and now and then releasing it around a short blocking call.
fn exclusive_ticks(
    ticker: &mut Ticker,
    inside: &AtomicUsize,
    duration: Duration,
    blocking_every: u32,
) -> Result<u64, Interrupted> {
    let until = Instant::now() + duration;
    let mut ticks = 0u64;
    while Instant::now() < until {
        if ticker.holds_gil() {
            assert_eq!(inside.fetch_add(1, SeqCst), 0, "two threads hold the GIL");
            spin(Duration::from_micros(5));
            inside.fetch_sub(1, SeqCst);
        }
        ticks += 1;
        if blocking_every > 0 && ticks.is_multiple_of(u64::from(blocking_every)) {
            ticker.allow_threads(|| thread::sleep(Duration::from_micros(20)));
        }
        ticker.tick()?;
    }
    Ok(ticks)
}

#[test]
fn an_uncontended_take_and_release_counts_once_and_is_traced() {
    let gil = gil(Mode::CPython, DEFAULT_SWITCH_INTERVAL);
    let me = gil.register("me");
    {
        let ticker = Ticker::under_gil(&gil, &me);
        assert!(ticker.holds_gil());
        assert_eq!(gil.holder(), Some(me.id()));
    }
    assert_eq!(gil.holder(), None);
    let stats = gil.stats()[0].stats;
    assert_eq!((stats.takes, stats.releases, stats.contended_takes, stats.wait_ns), (1, 1, 0, 0));
    assert_eq!(kinds_of(&gil, &me), [TraceKind::Take, TraceKind::Release(Release::TaskEnd)]);
    assert_eq!(gil.switches(), 1);
}

#[test]
fn a_lock_that_is_off_is_never_taken() {
    let gil = gil(Mode::Off, DEFAULT_SWITCH_INTERVAL);
    let me = gil.register("me");
    let mut ticker = Ticker::under_gil(&gil, &me);
    assert!(!ticker.holds_gil());
    ticker.allow_threads(|| ());
    assert_eq!(ticker.tick(), Ok(()));
    drop(ticker);
    assert_eq!(total(&gil), Stats::default());
    assert!(gil.trace(10).is_empty());
}

#[test]
fn never_two_holders_in_either_mode() {
    for mode in [Mode::CPython, Mode::Legacy] {
        let gil = gil(mode, Duration::from_micros(50));
        let inside = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..4)
            .map(|i| {
                let (gil, inside) = (Arc::clone(&gil), Arc::clone(&inside));
                thread::spawn(move || {
                    let me = gil.register(format!("t{i}"));
                    let mut ticker = Ticker::under_gil(&gil, &me);
                    exclusive_ticks(&mut ticker, &inside, Duration::from_millis(150), if i % 2 == 0 { 50 } else { 0 })
                })
            })
            .collect();
        for worker in workers {
            assert!(worker.join().unwrap().unwrap() > 0);
        }
        let stats = total(&gil);
        assert!(stats.contended_takes > 0, "{mode:?}: the threads never met: {stats:?}");
        assert_eq!(stats.takes, stats.releases);
    }
}

#[test]
fn a_drop_request_is_honoured_at_the_holders_next_tick() {
    let gil = gil(Mode::CPython, Duration::from_millis(1));
    let holder = gil.register("holder");
    let waiter = gil.register("waiter");
    let mut ticker = Ticker::under_gil(&gil, &holder);
    let (took, taken) = mpsc::channel();
    let waiting = {
        let (gil, waiter) = (Arc::clone(&gil), Arc::clone(&waiter));
        thread::spawn(move || {
            let ticker = Ticker::under_gil(&gil, &waiter);
            took.send(ticker.holds_gil()).unwrap();
        })
    };
    // The waiter asks once its 1 ms wait times out; until the holder ticks, nothing moves.
    eventually("the holder's breaker is rung", || holder.breaker().is_raised(DROP));
    thread::sleep(Duration::from_millis(5));
    assert_eq!(gil.holder(), Some(holder.id()));
    // One tick: the holder drops the lock, waits until the waiter has it, and queues again;
    // the waiter's task ends at once, so the tick returns holding the lock again.
    assert_eq!(ticker.tick(), Ok(()));
    assert!(taken.recv_timeout(Duration::from_secs(5)).unwrap());
    waiting.join().unwrap();
    assert!(ticker.holds_gil());
    drop(ticker);

    // The holder waits from its forced release (for the hand-off, then for the lock) to its
    // take: one wait, however the take went.
    assert_eq!(kinds_of(&gil, &holder), let_go_once_then_waited(Release::Forced));
    let waiter_kinds = kinds_of(&gil, &waiter);
    let n = waiter_kinds.len();
    assert!(
        n >= 4
            && waiter_kinds[0] == TraceKind::Wait
            && waiter_kinds[1..n - 2].iter().all(|k| *k == TraceKind::DropRequest)
    );
    assert_eq!(waiter_kinds[n - 2..], [TraceKind::Take, TraceKind::Release(Release::TaskEnd)]);
    check_waits(&gil, &gil.trace(usize::MAX));
    let (h, w) = (gil.stats()[0].stats, gil.stats()[1].stats);
    assert_eq!((h.forced_switches, h.takes), (1, 2));
    assert!(w.drop_requests >= 1 && w.contended_takes == 1);
}

#[test]
fn a_forced_release_is_followed_by_another_threads_take() {
    let gil = gil(Mode::CPython, Duration::from_micros(100));
    let inside = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..3).map(|i| gil.register(format!("t{i}"))).collect();
    // Rounds of 30 ms until there are enough switches to judge, however busy the machine.
    for _ in 0..50 {
        let workers: Vec<_> = threads
            .iter()
            .map(|me| {
                let (gil, inside, me) = (Arc::clone(&gil), Arc::clone(&inside), Arc::clone(me));
                thread::spawn(move || {
                    let mut ticker = Ticker::under_gil(&gil, &me);
                    exclusive_ticks(&mut ticker, &inside, Duration::from_millis(30), 0)
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap().unwrap();
        }
        if total(&gil).forced_switches >= 20 {
            break;
        }
    }
    let trace = gil.trace(usize::MAX);
    let sum = total(&gil);
    let waits = check_waits(&gil, &trace);
    assert_eq!(
        trace.len() as u64,
        sum.takes + sum.releases + sum.drop_requests + waits,
        "a ring wrapped; shorten the run"
    );
    let mut forced = 0;
    for (i, event) in trace.iter().enumerate() {
        if event.kind == TraceKind::Release(Release::Forced) {
            forced += 1;
            let next_take =
                trace[i + 1..].iter().find(|e| e.kind == TraceKind::Take).expect("a take after a forced release");
            assert_ne!(next_take.thread, event.thread, "a thread took back the lock it was asked to drop");
        }
    }
    assert!(forced >= 20, "only {forced} forced switches in 1.5 s at a 100 µs interval");
    assert_eq!(forced, sum.forced_switches);
}

#[test]
fn switching_the_lock_off_wakes_its_waiters() {
    let gil = gil(Mode::CPython, MAX_SWITCH_INTERVAL);
    let holder = gil.register("holder");
    let mut ticker = Ticker::under_gil(&gil, &holder);
    let (woke, woken) = mpsc::channel();
    for i in 0..3 {
        let (gil, woke) = (Arc::clone(&gil), woke.clone());
        thread::spawn(move || {
            let me = gil.register(format!("w{i}"));
            let ticker = Ticker::under_gil(&gil, &me);
            woke.send(ticker.holds_gil()).unwrap();
        });
    }
    eventually("three threads wait", || lock(&gil.sync).count == 3);
    gil.set_mode(Mode::Off);
    for _ in 0..3 {
        let held = woken.recv_timeout(Duration::from_secs(5)).expect("a waiter slept on in a lock that is off");
        assert!(!held, "a waiter took a lock that is off");
    }
    // Each waiter's trace holds the start of its wait, and no take: the wait ended with the lock.
    for t in gil.stats().iter().filter(|t| t.id != holder.id()) {
        let kinds: Vec<_> = gil.trace(usize::MAX).into_iter().filter(|e| e.thread == t.id).map(|e| e.kind).collect();
        assert_eq!(kinds, [TraceKind::Wait], "{}", t.name);
    }
    // The holder lets go at its next tick.
    assert!(ticker.holds_gil());
    ticker.tick().unwrap();
    assert!(!ticker.holds_gil());
    assert_eq!(gil.holder(), None);
    assert_eq!(kinds_of(&gil, &holder).last(), Some(&TraceKind::Release(Release::Disabled)));
    // And takes it again at the next tick after it is switched back on.
    gil.set_mode(Mode::CPython);
    ticker.tick().unwrap();
    assert!(ticker.holds_gil());
}

#[test]
fn legacy_mode_releases_every_check_interval_and_asks_for_nothing() {
    let gil = gil(Mode::Legacy, Duration::from_micros(10));
    let me = gil.register("me");
    let mut ticker = Ticker::under_gil(&gil, &me);
    for _ in 0..LEGACY_CHECK_INTERVAL * 5 / 2 {
        ticker.tick().unwrap();
    }
    assert!(ticker.holds_gil());
    let stats = gil.stats()[0].stats;
    assert_eq!((stats.takes, stats.releases), (3, 2));
    assert!(kinds_of(&gil, &me).contains(&TraceKind::Release(Release::Periodic)));

    // A waiter never asks for a drop, however long it waits.
    let waiting = {
        let gil = Arc::clone(&gil);
        thread::spawn(move || {
            let other = gil.register("other");
            drop(Ticker::under_gil(&gil, &other));
        })
    };
    eventually("the other thread waits", || lock(&gil.sync).count == 1);
    thread::sleep(Duration::from_millis(5));
    assert!(!me.breaker().is_raised(DROP));
    drop(ticker);
    waiting.join().unwrap();
    assert_eq!(total(&gil).drop_requests, 0);
    let other = gil.stats()[1].id;
    let other_kinds: Vec<_> = gil.trace(usize::MAX).into_iter().filter(|e| e.thread == other).map(|e| e.kind).collect();
    assert_eq!(other_kinds, [TraceKind::Wait, TraceKind::Take, TraceKind::Release(Release::TaskEnd)]);
}

#[test]
fn allow_threads_lets_another_thread_hold_the_lock_meanwhile() {
    let gil = gil(Mode::CPython, DEFAULT_SWITCH_INTERVAL);
    let me = gil.register("me");
    let mut ticker = Ticker::under_gil(&gil, &me);
    let other_held = ticker.allow_threads(|| {
        assert_eq!(gil.holder(), None);
        let gil = Arc::clone(&gil);
        thread::spawn(move || {
            let other = gil.register("other");
            let ticker = Ticker::under_gil(&gil, &other);
            ticker.holds_gil()
        })
        .join()
        .unwrap()
    });
    assert!(other_held);
    assert!(ticker.holds_gil());
    drop(ticker);
    let stats = gil.stats()[0].stats;
    assert_eq!((stats.takes, stats.voluntary_releases, stats.releases), (2, 1, 2));
}

#[test]
fn a_release_while_a_thread_waits_hands_it_the_lock() {
    let gil = gil(Mode::CPython, MAX_SWITCH_INTERVAL); // no drop request: only the release lets go
    let me = gil.register("me");
    let other = gil.register("other");
    let mut ticker = Ticker::under_gil(&gil, &me);
    let waiting = {
        let (gil, other) = (Arc::clone(&gil), Arc::clone(&other));
        thread::spawn(move || {
            let ticker = Ticker::under_gil(&gil, &other);
            thread::sleep(Duration::from_millis(20));
            drop(ticker);
        })
    };
    eventually("the other thread waits", || lock(&gil.sync).count == 1);
    // A blocking call that returns at once: the waiter gets the lock first, so taking it
    // back waits for the waiter's whole task.
    let started = Instant::now();
    ticker.allow_threads(|| ());
    let took_back_after = started.elapsed();
    drop(ticker);
    waiting.join().unwrap();
    let takers: Vec<_> =
        gil.trace(usize::MAX).into_iter().filter(|e| e.kind == TraceKind::Take).map(|e| e.thread).collect();
    assert_eq!(takers, [me.id(), other.id(), me.id()]);
    // Both contended takes, the other thread's and taking the lock back, trace their waits
    // first; the first take, uncontended, none.
    assert_eq!(kinds_of(&gil, &other), [TraceKind::Wait, TraceKind::Take, TraceKind::Release(Release::TaskEnd)]);
    assert_eq!(kinds_of(&gil, &me), let_go_once_then_waited(Release::Voluntary));
    // From its start to its take, the wait is what the stats count as waiting.
    let mine: Vec<_> = gil.trace(usize::MAX).into_iter().filter(|e| e.thread == me.id()).collect();
    assert_eq!(mine[3].time_ns - mine[2].time_ns, gil.stats()[0].stats.wait_ns);
    assert!(took_back_after >= Duration::from_millis(20), "took it back after {took_back_after:?}");
}

#[test]
fn a_cancel_that_arrives_while_taking_the_lock_back_stops_the_task() {
    let gil = gil(Mode::Off, DEFAULT_SWITCH_INTERVAL);
    let me = gil.register("me");
    let mut ticker = Ticker::under_gil(&gil, &me);
    gil.set_mode(Mode::CPython);
    me.breaker().raise(CANCEL);
    assert_eq!(ticker.tick(), Err(Interrupted::Cancelled));
}

#[test]
fn toggling_and_interval_changes_under_many_threads_lose_nothing() {
    let gil = gil(Mode::CPython, Duration::from_micros(200));
    let pool = ThreadPool::new(8, Arc::clone(&gil), "pool");
    let inside = Arc::new(AtomicUsize::new(0));
    let (done, finished) = mpsc::channel();
    const TASKS: usize = 400;
    for i in 0..TASKS {
        let (done, inside) = (done.clone(), Arc::clone(&inside));
        pool.submit(Box::new(move |ticker| {
            let ticks = exclusive_ticks(ticker.unwrap(), &inside, Duration::from_micros(300), 7).unwrap();
            done.send((i, ticks)).unwrap();
        }))
        .unwrap();
    }
    let toggling = Arc::new(AtomicBool::new(true));
    let toggler = {
        let (gil, toggling) = (Arc::clone(&gil), Arc::clone(&toggling));
        thread::spawn(move || {
            let modes = [Mode::Off, Mode::CPython, Mode::Legacy, Mode::CPython];
            let intervals = [1, 5000, 10, 100_000, 100];
            let mut changes = 0;
            while toggling.load(SeqCst) {
                gil.set_mode(modes[changes % modes.len()]);
                gil.set_switch_interval(Duration::from_micros(intervals[changes % intervals.len()]));
                changes += 1;
                thread::sleep(Duration::from_micros(300));
            }
            changes
        })
    };
    let mut seen: Vec<usize> = (0..TASKS)
        .map(|_| finished.recv_timeout(Duration::from_secs(30)).expect("a task was lost or deadlocked").0)
        .collect();
    toggling.store(false, SeqCst);
    assert!(toggler.join().unwrap() > 10);
    seen.sort_unstable();
    assert_eq!(seen, (0..TASKS).collect::<Vec<_>>());
    assert_eq!(gil.holder(), None);
    for t in gil.stats() {
        assert_eq!(t.stats.takes, t.stats.releases, "{} holds the lock after its tasks ended", t.name);
    }
}

#[test]
fn the_stats_add_up() {
    let gil = gil(Mode::CPython, Duration::from_micros(200));
    let inside = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..3)
        .map(|i| {
            let (gil, inside) = (Arc::clone(&gil), Arc::clone(&inside));
            thread::spawn(move || {
                let me = gil.register(format!("t{i}"));
                for _ in 0..3 {
                    let mut ticker = Ticker::under_gil(&gil, &me);
                    exclusive_ticks(&mut ticker, &inside, Duration::from_millis(20), 40).unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let elapsed = started.elapsed().as_nanos() as u64;
    let threads = gil.stats();
    let sum = total(&gil);
    for t in &threads {
        let s = t.stats;
        assert_eq!(s.takes, s.releases, "{}", t.name);
        assert!(s.contended_takes <= s.takes && s.forced_switches + s.voluntary_releases <= s.releases);
        assert!(s.voluntary_releases > 0 && s.hold_ns > 0, "{}: {s:?}", t.name);
    }
    // One holder at a time: the holds never overlap, so they fit in the run.
    assert!(sum.hold_ns <= elapsed, "held {} ns in {} ns", sum.hold_ns, elapsed);
    assert!(sum.forced_switches <= sum.drop_requests);
    assert!(gil.switches() <= sum.takes && gil.switches() > 3);
    // The trace holds every event: each take, release, drop request and wait.
    let trace = gil.trace(usize::MAX);
    let waits = check_waits(&gil, &trace);
    assert!(waits >= sum.contended_takes && sum.contended_takes > 0);
    assert_eq!(trace.len() as u64, sum.takes + sum.releases + sum.drop_requests + waits);
    assert!(trace.windows(2).all(|w| w[0].time_ns <= w[1].time_ns
        || w[1].kind == TraceKind::DropRequest
        || w[0].kind == TraceKind::DropRequest));

    gil.reset_stats();
    assert_eq!(total(&gil), Stats::default());
    assert_eq!(gil.switches(), 0);
    assert!(gil.trace(usize::MAX).is_empty());
}

#[test]
fn the_trace_keeps_only_the_newest_events() {
    let gil = gil(Mode::CPython, DEFAULT_SWITCH_INTERVAL);
    let me = gil.register("me");
    let rounds = TRACE_CAPACITY; // 2 events each: twice the ring
    for _ in 0..rounds {
        drop(Ticker::under_gil(&gil, &me));
    }
    let trace = gil.trace(usize::MAX);
    assert_eq!(trace.len(), TRACE_CAPACITY);
    assert_eq!(gil.trace(3).len(), 3);
    assert_eq!(gil.trace(3)[2], *trace.last().unwrap());
    assert_eq!(trace.last().unwrap().kind, TraceKind::Release(Release::TaskEnd));
    assert_eq!(gil.stats()[0].stats.takes, rounds as u64);
}

#[test]
fn a_reset_forgets_threads_that_have_exited() {
    let gil = Arc::new(Gil::new());
    let pool = ThreadPool::new(2, Arc::clone(&gil), "gone");
    let stays = gil.register("stays");
    pool.shutdown(false);
    pool.join();
    assert_eq!(gil.stats().iter().filter(|t| t.retired).count(), 2);
    gil.reset_stats();
    let names: Vec<_> = gil.stats().into_iter().map(|t| t.name).collect();
    assert_eq!(names, [stays.name()]);
}

#[test]
fn the_switch_interval_is_kept_in_whole_microseconds_within_bounds() {
    let gil = Gil::new();
    assert_eq!(gil.switch_interval(), DEFAULT_SWITCH_INTERVAL);
    gil.set_switch_interval(Duration::from_nanos(2_400));
    assert_eq!(gil.switch_interval(), Duration::from_micros(2));
    gil.set_switch_interval(Duration::ZERO);
    assert_eq!(gil.switch_interval(), MIN_SWITCH_INTERVAL);
    gil.set_switch_interval(Duration::from_secs(5000));
    assert_eq!(gil.switch_interval(), MAX_SWITCH_INTERVAL);
    assert_eq!(Mode::parse("legacy"), Some(Mode::Legacy));
    assert_eq!(Mode::parse("python"), None);
}

/// The deadlock that tests/loom_gil.rs found: a holder whose fast release failed because a
/// thread was waiting, but which found on taking `sync` that the waiter had gone (the lock was
/// switched off, then on), reserved the lock for the waiters — for nobody — and then, wanting
/// the lock again itself, waited for ever. Here the waiter's trace is set by hand.
#[test]
fn a_release_whose_waiters_have_gone_leaves_the_lock_free() {
    let gil = gil(Mode::CPython, Duration::from_millis(5));
    let a = gil.register("a");
    let since = gil.take(&a, false).expect("the lock is on");
    gil.word.fetch_or(WAITERS, AcqRel); // set by a waiter that has left since, its count back at 0
    gil.release(&a, since, Release::Disabled);
    assert_eq!(gil.word.load(Acquire), 0, "free, with no waiter and no reservation");
    let (taken, waited) = mpsc::channel();
    let gil_ = Arc::clone(&gil);
    thread::spawn(move || taken.send(gil_.take(&a, false).is_some()).unwrap());
    assert_eq!(waited.recv_timeout(Duration::from_secs(5)), Ok(true), "the holder could not take the lock back");
}
