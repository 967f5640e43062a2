//! `readFileSync(path)` and `readFile(pool, token, path)`.

use gil_lab_core::kernels;
use napi::bindgen_prelude::Uint8Array;

use crate::args;
use crate::io_outcome::io_outcome;

kernel! {
    js_name: "readFile",
    async_fn: read_file,
    returns: "Promise<Uint8Array>",
    check: |env, path| args::path(env, "path", path),
    run: |path, t| io_outcome(kernels::read_file(&path, t).map(Uint8Array::new)),
}
