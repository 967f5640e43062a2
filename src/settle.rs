//! Promises that pool threads settle, through one threadsafe function per JS thread.
//!
//! napi-rs's `JsDeferred` makes a threadsafe function for every promise and tears it down when
//! the promise settles: a libuv handle opened and closed, an env cleanup hook added and
//! removed, an async resource. Callgrind counts some 6 000 instructions of that per call,
//! where node-addon-api's whole `AsyncWorker` call is about 11 000; with many calls in flight
//! it made each of them take twice the C++ baseline's time (`npm run bench:peers`). Here each
//! JS thread makes one threadsafe function, on first use, and every outcome goes through it.
//!
//! Invariants:
//! - A [`Deferred`] sends exactly one message through its thread's function: its outcome, or,
//!   dropped unsettled, a release. Each message settles its promise and counts down `pending`
//!   once.
//! - `pending` (promises not yet settled) is read and written on the JS thread only, and the
//!   function holds the event loop open exactly while it is not zero — as libuv's own work
//!   requests do — so an idle addon keeps no process alive.
//! - Once its env tears down, Node finalizes the function; `Shared::function` becomes `None`
//!   under its lock first, and a pool thread that finishes later drops its message instead of
//!   calling into freed memory.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard};

use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::{check_status, sys, Env, Error, Result};

/// The raw threadsafe function; N-API lets any thread call it.
struct Function(sys::napi_threadsafe_function);
// SAFETY: `napi_call_threadsafe_function` is made to be called from any thread.
unsafe impl Send for Function {}

/// What pool threads share with the JS thread.
struct Shared {
    /// `None` once Node has finalized the function (env teardown).
    function: Mutex<Option<Function>>,
}

fn lock(shared: &Shared) -> MutexGuard<'_, Option<Function>> {
    shared.function.lock().unwrap_or_else(|e| e.into_inner())
}

/// One JS thread's function; the context its callback gets.
struct Local {
    env: sys::napi_env,
    function: sys::napi_threadsafe_function,
    shared: Arc<Shared>,
    pending: Cell<usize>,
}

thread_local! {
    static LOCAL: RefCell<Option<Rc<Local>>> = const { RefCell::new(None) };
}

/// What a finished task sends to the JS thread.
struct Message {
    deferred: sys::napi_deferred,
    outcome: Outcome,
}

type Resolver = Box<dyn FnOnce(sys::napi_env) -> Result<sys::napi_value> + Send>;

enum Outcome {
    Resolve(Resolver),
    Reject(Error),
    /// Sent by a `Deferred` dropped unsettled, which happens only when the pool refused its
    /// task (it calls every task it accepts): `spawn` threw instead of returning the promise,
    /// so no one awaits it, and resolving it with `undefined` only frees it.
    Release,
}

/// A promise's settling end, which a pool thread may own and settle.
pub struct Deferred {
    /// `None` once sent.
    deferred: Option<sys::napi_deferred>,
    shared: Arc<Shared>,
}

// SAFETY: the raw deferred is only used on the JS thread, in `settle`; other threads only
// carry it there inside a message.
unsafe impl Send for Deferred {}

impl Deferred {
    /// Resolves the promise with `value`, converted on the JS thread.
    pub fn resolve<R: ToNapiValue + Send + 'static>(mut self, value: R) {
        // SAFETY: `settle` calls it on the JS thread with that thread's env.
        self.send(Outcome::Resolve(Box::new(move |env| unsafe { R::to_napi_value(env, value) })));
    }

    pub fn reject(mut self, error: Error) {
        self.send(Outcome::Reject(error));
    }

    fn send(&mut self, outcome: Outcome) {
        let Some(deferred) = self.deferred.take() else { return };
        let message = Box::into_raw(Box::new(Message { deferred, outcome }));
        let function = lock(&self.shared);
        let sent = function.as_ref().is_some_and(|f| {
            // SAFETY: the function is alive while the lock shows it; the queue is unbounded,
            // so a non-blocking call does not fail for want of room.
            let status = unsafe {
                sys::napi_call_threadsafe_function(f.0, message.cast(), sys::ThreadsafeFunctionCallMode::nonblocking)
            };
            status == sys::Status::napi_ok
        });
        if !sent {
            // The env is gone, or going: no promise is left to settle.
            // SAFETY: the message was not queued, so it is still ours.
            drop(unsafe { Box::from_raw(message) });
        }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        self.send(Outcome::Release);
    }
}

