//! gil-lab-core: the kernels, the eval breaker and the thread pool behind gil-lab, in plain
//! Rust with no N-API. The binding crate at the workspace root converts arguments and hands
//! tasks to this crate; everything here is covered by `cargo test`.
//!
//! A kernel is a function that does its work in *ticks* — a few microseconds each — and
//! calls [`Ticker::tick`] after every one. The ticker reads the running thread's
//! [`EvalBreaker`], one atomic word whose bits ask the thread to stop (cancellation) or,
//! once the emulated GIL is on, to drop the lock. One load per tick serves both.
//!
//! [`gil`] is the emulated GIL; [`pool`] the thread pools whose threads take it per task.

pub mod args;
pub mod breaker;
pub mod gil;
pub mod kernels;
pub mod os_error;
pub mod pool;
#[cfg(feature = "probe-ticks")]
pub mod tick_probe;

pub use breaker::{EvalBreaker, Interrupted, Ticker};
pub use gil::{Gil, GilThread, Mode};
