//! Hand-off of kernel calls: on the calling thread (the `…Sync` forms), or to a pool thread
//! with a promise that settles on the JS thread when the work is done. Both run under the
//! process's emulated GIL: a sync call takes it on the calling thread, as CPython's main
//! thread holds its GIL; a pool thread takes it for each task.
//!
//! Every outcome settles the promise exactly once: the result; a `Cancelled` error for a
//! task cancelled before or while it ran; an error naming the kernel for a Rust panic, which
//! is caught here and never unwinds into Node.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use gil_lab_core::gil::Interpreters;
use gil_lab_core::pool::{Job, TaskGroup, TaskHandle, ThreadPool};
use gil_lab_core::{Gil, GilThread, Interrupted, Ticker};
use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::{Env, Error, Result, Status};
use napi_derive::napi;

use crate::settle;

thread_local! {
    /// The name this JS thread gave itself (`main`, `thread-3`) before its first sync call.
    static SYNC_CALLER_NAME: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The calling JS thread's membership of the process's lock, for its sync calls.
    static SYNC_CALLER: Arc<GilThread> =
        Gil::process().register(SYNC_CALLER_NAME.take().unwrap_or_else(|| "sync".to_owned()));
}

/// Names the calling thread in the lock's stats, if it has made no sync call yet.
pub fn name_sync_caller(name: String) {
    SYNC_CALLER_NAME.set(Some(name));
}

/// Runs `work` on the calling thread, under the process's lock.
pub fn run_sync<R>(kernel: &str, work: impl FnOnce(&mut Ticker) -> std::result::Result<R, Interrupted>) -> Result<R> {
    let caller = SYNC_CALLER.with(Arc::clone);
    match catch_unwind(AssertUnwindSafe(|| work(&mut Ticker::under_gil(Gil::process(), &caller)))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(interrupted)) => Err(interrupted_error(interrupted)),
        Err(panic) => Err(panic_error(kernel, panic)),
    }
}

/// Queues `work` on `pool` (the default pool when `None`) and returns its promise.
pub fn spawn<'env, R, F>(
    env: &'env Env,
    pool: Option<&NativePool>,
    token: Option<&CancelToken>,
    kernel: &'static str,
    work: F,
) -> Result<Object<'env>>
where
    R: ToNapiValue + Send + 'static,
    F: FnOnce(&mut Ticker) -> std::result::Result<R, Interrupted> + Send + 'static,
{
    let pool = match pool {
        Some(pool) => &pool.inner,
        None => default_pool(),
    };
    let (deferred, promise) = settle::deferred(env)?;
    let job: Job = Box::new(move |ticker| match ticker {
        None => deferred.reject(interrupted_error(Interrupted::Cancelled)),
        Some(ticker) => {
            let outcome = catch_unwind(AssertUnwindSafe(|| work(ticker)));
            ticker.leave_gil();
            match outcome {
                Ok(Ok(value)) => deferred.resolve(value),
                Ok(Err(interrupted)) => deferred.reject(interrupted_error(interrupted)),
                Err(panic) => deferred.reject(panic_error(kernel, panic)),
            }
        }
    });
    let handle = pool.submit(job).map_err(|_| pool_closed())?;
    if let Some(token) = token {
        token.attach(handle);
    }
    Ok(promise)
}

fn pool_closed() -> Error {
    Error::new(Status::Closing, "the pool is shut down and takes no new tasks")
}

fn interrupted_error(interrupted: Interrupted) -> Error {
    match interrupted {
        Interrupted::Cancelled => Error::new(Status::Cancelled, interrupted.to_string()),
    }
}

fn panic_error(kernel: &str, panic: Box<dyn Any + Send>) -> Error {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with no message".into());
    Error::new(Status::GenericFailure, format!("{kernel} panicked in Rust: {what}"))
}

fn default_pool() -> &'static ThreadPool {
    static POOL: OnceLock<ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        ThreadPool::new(workers, Arc::clone(Gil::process()), "default")
    })
}

/// A pool of OS threads owned by the addon.
#[napi]
pub struct NativePool {
    inner: Arc<ThreadPool>,
}

#[napi]
impl NativePool {
    /// `workers` threads, named `label-0`, `label-1`, … in the lock's stats.
    #[napi(constructor)]
    pub fn new(workers: u32, label: String) -> Result<Self> {
        if workers == 0 {
            return Err(Error::new(Status::InvalidArg, "workers must be at least 1"));
        }
        Ok(NativePool { inner: Arc::new(ThreadPool::new(workers as usize, Arc::clone(Gil::process()), &label)) })
    }

    /// `workers` threads in `interpreters` interpreters, each with a lock of its own: thread
    /// `i` is bound to interpreter `i % interpreters`.
    #[napi(factory)]
    pub fn with_interpreters(workers: u32, interpreters: u32, label: String) -> Result<Self> {
        if workers == 0 || interpreters == 0 || interpreters > workers {
            return Err(Error::new(Status::InvalidArg, "workers must be at least 1, and interpreters 1 to workers"));
        }
        let locks: Vec<_> = (0..interpreters).map(|_| Interpreters::process().create()).collect();
        let bound = (0..workers as usize).map(|i| Arc::clone(&locks[i % locks.len()])).collect();
        Ok(NativePool { inner: Arc::new(ThreadPool::with_locks(bound, &label)) })
    }

    #[napi(getter)]
    pub fn workers(&self) -> u32 {
        self.inner.workers() as u32
    }

    #[napi(getter)]
    pub fn queued(&self) -> u32 {
        self.inner.queued() as u32
    }

    /// Refuses new tasks; with `cancelPending` cancels the queued and running ones. The
    /// promise resolves once every thread has exited.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn shutdown<'env>(&self, env: &'env Env, cancel_pending: bool) -> Result<Object<'env>> {
        self.inner.shutdown(cancel_pending);
        let (deferred, promise) = env.create_deferred()?;
        let pool = Arc::clone(&self.inner);
        std::thread::spawn(move || {
            pool.join();
            deferred.resolve(|_| Ok(()));
        });
        Ok(promise)
    }
}

/// The way JS cancels tasks: passed to kernels' async forms, then `cancel()`ed. One token
/// serves every task given one AbortSignal (a map's tasks, or a caller's signal shared by many
/// calls), so a task costs no object of its own.
#[napi]
#[derive(Default)]
pub struct CancelToken {
    tasks: TaskGroup,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Cancels every task this token was given; does nothing to those that have finished.
    #[napi]
    pub fn cancel(&self) {
        self.tasks.cancel();
    }

    fn attach(&self, handle: TaskHandle) {
        self.tasks.add(handle);
    }
}
