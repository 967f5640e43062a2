//! `countdownSync(n)` and `countdown(pool, token, n)`.

use gil_lab_core::kernels;

use crate::args;

kernel! {
    js_name: "countdown",
    async_fn: countdown,
    returns: "Promise<void>",
    check: |env, n| args::integer(env, "n", n, 0.0, kernels::COUNTDOWN_N_MAX as f64).map(|n| n as u64),
    run: |n, t| kernels::countdown(n, t),
}
