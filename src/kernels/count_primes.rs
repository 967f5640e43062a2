//! `countPrimesSync(limit)` and `countPrimes(pool, token, limit)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn count_primes_limit(env: &Env, limit: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "limit", limit, 0.0, kernels::COUNT_PRIMES_LIMIT_MAX as f64)? as u32)
}

/// `countPrimesSync(limit: number): number`
pub unsafe extern "C" fn count_primes_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [limit]| {
        let limit = count_primes_limit(env, &limit)?;
        run_sync("countPrimes", |t| kernels::count_primes(limit, t))
    })
}

#[napi(ts_return_type = "Promise<number>")]
pub fn count_primes<'env>(
    env: &'env Env,
    pool: Option<&NativePool>,
    token: Option<&CancelToken>,
    limit: Unknown,
) -> Result<Object<'env>> {
    let limit = count_primes_limit(env, &limit)?;
    spawn(env, pool, token, "countPrimes", move |t| kernels::count_primes(limit, t))
}
