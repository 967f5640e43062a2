//! `fannkuchSync(n)` and `fannkuch(pool, token, n)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

/// The checksum and the largest number of flips; both exact in a JS number for any n allowed.
#[napi(object)]
pub struct FannkuchResult {
    pub checksum: i64,
    pub max_flips: u32,
}

fn fannkuch_n(env: &Env, n: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "n", n, 1.0, kernels::FANNKUCH_N_MAX as f64)? as u32)
}

fn run(n: u32, ticker: &mut gil_lab_core::Ticker) -> std::result::Result<FannkuchResult, gil_lab_core::Interrupted> {
    let f = kernels::fannkuch(n, ticker)?;
    Ok(FannkuchResult { checksum: f.checksum, max_flips: f.max_flips })
}

/// `fannkuchSync(n: number): FannkuchResult`
pub unsafe extern "C" fn fannkuch_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [n]| {
        let n = fannkuch_n(env, &n)?;
        run_sync("fannkuch", |t| run(n, t))
    })
}

#[napi(ts_return_type = "Promise<FannkuchResult>")]
pub fn fannkuch<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, n: Unknown) -> Result<Object<'env>> {
    let n = fannkuch_n(env, &n)?;
    spawn(env, pool, token, "fannkuch", move |t| run(n, t))
}
