//! The kernels' sync exports (`<kernel>Sync`), as plain N-API callbacks.
//!
//! A `#[napi] fn` that takes arguments opens napi-derive's "native borrow scope" on every
//! call — an `Arc<Mutex<…>>` allocated and freed, thread-local stacks pushed and popped — to
//! guard borrows of class instances passed as arguments. Callgrind counts about 900
//! instructions per call for it (napi 3.16), where node-addon-api's whole call into C++ is
//! about 430: it made `countPrimesSync(0)` three times the C++ baseline's time (`npm run
//! bench:peers`). A sync kernel takes only `Unknown` arguments, which borrow nothing, so its
//! export goes without: [`call`] reads the arguments and converts the result or the error as
//! the generated glue does, and [`register`] puts the callbacks listed in
//! `kernels::SYNC_EXPORTS` on the module's exports. (So napi-rs leaves them out of the
//! `binding.d.ts` it generates; `lib/backends/native.ts` types them after the async exports.)

use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, JsError, JsObjectValue, Object, ToNapiValue, Unknown};
use napi::{check_status, sys, Env, Result};
use napi_derive::napi;

/// An N-API callback, as `sys::napi_create_function` takes it.
pub type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// The body of a sync export's callback: reads the call's first `N` arguments (`undefined`
/// where JS passed fewer, as N-API fills them), runs `body`, and returns its result to JS,
/// or throws its error unless `body` has thrown it already.
///
/// # Safety
/// `env` and `info` must be those of the N-API callback this runs in.
pub unsafe fn call<const N: usize, R: ToNapiValue>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    body: impl FnOnce(&Env, [Unknown<'_>; N]) -> Result<R>,
) -> sys::napi_value {
    let run = || -> Result<sys::napi_value> {
        let mut argc = N;
        let mut argv = [ptr::null_mut(); N];
        // SAFETY: `argv` has room for `argc` values; `this` and `data` are not asked for.
        check_status!(unsafe {
            sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut())
        })?;
        // SAFETY: each value is a live argument of this call; `Unknown` only wraps it.
        let args = argv.map(|value| unsafe { Unknown::from_napi_value(env, value) }.expect("Unknown wraps any value"));
        let result = body(&Env::from_raw(env), args)?;
        // SAFETY: this callback's env, on its thread.
        unsafe { R::to_napi_value(env, result) }
    };
    run().unwrap_or_else(|error| {
        // SAFETY: as above.
        unsafe { JsError::from(error).throw_into(env) };
        ptr::null_mut()
    })
}

/// Adds each `(name, callback)` of `kernels::SYNC_EXPORTS` to the module's exports.
#[napi(module_exports)]
pub fn register(mut exports: Object, env: Env) -> Result<()> {
    for &(name, callback) in crate::kernels::SYNC_EXPORTS {
        let function = env.create_function::<Unknown, Unknown>(name, callback)?;
        exports.set_named_property(name, function)?;
    }
    Ok(())
}
