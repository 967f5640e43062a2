//! `spectralNormSync(n)` and `spectralNorm(pool, token, n)`.

use gil_lab_core::kernels;

use crate::args;

kernel! {
    js_name: "spectralNorm",
    async_fn: spectral_norm,
    returns: "Promise<number>",
    check: |env, n| args::integer(env, "n", n, 1.0, kernels::SPECTRAL_NORM_N_MAX as f64).map(|n| n as u32),
    run: |n, t| kernels::spectral_norm(n, t),
}
