//! `fannkuchSync(n)` and `fannkuch(pool, token, n)`.

use gil_lab_core::kernels;
use napi_derive::napi;

use crate::args;

/// The checksum and the largest number of flips; both exact in a JS number for any n allowed.
#[napi(object)]
pub struct FannkuchResult {
    pub checksum: i64,
    pub max_flips: u32,
}

kernel! {
    js_name: "fannkuch",
    async_fn: fannkuch,
    returns: "Promise<FannkuchResult>",
    check: |env, n| args::integer(env, "n", n, 1.0, kernels::FANNKUCH_N_MAX as f64).map(|n| n as u32),
    run: |n, t| kernels::fannkuch(n, t).map(|f| FannkuchResult { checksum: f.checksum, max_flips: f.max_flips }),
}
