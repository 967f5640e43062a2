//! `pipeRoundTripsSync(count)` and `pipeRoundTrips(pool, token, count)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::io_outcome::io_outcome;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn round_trips(env: &Env, count: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "count", count, 0.0, kernels::PIPE_ROUND_TRIPS_MAX as f64)? as u32)
}

/// `pipeRoundTripsSync(count: number): number`
pub unsafe extern "C" fn pipe_round_trips_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [count]| {
        let count = round_trips(env, &count)?;
        run_sync("pipeRoundTrips", |t| io_outcome(kernels::pipe_round_trips(count, t)))
    })
}

#[napi(ts_return_type = "Promise<number>")]
pub fn pipe_round_trips<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, count: Unknown) -> Result<Object<'env>> {
    let count = round_trips(env, &count)?;
    spawn(env, pool, token, "pipeRoundTrips", move |t| io_outcome(kernels::pipe_round_trips(count, t)))
}
