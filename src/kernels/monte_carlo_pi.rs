//! `monteCarloPiSync(samples, seed)` and `monteCarloPi(pool, token, samples, seed)`.

use gil_lab_core::kernels;

use crate::args;

kernel! {
    js_name: "monteCarloPi",
    async_fn: monte_carlo_pi,
    returns: "Promise<number>",
    check: |env, samples, seed| {
        let samples = args::integer(env, "samples", samples, 1.0, kernels::MONTE_CARLO_SAMPLES_MAX as f64)? as u64;
        let seed = args::integer(env, "seed", seed, 0.0, u32::MAX as f64)? as u32;
        napi::Result::Ok((samples, seed))
    },
    run: |(samples, seed), t| kernels::monte_carlo_pi(samples, seed, t),
}
