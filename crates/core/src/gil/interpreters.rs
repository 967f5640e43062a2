//! Every interpreter's lock in the process. Since PEP 684 each CPython subinterpreter may have a
//! GIL of its own; here the main interpreter's lock is [`Gil::process`] (number 0), and each
//! interpreter of an interpreter pool gets one more (1, 2, …). Threads bound to different
//! locks never wait for each other; threads bound to one lock contend as ever.
//!
//! The settings apply to every lock at once, as a program that calls `sys.setswitchinterval`
//! in each of its interpreters: a lock made later starts with the settings in force. The stats
//! and the trace cover every lock, each thread labelled with its interpreter.
//!
//! Invariant: a setting and the making of a lock both happen under `others`, so no lock misses
//! a change, nor starts with a stale setting.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::{trace, Gil, Mode, ThreadStats, TraceEvent};

pub struct Interpreters {
    main: Arc<Gil>,
    /// The other interpreters' locks, in the order they were made, and the next one's number.
    others: Mutex<(Vec<Arc<Gil>>, u32)>,
}

impl Interpreters {
    /// `main` and no other interpreter yet.
    pub fn new(main: Arc<Gil>) -> Interpreters {
        Interpreters { main, others: Mutex::new((Vec::new(), 1)) }
    }

    /// The process's interpreters, around [`Gil::process`].
    pub fn process() -> &'static Interpreters {
        static PROCESS: OnceLock<Interpreters> = OnceLock::new();
        PROCESS.get_or_init(|| Interpreters::new(Arc::clone(Gil::process())))
    }

    pub fn main(&self) -> &Arc<Gil> {
        &self.main
    }

    fn others(&self) -> MutexGuard<'_, (Vec<Arc<Gil>>, u32)> {
        self.others.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new interpreter's lock, numbered after the last, with the settings in force.
    pub fn create(&self) -> Arc<Gil> {
        let mut others = self.others();
        let gil = Arc::new(Gil::for_interpreter(others.1));
        others.1 += 1;
        gil.set_switch_interval(self.main.switch_interval());
        gil.set_mode(self.main.mode());
        others.0.push(Arc::clone(&gil));
        gil
    }

    /// Every lock, the main one first.
    fn all(&self) -> Vec<Arc<Gil>> {
        std::iter::once(Arc::clone(&self.main)).chain(self.others().0.iter().cloned()).collect()
    }

    pub fn set_mode(&self, mode: Mode) {
        let others = self.others();
        self.main.set_mode(mode);
        others.0.iter().for_each(|gil| gil.set_mode(mode));
    }

    pub fn set_switch_interval(&self, interval: std::time::Duration) {
        let others = self.others();
        self.main.set_switch_interval(interval);
        others.0.iter().for_each(|gil| gil.set_switch_interval(interval));
    }

    /// Every registered thread's stats, interpreter by interpreter.
    pub fn stats(&self) -> Vec<ThreadStats> {
        self.all().iter().flat_map(|gil| gil.stats()).collect()
    }

    /// Each interpreter's number and its count of switches since the last reset.
    pub fn switches(&self) -> Vec<(u32, u64)> {
        self.all().iter().map(|gil| (gil.interpreter(), gil.switches())).collect()
    }

    /// Resets every lock's stats and trace; forgets the interpreters that no pool uses any more.
    pub fn reset_stats(&self) {
        let mut others = self.others();
        others.0.retain(|gil| Arc::strong_count(gil) > 1);
        self.main.reset_stats();
        others.0.iter().for_each(|gil| gil.reset_stats());
    }

    /// The newest `limit` events of every lock, merged as [`Gil::trace`] merges threads.
    pub fn trace(&self, limit: usize) -> Vec<TraceEvent> {
        trace::merge(self.all().iter().flat_map(|gil| gil.trace_rings()).collect(), limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::ThreadPool;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    fn interpreters() -> Interpreters {
        let interpreters = Interpreters::new(Arc::new(Gil::new()));
        interpreters.set_mode(Mode::CPython);
        interpreters
    }

    /// Runs one job per lock of `locks` on `pool`, each ticking until one of them sees, between
    /// two of its ticks (so while it holds its own lock), every lock held, or 10 s pass; returns
    /// whether one saw that.
    fn all_held_at_once(pool: &ThreadPool, locks: &[Arc<Gil>]) -> bool {
        let seen = Arc::new(AtomicBool::new(false));
        let (done_tx, done) = mpsc::channel();
        for _ in locks {
            let (locks, seen, done_tx) = (locks.to_vec(), Arc::clone(&seen), done_tx.clone());
            pool.submit(Box::new(move |ticker| {
                let ticker = ticker.expect("runs");
                let deadline = Instant::now() + Duration::from_secs(10);
                while !seen.load(SeqCst) && Instant::now() < deadline {
                    ticker.tick().expect("nobody cancels");
                    if ticker.holds_gil() && locks.iter().all(|gil| gil.holder().is_some()) {
                        seen.store(true, SeqCst);
                    }
                }
                done_tx.send(()).unwrap();
            }))
            .unwrap();
        }
        locks.iter().for_each(|_| done.recv_timeout(Duration::from_secs(20)).unwrap());
        seen.load(SeqCst)
    }

    #[test]
    fn threads_of_different_interpreters_hold_their_locks_at_once_and_never_contend() {
        let interpreters = interpreters();
        let locks = [interpreters.create(), interpreters.create()];
        let pool = ThreadPool::with_locks(locks.to_vec(), "interp");
        assert!(all_held_at_once(&pool, &locks));
        let stats = interpreters.stats();
        let pool_threads: Vec<_> = stats.iter().filter(|t| t.interpreter > 0).collect();
        assert_eq!(pool_threads.iter().map(|t| t.interpreter).collect::<Vec<_>>(), [1, 2]);
        assert!(pool_threads
            .iter()
            .all(|t| t.stats.takes >= 1 && t.stats.contended_takes == 0 && t.stats.drop_requests == 0));
    }

    #[test]
    fn threads_of_one_interpreter_still_contend() {
        let interpreters = interpreters();
        interpreters.set_switch_interval(Duration::from_micros(100));
        let gil = interpreters.create();
        let pool = ThreadPool::with_locks(vec![Arc::clone(&gil), gil], "shared");
        // Each job ticks until both have started: the second can start only once the first
        // lets go of the lock they share, so it waited, and they never held it at once.
        let started = Arc::new(AtomicUsize::new(0));
        let holding = Arc::new(AtomicUsize::new(0));
        let (done_tx, done) = mpsc::channel();
        for _ in 0..2 {
            let (started, holding, done_tx) = (Arc::clone(&started), Arc::clone(&holding), done_tx.clone());
            pool.submit(Box::new(move |ticker| {
                let ticker = ticker.expect("runs");
                started.fetch_add(1, SeqCst);
                let mut overlapped = false;
                while started.load(SeqCst) < 2 || !ticker.holds_gil() {
                    if ticker.holds_gil() {
                        overlapped |= holding.fetch_add(1, SeqCst) > 0;
                        holding.fetch_sub(1, SeqCst);
                    }
                    ticker.tick().expect("nobody cancels");
                }
                done_tx.send(overlapped).unwrap();
            }))
            .unwrap();
        }
        assert!((0..2).all(|_| !done.recv_timeout(Duration::from_secs(20)).unwrap()), "both held one lock at once");
        let contended: u64 =
            interpreters.stats().iter().filter(|t| t.interpreter == 1).map(|t| t.stats.contended_takes).sum();
        assert!(contended >= 1, "contended takes {contended}");
    }

    #[test]
    fn settings_reach_every_lock_and_a_new_one_starts_with_them() {
        let interpreters = interpreters();
        let first = interpreters.create();
        interpreters.set_switch_interval(Duration::from_millis(2));
        interpreters.set_mode(Mode::Legacy);
        let second = interpreters.create();
        for gil in [interpreters.main(), &first, &second] {
            assert_eq!((gil.mode(), gil.switch_interval()), (Mode::Legacy, Duration::from_millis(2)));
        }
        interpreters.set_mode(Mode::Off);
        assert!([interpreters.main(), &first, &second].iter().all(|gil| gil.mode() == Mode::Off));
    }

    #[test]
    fn the_trace_names_each_interpreter_and_a_reset_forgets_the_unused_ones() {
        let interpreters = interpreters();
        let locks = [interpreters.create(), interpreters.create()];
        let pool = ThreadPool::with_locks(locks.to_vec(), "interp");
        assert!(all_held_at_once(&pool, &locks));
        drop(locks);
        let seen: std::collections::BTreeSet<_> =
            interpreters.trace(usize::MAX).iter().map(|e| e.interpreter).collect();
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(interpreters.switches().len(), 3);
        drop(pool);
        interpreters.reset_stats();
        assert_eq!(interpreters.switches(), [(0, 0)]);
        assert!(interpreters.trace(usize::MAX).is_empty());
    }
}
