//! `sha256Sync(data, rounds?)` and `sha256(pool, token, data, rounds?)`. The sync form
//! hashes `data` in place; the async form hashes a copy taken before it queues the task.

use gil_lab_core::kernels;
use napi::bindgen_prelude::{Object, Uint8Array, Unknown};
use napi::{Env, Result, ValueType};
use napi_derive::napi;

use crate::args::{self, TypedArrayArg};
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

fn checked<'call>(env: &Env, data: &Unknown<'call>, rounds: &Unknown) -> Result<(TypedArrayArg<'call, u8>, u32)> {
    let data = args::typed_array::<u8>(env, "data", data)?;
    let rounds = if rounds.get_type()? == ValueType::Undefined {
        1
    } else {
        args::integer(env, "rounds", rounds, 1.0, kernels::SHA256_ROUNDS_MAX as f64)? as u32
    };
    Ok((data, rounds))
}

#[napi(ts_args_type = "data: Uint8Array, rounds?: number")]
pub fn sha256_sync(env: Env, data: Unknown, rounds: Unknown) -> Result<Uint8Array> {
    let (data, rounds) = checked(&env, &data, &rounds)?;
    let data = data.for_sync();
    run_sync("sha256", |t| kernels::sha256(&data, rounds, t).map(|d| Uint8Array::new(d.to_vec())))
}

#[napi(ts_args_type = "pool: NativePool | null, token: CancelToken | null, data: Uint8Array, rounds?: number", ts_return_type = "Promise<Uint8Array>")]
pub fn sha256<'env>(
    env: &'env Env,
    pool: Option<&NativePool>,
    token: Option<&CancelToken>,
    data: Unknown,
    rounds: Unknown,
) -> Result<Object<'env>> {
    let (data, rounds) = checked(env, &data, &rounds)?;
    let data = data.to_vec();
    spawn(env, pool, token, "sha256", move |t| kernels::sha256(&data, rounds, t).map(|d| Uint8Array::new(d.to_vec())))
}
