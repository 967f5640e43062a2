//! The kernels' exports: each kernel of `gil-lab-core` is one [`kernel!`] definition, in a file
//! of its own, which makes both of its exports — `<name>Sync(...args)` on the calling thread and
//! `<name>(pool, token, ...args)` queued on a pool — so that the two check their arguments alike
//! and run the same work.

/// One kernel's two exports, from its JS name, its arguments' check and its work:
///
/// - `check: |env, arg, …| expr` reads the JS arguments (each an `&Unknown`) into a
///   `Result` of checked values, throwing the kernel's TypeError/RangeError before any work;
/// - `borrow: |&checked| expr` (optional) what the sync form works on: the checked values as
///   they are by default, or views of them (a typed array read in place);
/// - `own: |checked| expr` (optional) what the async form sends to its thread: the checked
///   values by default, or copies (a typed array JS may change while the task waits);
/// - `run: |input, ticker| expr` the work, on the borrowed or the owned input.
///
/// It defines, in the calling module, `sync` (the sync form's N-API callback), `SYNC_EXPORT`
/// (its name, `<name>Sync`, and the callback, for `sync_export::register`) and the async
/// form, a `#[napi]` function named `js_name`.
macro_rules! kernel {
    (
        js_name: $js:tt,
        async_fn: $async_fn:ident,
        $(ts_args: $ts_args:tt,)?
        returns: $ts_return:tt,
        check: |$env:ident, $($arg:ident),+| $check:expr,
        $(borrow: |$borrowed:pat_param| $borrow:expr,)?
        $(own: |$owned:pat_param| $own:expr,)?
        run: |$input:pat_param, $ticker:ident| $run:expr $(,)?
    ) => {
        /// The sync form's N-API callback (see `sync_export`).
        ///
        /// # Safety
        /// `env` and `info` must be those of the N-API call it serves.
        pub unsafe extern "C" fn sync(env: napi::sys::napi_env, info: napi::sys::napi_callback_info) -> napi::sys::napi_value {
            $crate::sync_export::call(env, info, |$env, [$($arg),+]| {
                $(let $arg = &$arg;)+
                let checked = $check?;
                let input = kernel!(@borrow checked $(, |$borrowed| $borrow)?);
                $crate::tasks::run_sync($js, |$ticker| {
                    let $input = input;
                    $run
                })
            })
        }

        pub const SYNC_EXPORT: (&str, $crate::sync_export::Callback) = (concat!($js, "Sync"), sync);

        #[napi_derive::napi(js_name = $js, $(ts_args_type = $ts_args,)? ts_return_type = $ts_return)]
        pub fn $async_fn<'env>(
            env: &'env napi::Env,
            pool: Option<&$crate::tasks::NativePool>,
            token: Option<&$crate::tasks::CancelToken>,
            $($arg: napi::bindgen_prelude::Unknown),+
        ) -> napi::Result<napi::bindgen_prelude::Object<'env>> {
            let $env = env;
            $(let $arg = &$arg;)+
            let checked = $check?;
            let input = kernel!(@own checked $(, |$owned| $own)?);
            $crate::tasks::spawn(env, pool, token, $js, move |$ticker| {
                let $input = input;
                $run
            })
        }
    };
    (@borrow $checked:ident) => { $checked };
    (@borrow $checked:ident, |$pattern:pat_param| $view:expr) => {{
        let $pattern = &$checked;
        $view
    }};
    (@own $checked:ident) => { $checked };
    (@own $checked:ident, |$pattern:pat_param| $copy:expr) => {{
        let $pattern = $checked;
        $copy
    }};
}

mod count_primes;
mod countdown;
mod fannkuch;
mod mandelbrot;
mod matmul;
mod monte_carlo_pi;
mod nbody;
mod pipe_round_trips;
mod read_file;
mod sha256;
mod sleep;
mod spectral_norm;

use crate::sync_export::Callback;

/// The `<kernel>Sync` exports, registered by `sync_export::register`.
pub const SYNC_EXPORTS: &[(&str, Callback)] = &[
    count_primes::SYNC_EXPORT,
    countdown::SYNC_EXPORT,
    fannkuch::SYNC_EXPORT,
    mandelbrot::SYNC_EXPORT,
    matmul::SYNC_EXPORT,
    monte_carlo_pi::SYNC_EXPORT,
    nbody::SYNC_EXPORT,
    pipe_round_trips::SYNC_EXPORT,
    read_file::SYNC_EXPORT,
    sha256::SYNC_EXPORT,
    sleep::SYNC_EXPORT,
    spectral_norm::SYNC_EXPORT,
];
