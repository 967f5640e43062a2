//! The I/O-bound tasks' results as JS receives them: the value, or the error the task failed
//! with, made on the JS thread (where JS values can be made) — a `RangeError` for a file too
//! large, and for a failed system call an `Error` shaped as Node's `fs` shapes one: `code`,
//! `errno`, `syscall`, `path`. A cancellation is not an outcome: it goes on to `tasks` as
//! the `Interrupted` that every kernel reports.

use gil_lab_core::args::ArgError;
use gil_lab_core::os_error::{IoFailure, OsError};
use gil_lab_core::Interrupted;
use napi::bindgen_prelude::{JsRangeError, JsTypeError, Object, ToNapiValue, Unknown};
use napi::{sys, Env, Error, JsError, JsValue, Result};

pub enum IoOutcome<T> {
    Done(T),
    Failed(Failure),
}

pub enum Failure {
    Argument(ArgError),
    Os(OsError),
}

/// Splits a task's result into what JS receives and a cancellation.
pub fn io_outcome<T>(result: std::result::Result<T, IoFailure>) -> std::result::Result<IoOutcome<T>, Interrupted> {
    match result {
        Ok(value) => Ok(IoOutcome::Done(value)),
        Err(IoFailure::Interrupted(interrupted)) => Err(interrupted),
        Err(IoFailure::Argument(e)) => Ok(IoOutcome::Failed(Failure::Argument(e))),
        Err(IoFailure::Os(e)) => Ok(IoOutcome::Failed(Failure::Os(e))),
    }
}

fn js_error<'env>(env: &'env Env, failure: Failure) -> Result<Unknown<'env>> {
    Ok(match failure {
        Failure::Argument(ArgError::Range(message)) => {
            JsRangeError::from(Error::new("ERR_OUT_OF_RANGE", message)).into_unknown(*env)
        }
        Failure::Argument(ArgError::Type(message)) => {
            JsTypeError::from(Error::new("ERR_INVALID_ARG_TYPE", message)).into_unknown(*env)
        }
        Failure::Os(e) => {
            let error = JsError::from(Error::new(e.code(), e.message())).into_unknown(*env);
            let mut object = Object::from_raw(env.raw(), error.raw());
            object.set("errno", e.errno())?;
            object.set("syscall", e.syscall)?;
            if let Some(path) = &e.path {
                object.set("path", path.as_str())?;
            }
            error
        }
    })
}

impl<T: ToNapiValue> ToNapiValue for IoOutcome<T> {
    /// A failure converts to an `Err` holding the JS error, with which napi-rs rejects the
    /// promise (async form) or throws (sync form).
    unsafe fn to_napi_value(env: sys::napi_env, outcome: Self) -> Result<sys::napi_value> {
        match outcome {
            IoOutcome::Done(value) => unsafe { T::to_napi_value(env, value) },
            IoOutcome::Failed(failure) => Err(Error::from(js_error(&Env::from_raw(env), failure)?)),
        }
    }
}