/// A new promise on `env`'s thread, and its settling end.
pub fn deferred<'env>(env: &'env Env) -> Result<(Deferred, Object<'env>)> {
    let local = local(env)?;
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY (all the calls here): `env` is this JS thread's, and the function is alive.
    check_status!(unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) })?;
    if local.pending.get() == 0 {
        check_status!(unsafe { sys::napi_ref_threadsafe_function(env.raw(), local.function) })?;
    }
    local.pending.set(local.pending.get() + 1);
    let settling = Deferred { deferred: Some(deferred), shared: Arc::clone(&local.shared) };
    Ok((settling, Object::from_raw(env.raw(), promise)))
}

/// This JS thread's function, made on first use.
fn local(env: &Env) -> Result<Rc<Local>> {
    if let Some(local) = LOCAL.with(|l| l.borrow().clone()) {
        if local.env == env.raw() {
            return Ok(local);
        }
    }
    let mut name = ptr::null_mut();
    // SAFETY (all the calls here): `env` is this JS thread's.
    check_status!(unsafe { sys::napi_create_string_utf8(env.raw(), c"gil-lab".as_ptr(), 7, &mut name) })?;
    let shared = Arc::new(Shared { function: Mutex::new(None) });
    // Freed by `finalize`, which Node calls once, when the env tears down.
    let context = Box::into_raw(Box::new(Arc::clone(&shared)));
    let mut function = ptr::null_mut();
    check_status!(unsafe {
        sys::napi_create_threadsafe_function(
            env.raw(),
            ptr::null_mut(),
            ptr::null_mut(),
            name,
            0, // an unbounded queue
            1,
            context.cast(),
            Some(finalize),
            ptr::null_mut(),
            Some(settle),
            &mut function,
        )
    })
    .inspect_err(|_| drop(unsafe { Box::from_raw(context) }))?;
    check_status!(unsafe { sys::napi_unref_threadsafe_function(env.raw(), function) })?;
    *lock(&shared) = Some(Function(function));
    let local = Rc::new(Local { env: env.raw(), function, shared, pending: Cell::new(0) });
    LOCAL.with(|l| *l.borrow_mut() = Some(Rc::clone(&local)));
    Ok(local)
}

/// The function's callback, on the JS thread: settles one promise. `env` is null when Node
/// drains the queue at teardown; the message is then only dropped.
unsafe extern "C" fn settle(
    env: sys::napi_env,
    _js_callback: sys::napi_value,
    _context: *mut c_void,
    data: *mut c_void,
) {
    // SAFETY: every message was boxed by `Deferred::send`.
    let message = unsafe { Box::from_raw(data.cast::<Message>()) };
    if env.is_null() {
        return;
    }
    if let Some(local) = LOCAL.with(|l| l.borrow().clone()).filter(|l| l.env == env) {
        local.pending.set(local.pending.get() - 1);
        if local.pending.get() == 0 {
            // SAFETY: on the JS thread, with a live function.
            unsafe { sys::napi_unref_threadsafe_function(env, local.function) };
        }
    }
    let value = match message.outcome {
        Outcome::Resolve(resolver) => resolver(env),
        Outcome::Reject(error) => Err(error),
        // SAFETY: on the JS thread, with its env.
        Outcome::Release => unsafe { <()>::to_napi_value(env, ()) },
    };
    // SAFETY: the deferred belongs to this env and is settled once, here.
    unsafe {
        match value {
            Ok(value) => sys::napi_resolve_deferred(env, message.deferred, value),
            Err(error) => match ToNapiValue::to_napi_value(env, error) {
                Ok(error) => sys::napi_reject_deferred(env, message.deferred, error),
                Err(_) => sys::Status::napi_generic_failure,
            },
        };
    }
}

/// Node's last call for the function, at env teardown.
unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the context boxed in `local`, freed only here.
    let shared = unsafe { Box::from_raw(data.cast::<Arc<Shared>>()) };
    *lock(&shared) = None;
    // `try_with`: at process exit this thread's locals may be gone already.
    let _ = LOCAL.try_with(|l| {
        let mut l = l.borrow_mut();
        if l.as_ref().is_some_and(|local| Arc::ptr_eq(&local.shared, &shared)) {
            *l = None;
        }
    });
}
