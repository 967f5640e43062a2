//! `nbodySync(steps)` and `nbody(pool, token, steps)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Unknown};
use napi::{Env, Result};
use napi_derive::napi;

use crate::args;
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

#[napi]
pub fn nbody_sync(env: Env, steps: Unknown) -> Result<NbodyEnergies> {
    let steps = nbody_steps(&env, &steps)?;
    run_sync("nbody", |t| run(steps, t))
}

#[napi(ts_return_type = "Promise<NbodyEnergies>")]
pub fn nbody<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, steps: Unknown) -> Result<Object<'env>> {
    let steps = nbody_steps(env, &steps)?;
    spawn(env, pool, token, "nbody", move |t| run(steps, t))
}
