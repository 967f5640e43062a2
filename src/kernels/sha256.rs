//! `sha256Sync(data, rounds?)` and `sha256(pool, token, data, rounds?)`. The sync form
//! hashes `data` in place; the async form hashes a copy taken before it queues the task.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{ToNapiValue, Uint8ArraySlice, Unknown};
use napi::{sys, Env, Result, ValueType};

use crate::args::{self, TypedArrayArg};

/// A digest, returned as a Uint8Array over a new ArrayBuffer that it is copied into: for 32
/// bytes about half the cost of `Uint8Array::new(vec)`, which lends V8 the `Vec` as an
/// external buffer with a finalizer to run.
struct Digest([u8; 32]);

impl ToNapiValue for Digest {
    unsafe fn to_napi_value(env: sys::napi_env, digest: Self) -> Result<sys::napi_value> {
        let array = Uint8ArraySlice::copy_from(&Env::from_raw(env), digest.0)?;
        // SAFETY: the array was just made on this env, on its thread.
        unsafe { ToNapiValue::to_napi_value(env, array) }
    }
}

fn checked<'call>(env: &Env, data: &Unknown<'call>, rounds: &Unknown) -> Result<(TypedArrayArg<'call, u8>, u32)> {
    let data = args::typed_array::<u8>(env, "data", data)?;
    let rounds = if rounds.get_type()? == ValueType::Undefined {
        1
    } else {
        args::integer(env, "rounds", rounds, 1.0, kernels::SHA256_ROUNDS_MAX as f64)? as u32
    };
    Ok((data, rounds))
}

kernel! {
    js_name: "sha256",
    async_fn: sha256,
    ts_args: "pool: NativePool | null, token: CancelToken | null, data: Uint8Array, rounds?: number",
    returns: "Promise<Uint8Array>",
    check: |env, data, rounds| checked(env, data, rounds),
    borrow: |(data, rounds)| (data.for_sync(), *rounds),
    own: |(data, rounds)| (data.to_vec(), rounds),
    run: |(data, rounds), t| kernels::sha256(&data, rounds, t).map(Digest),
}
