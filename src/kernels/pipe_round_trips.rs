//! `pipeRoundTripsSync(count)` and `pipeRoundTrips(pool, token, count)`.

use gil_lab_core::kernels;

use crate::args;
use crate::io_outcome::io_outcome;

kernel! {
    js_name: "pipeRoundTrips",
    async_fn: pipe_round_trips,
    returns: "Promise<number>",
    check: |env, count| args::integer(env, "count", count, 0.0, kernels::PIPE_ROUND_TRIPS_MAX as f64).map(|n| n as u32),
    run: |count, t| io_outcome(kernels::pipe_round_trips(count, t)),
}
