//! A fixed-size pool of OS threads that run kernels, each thread a member of an emulated GIL
//! (with its own eval breaker): of one lock that they all share (a thread pool), or of one lock
//! each (an interpreter pool). A thread takes its lock when a task starts (unless the lock is
//! off) and releases it when the task ends.
//!
//! The pool owns exactly `workers` threads for its whole life, whatever else the process
//! runs (libuv's pool and `UV_THREADPOOL_SIZE` play no part).
//!
//! Invariants:
//! - every submitted job is run exactly once: with a ticker when a thread starts it, or
//!   with `None` when it is cancelled before it starts or the pool shuts down first;
//! - a task's cancel bit reaches only the thread that runs that task, and that thread
//!   clears it when the task finishes, under the task's lock;
//! - a task cancelled while queued may stay in the queue, finished: a thread that pops a task
//!   runs it only if it is still queued, under the task's lock;
//! - no thread dies: a job that panics (the binding's jobs catch their own panics, to reject
//!   their promises) ends there, and its thread takes the next task — else the tasks queued
//!   behind it would wait for ever on a pool with no thread left.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{Acquire, Release};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::breaker::{Ticker, CANCEL};
use crate::gil::{Gil, GilThread};

/// A unit of work. It is called once: with `Some(ticker)` on a pool thread, or with `None`
/// when it will never run (cancelled while queued, or the pool was shut down).
pub type Job = Box<dyn FnOnce(Option<&mut Ticker>) + Send>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskState {
    Queued,
    Running(usize),
    Finished,
}

/// A handle on one submitted job: lets its owner cancel it.
#[derive(Clone)]
pub struct TaskHandle {
    task: Arc<Task>,
    shared: Arc<Shared>,
}

struct Task {
    state: Mutex<TaskState>,
    job: Mutex<Option<Job>>,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Whether the queue has tasks, or is closed: what an idle thread spins on before it
    /// sleeps. Written under `queue`'s lock, read without it.
    work_or_close: AtomicBool,
    work_ready: Condvar,
    threads: Vec<Member>,
}

/// A pool thread's lock, and its membership of it.
struct Member {
    gil: Arc<Gil>,
    thread: Arc<GilThread>,
}

struct Queue {
    tasks: VecDeque<Arc<Task>>,
    closed: bool,
    /// Threads asleep on `work_ready`: a submit wakes one only if there is one.
    sleepers: usize,
}

pub struct ThreadPool {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// Returned by [`ThreadPool::submit`] once the pool is shut down: the job was not taken.
#[derive(Debug, PartialEq, Eq)]
pub struct PoolClosed;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A job that panics is caught before it can poison a lock; recover anyway.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl ThreadPool {
    /// Starts `workers` threads (at least one) that run their tasks under `gil`; their stats
    /// are labelled `{label}-{index}`.
    pub fn new(workers: usize, gil: Arc<Gil>, label: &str) -> ThreadPool {
        ThreadPool::with_locks(vec![gil; workers.max(1)], label)
    }

