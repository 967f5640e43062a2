//! `spectralNormSync(n)` and `spectralNorm(pool, token, n)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::args;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn spectral_norm_n(env: &Env, n: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "n", n, 1.0, kernels::SPECTRAL_NORM_N_MAX as f64)? as u32)
}

#[napi]
pub fn spectral_norm_sync(env: Env, n: Unknown) -> Result<f64> {
    let n = spectral_norm_n(&env, &n)?;
    run_sync("spectralNorm", |t| kernels::spectral_norm(n, t))
}

#[napi(ts_return_type = "Promise<number>")]
pub fn spectral_norm<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, n: Unknown) -> Result<Object<'env>> {
    let n = spectral_norm_n(env, &n)?;
    spawn(env, pool, token, "spectralNorm", move |t| kernels::spectral_norm(n, t))
}
