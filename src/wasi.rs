//! What only the wasm build exports.

use napi::{Error, Result, Status};
use napi_derive::napi;

/// Sets the working directory of the wasm build's file calls: WASI starts every instance at
/// `/`, and `readFile`'s relative paths must resolve from Node's `process.cwd()`, as natively.
#[napi(js_name = "wasiChdir")]
pub fn wasi_chdir(path: String) -> Result<()> {
    std::env::set_current_dir(&path).map_err(|e| Error::new(Status::GenericFailure, format!("chdir '{path}': {e}")))
}
