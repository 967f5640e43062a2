//! Test-only exports, built only with the feature `test-hooks` (never in a shipped binary). They show
//! that a Rust panic in a kernel becomes a JS error naming it — thrown by a sync call, a
//! rejected promise from an async one — and that the process and the pool live on.

use napi::bindgen_prelude::Object;
use napi::{Env, Result};
use napi_derive::napi;

use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

const KERNEL: &str = "__panicForTesting";

/// Panics with `message` on the calling thread.
#[napi(js_name = "__panicForTestingSync")]
pub fn panic_for_testing_sync(message: String) -> Result<()> {
    run_sync(KERNEL, |_| panic!("{message}"))
}

/// Panics with `message` on a pool thread.
#[napi(js_name = "__panicForTesting", ts_return_type = "Promise<void>")]
pub fn panic_for_testing<'env>(
    env: &'env Env,
    pool: Option<&NativePool>,
    token: Option<&CancelToken>,
    message: String,
) -> Result<Object<'env>> {
    spawn(env, pool, token, KERNEL, move |_| -> std::result::Result<(), _> { panic!("{message}") })
}
