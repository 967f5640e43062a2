//! `spectralNormSync(n)` and `spectralNorm(pool, token, n)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn spectral_norm_n(env: &Env, n: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "n", n, 1.0, kernels::SPECTRAL_NORM_N_MAX as f64)? as u32)
}

/// `spectralNormSync(n: number): number`
pub unsafe extern "C" fn spectral_norm_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [n]| {
        let n = spectral_norm_n(env, &n)?;
        run_sync("spectralNorm", |t| kernels::spectral_norm(n, t))
    })
}

#[napi(ts_return_type = "Promise<number>")]
pub fn spectral_norm<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, n: Unknown) -> Result<Object<'env>> {
    let n = spectral_norm_n(env, &n)?;
    spawn(env, pool, token, "spectralNorm", move |t| kernels::spectral_norm(n, t))
}
