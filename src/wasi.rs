//! What only the wasm build has.

use gil_lab_core::gil::Interpreters;
use gil_lab_core::Mode;
use napi::{Error, Result, Status};
use napi_derive::napi;

/// Sets the working directory of the wasm build's file calls: WASI starts every instance at
/// `/`, and `readFile`'s relative paths must resolve from Node's `process.cwd()`, as natively.
#[napi(js_name = "wasiChdir")]
pub fn wasi_chdir(path: String) -> Result<()> {
    std::env::set_current_dir(&path).map_err(|e| Error::new(Status::GenericFailure, format!("chdir '{path}': {e}")))
}

/// A panic is an abort on wasm: the thread traps where it stands, and a lock it held stays
/// held. The instance is given up (`lib/backends/wasm.ts`), but until the news of the trap
/// reaches the main thread, a thread that waits for that lock would wait for ever — the main
/// thread in a sync call among them, which then could not even receive the news. So once
/// the panic's message is written, every lock of the instance is switched off, which lets
/// every waiter through; the next instance takes `gil`'s settings again.
#[napi_derive::module_init]
fn switch_locks_off_on_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        report(info);
        Interpreters::process().set_mode(Mode::Off);
    }));
}
