//! `tickProbeStart()` and `tickProbeFinish()`: the tick probe of `gil-lab-core` (feature
//! `probe-ticks`, for `benchmark/ticks.js`), for the calling thread — so around a sync call.

use gil_lab_core::tick_probe;
use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

/// Starts recording the calling thread's ticks.
#[napi]
pub fn tick_probe_start() {
    tick_probe::start();
}

/// Stops recording; the gaps between the start, each tick and now, in nanoseconds.
#[napi]
pub fn tick_probe_finish() -> Float64Array {
    Float64Array::new(tick_probe::finish().into_iter().map(|ns| ns as f64).collect())
}
