//! `readFileSync(path)` and `readFile(pool, token, path)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Uint8Array, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::io_outcome::{io_outcome, IoOutcome};
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn run(path: &str, ticker: &mut gil_lab_core::Ticker) -> std::result::Result<IoOutcome<Uint8Array>, gil_lab_core::Interrupted> {
    io_outcome(kernels::read_file(path, ticker).map(Uint8Array::new))
}

/// `readFileSync(path: string): Uint8Array`
pub unsafe extern "C" fn read_file_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [path]| {
        let path = args::path(env, "path", &path)?;
        run_sync("readFile", |t| run(&path, t))
    })
}

#[napi(ts_return_type = "Promise<Uint8Array>")]
pub fn read_file<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, path: Unknown) -> Result<Object<'env>> {
    let path = args::path(env, "path", &path)?;
    spawn(env, pool, token, "readFile", move |t| run(&path, t))
}
