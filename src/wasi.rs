//! What only the wasm build has.

use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::sync::atomic::{AtomicU32, AtomicU8};

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
/// the panic's message is written (and kept for the error, see [`PanicReport`]), every lock
/// of the instance is switched off, which lets every waiter through; the next instance takes
/// `gil`'s settings again.
#[napi_derive::module_init]
fn switch_locks_off_on_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        report(info);
        PANIC_REPORT.keep(info.payload_as_str().unwrap_or("a panic with no message"));
        Interpreters::process().set_mode(Mode::Off);
    }));
}

const PANIC_REPORT_BYTES: usize = 1020;

/// The message of the instance's first panic, which the error of the calls it fails quotes:
/// the loader reads it from memory after the trap, through [`gil_lab_panic_report`] (see
/// scripts/build-wasm.js), as nothing can be called in an instance that trapped.
#[repr(C)]
pub struct PanicReport {
    /// 0 until a panic writes, `u32::MAX` while it writes, then the length of its message.
    length: AtomicU32,
    /// The message, UTF-8, cut to fit.
    bytes: [AtomicU8; PANIC_REPORT_BYTES],
}

static PANIC_REPORT: PanicReport =
    PanicReport { length: AtomicU32::new(0), bytes: [const { AtomicU8::new(0) }; PANIC_REPORT_BYTES] };

impl PanicReport {
    fn keep(&self, message: &str) {
        if self.length.compare_exchange(0, u32::MAX, Acquire, Relaxed).is_err() {
            return; // a panic before this one is the report
        }
        let mut end = message.len().min(PANIC_REPORT_BYTES);
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        for (slot, &byte) in self.bytes.iter().zip(&message.as_bytes()[..end]) {
            slot.store(byte, Relaxed);
        }
        self.length.store(end as u32, Release);
    }
}

/// Where the panic report lies in the instance's memory.
#[no_mangle]
pub extern "C" fn gil_lab_panic_report() -> *const PanicReport {
    &PANIC_REPORT
}
