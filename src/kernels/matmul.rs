//! `matmulSync(a, b, n)` and `matmul(pool, token, a, b, n)`. The sync form reads `a` and `b`
//! in place; the async form multiplies copies taken before it queues the task.

use gil_lab_core::{args as checks, kernels};
use napi::bindgen_prelude::{Float64Array, Unknown};
use napi::{Env, Result};

use crate::args::{self, TypedArrayArg};

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

kernel! {
    js_name: "matmul",
    async_fn: matmul,
    ts_args: "pool: NativePool | null, token: CancelToken | null, a: Float64Array, b: Float64Array, n: number",
    returns: "Promise<Float64Array>",
    check: |env, a, b, n| checked(env, a, b, n),
    borrow: |(a, b, n)| (a.for_sync(), b.for_sync(), *n),
    own: |(a, b, n)| (a.to_vec(), b.to_vec(), n),
    run: |(a, b, n), t| kernels::matmul(&a, &b, n, t).map(Float64Array::new),
}
