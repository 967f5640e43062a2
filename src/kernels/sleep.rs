//! `sleepSync(ms)` and `sleep(pool, token, ms)`.

use gil_lab_core::kernels;

use crate::args;

kernel! {
    js_name: "sleep",
    async_fn: sleep,
    returns: "Promise<void>",
    check: |env, ms| args::number_in_range(env, "ms", ms, 0.0, kernels::SLEEP_MS_MAX),
    run: |ms, t| kernels::sleep(ms, t),
}
