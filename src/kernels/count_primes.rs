//! `countPrimesSync(limit)` and `countPrimes(pool, token, limit)`.

use gil_lab_core::kernels;

use crate::args;

kernel! {
    js_name: "countPrimes",
    async_fn: count_primes,
    returns: "Promise<number>",
    check: |env, limit| args::integer(env, "limit", limit, 0.0, kernels::COUNT_PRIMES_LIMIT_MAX as f64).map(|n| n as u32),
    run: |limit, t| kernels::count_primes(limit, t),
}