    /// Starts one thread per entry of `locks` (at least one), thread `i` bound to `locks[i]`:
    /// threads given one lock contend for it, threads given different locks never wait for
    /// each other. Their stats are labelled `{label}-{index}`.
    pub fn with_locks(locks: Vec<Arc<Gil>>, label: &str) -> ThreadPool {
        assert!(!locks.is_empty(), "a pool needs at least one thread");
        let workers = locks.len();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue { tasks: VecDeque::new(), closed: false, sleepers: 0 }),
            work_or_close: AtomicBool::new(false),
            work_ready: Condvar::new(),
            threads: locks
                .into_iter()
                .enumerate()
                .map(|(index, gil)| Member { thread: gil.register(format!("{label}-{index}")), gil })
                .collect(),
        });
        let threads = (0..workers)
            .map(|index| {
                let shared = Arc::clone(&shared);
                std::thread::Builder::new()
                    .name(format!("gil-lab-worker-{index}"))
                    .spawn(move || worker_loop(&shared, index))
                    .expect("failed to start a pool thread")
            })
            .collect();
        ThreadPool { shared, threads: Mutex::new(threads) }
    }

    pub fn workers(&self) -> usize {
        self.shared.threads.len()
    }

    /// Queues `job`. Fails, without calling it, once the pool is shut down.
    pub fn submit(&self, job: Job) -> Result<TaskHandle, PoolClosed> {
        let task = Arc::new(Task { state: Mutex::new(TaskState::Queued), job: Mutex::new(Some(job)) });
        {
            let mut queue = lock(&self.shared.queue);
            if queue.closed {
                return Err(PoolClosed);
            }
            queue.tasks.push_back(Arc::clone(&task));
            self.shared.work_or_close.store(true, Release);
            if queue.sleepers == 0 {
                return Ok(TaskHandle { task, shared: Arc::clone(&self.shared) });
            }
        }
        self.shared.work_ready.notify_one();
        Ok(TaskHandle { task, shared: Arc::clone(&self.shared) })
    }

    /// Number of jobs waiting for a thread (not those cancelled meanwhile).
    pub fn queued(&self) -> usize {
        lock(&self.shared.queue).tasks.iter().filter(|t| *lock(&t.state) == TaskState::Queued).count()
    }

    /// Refuses new jobs. With `cancel_pending`, every queued job is called with `None` now
    /// and every running one is asked to stop at its next tick; without it, the threads
    /// finish the queue first. Then the threads exit; [`ThreadPool::join`] waits for them.
    pub fn shutdown(&self, cancel_pending: bool) {
        let drained: Vec<Arc<Task>> = {
            let mut queue = lock(&self.shared.queue);
            queue.closed = true;
            self.shared.work_or_close.store(true, Release);
            if cancel_pending {
                queue.tasks.drain(..).collect()
            } else {
                Vec::new()
            }
        };
        self.shared.work_ready.notify_all();
        for task in drained {
            *lock(&task.state) = TaskState::Finished;
            if let Some(job) = lock(&task.job).take() {
                job(None);
            }
        }
        if cancel_pending {
            for member in &self.shared.threads {
                member.thread.breaker().raise(CANCEL);
            }
        }
    }

    /// Waits until every thread has exited. Call [`ThreadPool::shutdown`] first.
    pub fn join(&self) {
        let threads: Vec<_> = lock(&self.threads).drain(..).collect();
        for thread in threads {
            let _ = thread.join();
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.shutdown(true);
        self.join();
    }
}

impl TaskHandle {
    /// Cancels the task: a queued one never runs (its job is called with `None` now); a
    /// running one stops at its next tick; a finished one is left as it is.
    pub fn cancel(&self) {
        let mut state = lock(&self.task.state);
        match *state {
            TaskState::Queued => {
                // It stays in the queue, finished, until a thread pops it and passes it by:
                // taking it out here would cost a walk of the queue per cancel, quadratic
                // for a batch of queued tasks cancelled together.
                *state = TaskState::Finished;
                drop(state);
                if let Some(job) = lock(&self.task.job).take() {
                    job(None);
                }
            }
            TaskState::Running(thread) => self.shared.threads[thread].thread.breaker().raise(CANCEL),
            TaskState::Finished => {}
        }
    }

    /// Whether the task has run, or will never run.
    pub fn is_finished(&self) -> bool {
        *lock(&self.task.state) == TaskState::Finished
    }
}

/// Tasks cancelled together. It keeps the handles of its unfinished tasks, and of finished
/// ones only until its list would grow: a group that lives long (every task a program gives
/// one AbortSignal) holds about as many handles as it has tasks unfinished, not every task
/// it ever had.
#[derive(Default)]
pub struct TaskGroup {
    handles: Mutex<Vec<TaskHandle>>,
}

