//! `matmulSync(a, b, n)` and `matmul(pool, token, a, b, n)`. The sync form reads `a` and `b`
//! in place; the async form multiplies copies taken before it queues the task.

use gil_lab_core::{args as checks, kernels};
use napi::bindgen_prelude::{Float64Array, Object, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args::{self, TypedArrayArg};
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

type Operands<'call> = (TypedArrayArg<'call, f64>, TypedArrayArg<'call, f64>, usize);

fn checked<'call>(env: &Env, a: &Unknown<'call>, b: &Unknown<'call>, n: &Unknown) -> Result<Operands<'call>> {
    let a = args::typed_array::<f64>(env, "a", a)?;
    let b = args::typed_array::<f64>(env, "b", b)?;
    let n = args::integer(env, "n", n, 1.0, kernels::MATMUL_N_MAX as f64)? as usize;
    for (name, matrix) in [("a", &a), ("b", &b)] {
        checks::length(name, "n * n", (n * n) as f64, matrix.len() as f64).map_err(|e| args::throw(env, e))?;
    }
    Ok((a, b, n))
}

/// `matmulSync(a: Float64Array, b: Float64Array, n: number): Float64Array`
pub unsafe extern "C" fn matmul_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [a, b, n]| {
        let (a, b, n) = checked(env, &a, &b, &n)?;
        let (a, b) = (a.for_sync(), b.for_sync());
        run_sync("matmul", |t| kernels::matmul(&a, &b, n, t).map(Float64Array::new))
    })
}

#[napi(
    ts_args_type = "pool: NativePool | null, token: CancelToken | null, a: Float64Array, b: Float64Array, n: number",
    ts_return_type = "Promise<Float64Array>"
)]
pub fn matmul<'env>(
    env: &'env Env,
    pool: Option<&NativePool>,
    token: Option<&CancelToken>,
    a: Unknown,
    b: Unknown,
    n: Unknown,
) -> Result<Object<'env>> {
    let (a, b, n) = checked(env, &a, &b, &n)?;
    let (a, b) = (a.to_vec(), b.to_vec());
    spawn(env, pool, token, "matmul", move |t| kernels::matmul(&a, &b, n, t).map(Float64Array::new))
}
