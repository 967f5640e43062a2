//! `sleepSync(ms)` and `sleep(pool, token, ms)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn sleep_ms(env: &Env, ms: &Unknown) -> Result<f64> {
    args::number_in_range(env, "ms", ms, 0.0, kernels::SLEEP_MS_MAX)
}

/// `sleepSync(ms: number): void`
pub unsafe extern "C" fn sleep_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [ms]| {
        let ms = sleep_ms(env, &ms)?;
        run_sync("sleep", |t| kernels::sleep(ms, t))
    })
}

#[napi(ts_return_type = "Promise<void>")]
pub fn sleep<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, ms: Unknown) -> Result<Object<'env>> {
    let ms = sleep_ms(env, &ms)?;
    spawn(env, pool, token, "sleep", move |t| kernels::sleep(ms, t))
}