impl TaskGroup {
    pub fn add(&self, handle: TaskHandle) {
        let mut handles = lock(&self.handles);
        if handles.len() == handles.capacity() {
            // Amortized O(1) a task: a full list is pruned before it doubles.
            handles.retain(|h| !h.is_finished());
        }
        handles.push(handle);
    }

    /// Cancels every task of the group, as [`TaskHandle::cancel`] does, and forgets them.
    pub fn cancel(&self) {
        let handles = std::mem::take(&mut *lock(&self.handles));
        for handle in handles {
            handle.cancel();
        }
    }

    /// How many handles the group holds now.
    pub fn held(&self) -> usize {
        lock(&self.handles).len()
    }
}

/// How long an idle thread watches the queue before it sleeps. Waking a sleeping thread costs
/// a system call for the submitter and a wake-up for the thread — tens of microseconds where
/// the core it slept on has gone idle (a virtual machine's idle vCPU halts) — so a task that
/// follows its predecessor within this time finds a thread awake. The price: up to this much
/// CPU time each time a thread runs out of work.
const SPIN: Duration = Duration::from_micros(50);

/// Spins until the queue has work or is closed, or SPIN has passed.
fn spin_for_work(shared: &Shared) {
    let start = Instant::now();
    loop {
        for _ in 0..64 {
            if shared.work_or_close.load(Acquire) {
                return;
            }
            std::hint::spin_loop();
        }
        if start.elapsed() >= SPIN {
            return;
        }
    }
}

fn worker_loop(shared: &Shared, index: usize) {
    let Member { gil, thread } = &shared.threads[index];
    run_tasks(shared, index);
    gil.retire(thread);
}

