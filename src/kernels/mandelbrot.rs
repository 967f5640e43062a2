//! `mandelbrotSync(options)` and `mandelbrot(pool, token, options)`: `options` is
//! `{ width, height, maxIter }`, read once, field by field in that order, before any work.

use gil_lab_core::{args as checks, kernels};
use napi::bindgen_prelude::{Uint32Array, Unknown};
use napi::{Env, Result};

use crate::args;

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
    let max_iter =
        args::integer(env, "options.maxIter", &max_iter, 1.0, kernels::MANDELBROT_MAX_ITER_MAX as f64)? as u32;
    let pixels = width as f64 * height as f64;
    checks::at_most("options.width * options.height", pixels, kernels::MANDELBROT_PIXELS_MAX as f64)
        .map_err(|e| args::throw(env, e))?;
    Ok(Image { width, height, max_iter })
}

kernel! {
    js_name: "mandelbrot",
    async_fn: mandelbrot,
    returns: "Promise<Uint32Array>",
    check: |env, options| image(env, options),
    run: |Image { width, height, max_iter }, t| kernels::mandelbrot(width, height, max_iter, t).map(Uint32Array::new),
}
