//! The synchronization primitives of the lock and the eval breaker: std's, or, built with
//! `--cfg loom`, loom's models of them, so that `tests/loom_gil.rs` can run the lock under
//! loom, which explores the interleavings of its threads.

#[cfg(loom)]
pub(crate) use loom::sync::{
    atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8},
    Condvar, Mutex, MutexGuard,
};
#[cfg(not(loom))]
pub(crate) use std::sync::{
    atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8},
    Condvar, Mutex, MutexGuard,
};
