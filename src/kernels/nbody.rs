//! `nbodySync(steps)` and `nbody(pool, token, steps)`.

use gil_lab_core::kernels;
use napi_derive::napi;

use crate::args;

/// The system's total energy before the first step and after the last.
#[napi(object)]
pub struct NbodyEnergies {
    pub energy_before: f64,
    pub energy_after: f64,
}

kernel! {
    js_name: "nbody",
    async_fn: nbody,
    returns: "Promise<NbodyEnergies>",
    check: |env, steps| args::integer(env, "steps", steps, 0.0, kernels::NBODY_STEPS_MAX as f64).map(|n| n as u32),
    run: |steps, t| kernels::nbody(steps, t).map(|e| NbodyEnergies { energy_before: e.before, energy_after: e.after }),
}