fn run_tasks(shared: &Shared, index: usize) {
    let Member { gil, thread } = &shared.threads[index];
    let breaker = thread.breaker();
    loop {
        let task = {
            let mut queue = lock(&shared.queue);
            let mut spun = false;
            loop {
                if let Some(task) = queue.tasks.pop_front() {
                    if queue.tasks.is_empty() && !queue.closed {
                        shared.work_or_close.store(false, Release);
                    }
                    break task;
                }
                if queue.closed {
                    return;
                }
                if !spun {
                    spun = true;
                    drop(queue);
                    spin_for_work(shared);
                    queue = lock(&shared.queue);
                    continue;
                }
                queue.sleepers += 1;
                queue = shared.work_ready.wait(queue).unwrap_or_else(|e| e.into_inner());
                queue.sleepers -= 1;
                spun = false;
            }
        };
        let job = {
            let mut state = lock(&task.state);
            if *state != TaskState::Queued {
                continue; // cancelled between the pop and here; its job was already called
            }
            // Under the task's lock, so a cancel sees either Queued or Running(index).
            *state = TaskState::Running(index);
            lock(&task.job).take()
        };
        if let Some(job) = job {
            // The ticker, dropped as the panic unwinds, lets the lock go.
            let _ = catch_unwind(AssertUnwindSafe(|| job(Some(&mut Ticker::under_gil(gil, thread)))));
        }
        // Cleared under the task's lock, after which no cancel of this task can arrive; a bit
        // that a shutdown raises from here on stops whatever this thread would run next.
        let mut state = lock(&task.state);
        *state = TaskState::Finished;
        breaker.clear(CANCEL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Interrupted;
    use std::sync::mpsc;
    use std::time::Duration;

    fn test_pool(workers: usize) -> ThreadPool {
        ThreadPool::new(workers, Arc::new(Gil::new()), "test")
    }

    /// A job that spins through ticks until cancelled, reporting how it ended.
    fn spinning(started: mpsc::Sender<()>, ended: mpsc::Sender<Option<Interrupted>>) -> Job {
        Box::new(move |ticker| match ticker {
            None => ended.send(None).unwrap(),
            Some(ticker) => {
                started.send(()).unwrap();
                let outcome = loop {
                    if let Err(e) = ticker.tick() {
                        break e;
                    }
                    std::hint::spin_loop();
                };
                ended.send(Some(outcome)).unwrap();
            }
        })
    }

    #[test]
    fn runs_every_job_once_on_exactly_its_threads() {
        let pool = test_pool(3);
        let (tx, rx) = mpsc::channel();
        for i in 0..100 {
            let tx = tx.clone();
            pool.submit(Box::new(move |t| {
                assert!(t.is_some());
                tx.send((i, std::thread::current().name().unwrap().to_owned())).unwrap();
            }))
            .unwrap();
        }
        let mut seen: Vec<_> = (0..100).map(|_| rx.recv_timeout(Duration::from_secs(10)).unwrap()).collect();
        seen.sort();
        assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), (0..100).collect::<Vec<_>>());
        assert!(seen.iter().all(|(_, name)| name.starts_with("gil-lab-worker-")));
        let mut names: Vec<_> = seen.into_iter().map(|s| s.1).collect();
        names.sort();
        names.dedup();
        assert!(names.len() <= 3);
    }

    #[test]
    fn a_job_that_panics_takes_no_thread_down() {
        let gil = Arc::new(Gil::new());
        gil.set_mode(crate::Mode::CPython);
        let pool = ThreadPool::new(1, gil, "test");
        pool.submit(Box::new(|_| panic!("a job that does not catch its own panic"))).unwrap();
        let (tx, rx) = mpsc::channel();
        pool.submit(Box::new(move |t| tx.send(t.unwrap().holds_gil()).unwrap())).unwrap();
        // The same, only thread runs the next job, and the lock was let go for it to take.
        assert!(rx.recv_timeout(Duration::from_secs(5)).unwrap());
    }

    #[test]
    fn cancelling_a_running_task_stops_it_and_frees_the_thread() {
        let pool = test_pool(1);
        let (started_tx, started) = mpsc::channel();
        let (ended_tx, ended) = mpsc::channel();
        let handle = pool.submit(spinning(started_tx, ended_tx)).unwrap();
        started.recv_timeout(Duration::from_secs(5)).unwrap();
        handle.cancel();
        assert_eq!(ended.recv_timeout(Duration::from_secs(5)).unwrap(), Some(Interrupted::Cancelled));

        // The next task on the same thread starts with a clear breaker.
        let (tx, rx) = mpsc::channel();
        pool.submit(Box::new(move |t| tx.send(t.unwrap().tick()).unwrap())).unwrap();
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), Ok(()));
    }

    #[test]
    fn cancelling_a_queued_task_reports_it_never_ran() {
        let pool = test_pool(1);
        let (started_tx, started) = mpsc::channel();
        let (ended_tx, ended) = mpsc::channel();
        let blocker = pool.submit(spinning(started_tx.clone(), ended_tx.clone())).unwrap();
        started.recv_timeout(Duration::from_secs(5)).unwrap();
        let queued = pool.submit(spinning(started_tx, ended_tx)).unwrap();
        queued.cancel();
        assert_eq!(ended.recv_timeout(Duration::from_secs(5)).unwrap(), None);
        assert_eq!(pool.queued(), 0);
        blocker.cancel();
        assert_eq!(ended.recv_timeout(Duration::from_secs(5)).unwrap(), Some(Interrupted::Cancelled));
    }

    #[test]
    fn cancelled_queued_tasks_are_passed_by_and_the_rest_run() {
        let pool = test_pool(1);
        let (started_tx, started) = mpsc::channel();
        let (ended_tx, ended) = mpsc::channel();
        let blocker = pool.submit(spinning(started_tx.clone(), ended_tx.clone())).unwrap();
        started.recv_timeout(Duration::from_secs(5)).unwrap();
        let (ran_tx, ran) = mpsc::channel();
        let handles: Vec<_> = (0..10_000)
            .map(|i| {
                let ran_tx = ran_tx.clone();
                pool.submit(Box::new(move |t| ran_tx.send((i, t.is_some())).unwrap())).unwrap()
            })
            .collect();
        assert_eq!(pool.queued(), 10_000);
        // Every other one cancelled: each reports at once that it never ran.
        for handle in handles.iter().step_by(2) {
            handle.cancel();
        }
        let cancelled: Vec<_> = (0..5_000).map(|_| ran.recv_timeout(Duration::from_secs(5)).unwrap()).collect();
        assert!(cancelled.iter().all(|&(i, ran)| i % 2 == 0 && !ran));
        assert_eq!(pool.queued(), 5_000);
        blocker.cancel();
        assert_eq!(ended.recv_timeout(Duration::from_secs(5)).unwrap(), Some(Interrupted::Cancelled));
        let rest: Vec<_> = (0..5_000).map(|_| ran.recv_timeout(Duration::from_secs(5)).unwrap()).collect();
        assert!(rest.iter().all(|&(i, ran)| i % 2 == 1 && ran));
        assert_eq!(pool.queued(), 0);
    }

    #[test]
    fn a_group_cancels_its_unfinished_tasks_and_lets_go_of_finished_ones() {
        let pool = test_pool(1);
        let group = TaskGroup::default();
        let (done_tx, done) = mpsc::channel();
        for _ in 0..10_000 {
            let done_tx = done_tx.clone();
            group.add(pool.submit(Box::new(move |t| done_tx.send(t.is_some()).unwrap())).unwrap());
            done.recv_timeout(Duration::from_secs(5)).unwrap();
        }
        // Each task finished before the next was added: pruning keeps the list short.
        assert!(group.held() < 8, "held {}", group.held());
        let (started_tx, started) = mpsc::channel();
        let (ended_tx, ended) = mpsc::channel();
        group.add(pool.submit(spinning(started_tx.clone(), ended_tx.clone())).unwrap());
        started.recv_timeout(Duration::from_secs(5)).unwrap();
        group.add(pool.submit(spinning(started_tx, ended_tx)).unwrap());
        group.cancel();
        let mut outcomes = vec![
            ended.recv_timeout(Duration::from_secs(5)).unwrap(),
            ended.recv_timeout(Duration::from_secs(5)).unwrap(),
        ];
        outcomes.sort_by_key(|o| o.is_some());
        assert_eq!(outcomes, vec![None, Some(Interrupted::Cancelled)]);
        assert_eq!(group.held(), 0);
    }

    #[test]
    fn a_task_reaches_threads_asleep_and_threads_still_spinning() {
        let pool = test_pool(2);
        let (done_tx, done) = mpsc::channel();
        for round in 0..20 {
            // Every other round, long enough for both threads to have gone to sleep.
            if round % 2 == 0 {
                std::thread::sleep(SPIN * 20);
            }
            let done_tx = done_tx.clone();
            pool.submit(Box::new(move |t| done_tx.send(t.is_some()).unwrap())).unwrap();
            assert!(done.recv_timeout(Duration::from_secs(5)).unwrap());
        }
    }

    #[test]
    fn shutdown_settles_every_job_and_refuses_new_ones() {
        let pool = test_pool(2);
        let (started_tx, started) = mpsc::channel();
        let (ended_tx, ended) = mpsc::channel();
        for _ in 0..10 {
            pool.submit(spinning(started_tx.clone(), ended_tx.clone())).unwrap();
        }
        started.recv_timeout(Duration::from_secs(5)).unwrap();
        pool.shutdown(true);
        pool.join();
        let outcomes: Vec<_> = (0..10).map(|_| ended.recv_timeout(Duration::from_secs(5)).unwrap()).collect();
        assert_eq!(
            outcomes.iter().filter(|o| o.is_none()).count() + outcomes.iter().filter(|o| o.is_some()).count(),
            10
        );
        assert!(outcomes.iter().flatten().all(|o| *o == Interrupted::Cancelled));
        assert_eq!(pool.submit(Box::new(|_| {})).err(), Some(PoolClosed));
    }
}
