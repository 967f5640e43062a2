//! `pipeRoundTripsSync(count)` and `pipeRoundTrips(pool, token, count)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::args;
use crate::io_outcome::{io_outcome, IoOutcome};
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn round_trips(env: &Env, count: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "count", count, 0.0, kernels::PIPE_ROUND_TRIPS_MAX as f64)? as u32)
}

#[napi(ts_return_type = "number")]
pub fn pipe_round_trips_sync(env: Env, count: Unknown) -> Result<IoOutcome<u32>> {
    let count = round_trips(&env, &count)?;
    run_sync("pipeRoundTrips", |t| io_outcome(kernels::pipe_round_trips(count, t)))
}

#[napi(ts_return_type = "Promise<number>")]
pub fn pipe_round_trips<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, count: Unknown) -> Result<Object<'env>> {
    let count = round_trips(env, &count)?;
    spawn(env, pool, token, "pipeRoundTrips", move |t| io_outcome(kernels::pipe_round_trips(count, t)))
}
