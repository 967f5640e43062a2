//! `mandelbrotSync(options)` and `mandelbrot(pool, token, options)`: `options` is
//! `{ width, height, maxIter }`, read once, field by field in that order, before any work.

use gil_lab_core::{args as checks, kernels};
use napi::bindgen_prelude::{Object, Uint32Array, Unknown};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::args;
use crate::sync_export;
use crate::tasks::{run_sync, spawn, CancelToken, NativePool};

struct Image {
    width: u32,
    height: u32,
    max_iter: u32,
}

fn image(env: &Env, options: &Unknown) -> Result<Image> {
    let options = args::object(env, "options", options)?;
    let side = |name: &str, field: &str| -> Result<u32> {
        let value = args::field(&options, field)?;
        Ok(args::integer(env, name, &value, 1.0, kernels::MANDELBROT_SIDE_MAX as f64)? as u32)
    };
    let width = side("options.width", "width")?;
    let height = side("options.height", "height")?;
    let max_iter = args::field(&options, "maxIter")?;
    let max_iter = args::integer(env, "options.maxIter", &max_iter, 1.0, kernels::MANDELBROT_MAX_ITER_MAX as f64)? as u32;
    let pixels = width as f64 * height as f64;
    checks::at_most("options.width * options.height", pixels, kernels::MANDELBROT_PIXELS_MAX as f64)
        .map_err(|e| args::throw(env, e))?;
    Ok(Image { width, height, max_iter })
}

/// `mandelbrotSync(options: MandelbrotOptions): Uint32Array`
pub unsafe extern "C" fn mandelbrot_sync(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    sync_export::call(env, info, |env, [options]| {
        let Image { width, height, max_iter } = image(env, &options)?;
        run_sync("mandelbrot", |t| kernels::mandelbrot(width, height, max_iter, t).map(Uint32Array::new))
    })
}

#[napi(ts_return_type = "Promise<Uint32Array>")]
pub fn mandelbrot<'env>(env: &'env Env, pool: Option<&NativePool>, token: Option<&CancelToken>, options: Unknown) -> Result<Object<'env>> {
    let Image { width, height, max_iter } = image(env, &options)?;
    spawn(env, pool, token, "mandelbrot", move |t| kernels::mandelbrot(width, height, max_iter, t).map(Uint32Array::new))
}
