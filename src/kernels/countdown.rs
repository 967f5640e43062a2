//! `countdownSync(n)` and `countdown(pool, token, n)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn countdown_n(env: &Env, n: &Unknown) -> Result<u64> {
    Ok(args::integer(env, "n", n, 0.0, kernels::COUNTDOWN_N_MAX as f64)? as u64)
}

/// `countdownSync(n: number): void`
pub unsafe extern "C" fn countdown_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [n]| {
        let n = countdown_n(env, &n)?;
        run_sync("countdown", |t| kernels::countdown(n, t))
    })
}

#[napi(ts_return_type = "Promise<void>")]
pub fn countdown<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, n: Unknown) -> Result<Object<'env>> {
    let n = countdown_n(env, &n)?;
    spawn(env, pool, token, "countdown", move |t| kernels::countdown(n, t))
}
