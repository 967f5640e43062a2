//! `countPrimesSync(limit)` and `countPrimes(pool, token, limit)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::args;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn count_primes_limit(env: &Env, limit: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "limit", limit, 0.0, kernels::COUNT_PRIMES_LIMIT_MAX as f64)? as u32)
}

#[napi]
pub fn count_primes_sync(env: Env, limit: Unknown) -> Result<u32> {
    let limit = count_primes_limit(&env, &limit)?;
    run_sync("countPrimes", |t| kernels::count_primes(limit, t))
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
