//! The N-API binding of gil-lab: argument checks and conversion, task hand-off to the pool
//! of `gil-lab-core`, and errors. The work itself lives in `crates/core`.

mod args;
mod gil;
mod io_outcome;
mod kernels;
mod settle;
mod sync_export;
mod tasks;
#[cfg(feature = "test-hooks")]
mod testing;
#[cfg(feature = "probe-ticks")]
mod tick_probe;
#[cfg(target_os = "wasi")]
mod wasi;
