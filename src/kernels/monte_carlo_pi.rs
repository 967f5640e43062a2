//! `monteCarloPiSync(samples, seed)` and `monteCarloPi(pool, token, samples, seed)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn samples_and_seed(env: &Env, samples: &Unknown, seed: &Unknown) -> Result<(u64, u32)> {
    let samples = args::integer(env, "samples", samples, 1.0, kernels::MONTE_CARLO_SAMPLES_MAX as f64)? as u64;
    let seed = args::integer(env, "seed", seed, 0.0, u32::MAX as f64)? as u32;
    Ok((samples, seed))
}

/// `monteCarloPiSync(samples: number, seed: number): number`
pub unsafe extern "C" fn monte_carlo_pi_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [samples, seed]| {
        let (samples, seed) = samples_and_seed(env, &samples, &seed)?;
        run_sync("monteCarloPi", |t| kernels::monte_carlo_pi(samples, seed, t))
    })
}

#[napi(ts_return_type = "Promise<number>")]
pub fn monte_carlo_pi<'env>(
    env: &'env Env,
    pool: Option<&NativePool>,
    token: Option<&CancelToken>,
    samples: Unknown,
    seed: Unknown,
) -> Result<Object<'env>> {
    let (samples, seed) = samples_and_seed(env, &samples, &seed)?;
    spawn(env, pool, token, "monteCarloPi", move |t| kernels::monte_carlo_pi(samples, seed, t))
}
