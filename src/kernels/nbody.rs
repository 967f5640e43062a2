//! `nbodySync(steps)` and `nbody(pool, token, steps)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

/// The system's total energy before the first step and after the last.
#[napi(object)]
pub struct NbodyEnergies {
    pub energy_before: f64,
    pub energy_after: f64,
}

fn nbody_steps(env: &Env, steps: &Unknown) -> Result<u32> {
    Ok(args::integer(env, "steps", steps, 0.0, kernels::NBODY_STEPS_MAX as f64)? as u32)
}

fn run(steps: u32, ticker: &mut gil_lab_core::Ticker) -> std::result::Result<NbodyEnergies, gil_lab_core::Interrupted> {
    let e = kernels::nbody(steps, ticker)?;
    Ok(NbodyEnergies { energy_before: e.before, energy_after: e.after })
}

/// `nbodySync(steps: number): NbodyEnergies`
pub unsafe extern "C" fn nbody_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [steps]| {
        let steps = nbody_steps(env, &steps)?;
        run_sync("nbody", |t| run(steps, t))
    })
}

#[napi(ts_return_type = "Promise<NbodyEnergies>")]
pub fn nbody<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, steps: Unknown) -> Result<Object<'env>> {
    let steps = nbody_steps(env, &steps)?;
    spawn(env, pool, token, "nbody", move |t| run(steps, t))
}
