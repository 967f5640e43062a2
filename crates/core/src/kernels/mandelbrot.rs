//! `mandelbrot({ width, height, maxIter })`: escape counts of the Mandelbrot set, row-major.
//!
//! Pixel (x, y) of a `width` × `height` image is the point c = cr + ci·i with
//! `cr = (2 * x) / width - 1.5` and `ci = (2 * y) / height - 1` — the square [-1.5, 0.5] ×
//! [-1, 1] of the Benchmarks Game — and its count is the first n < maxIter at which
//! `zr² + zi² > 4`, or maxIter if there is none, for z₀ = 0 and
//!
//! ```text
//! zr2 = zr * zr; zi2 = zi * zi
//! if zr2 + zi2 > 4: stop
//! zi = (zr + zr) * zi + ci
//! zr = zr2 - zi2 + cr
//! ```
//!
//! in f64, in exactly that order and with no fused multiply-add (Rust never contracts, nor
//! does V8), so that both backends give the same counts, bit for bit.
//!
//! This side runs eight pixels of a row at once, lane by lane, which the compiler turns into
//! SIMD (AVX2 where the CPU has it); on wasm four, in SIMD128 written out, as LLVM leaves the
//! lanes' branches scalar there. Every lane does the operations above on its own pixel, so the
//! counts are those of the one-pixel loop of the JS twin.

use crate::{Interrupted, Ticker};

/// The largest width and height accepted.
pub const MANDELBROT_SIDE_MAX: u32 = 65_536;

/// The most pixels accepted, `width * height`: 256 MiB of counts.
pub const MANDELBROT_PIXELS_MAX: u64 = 1 << 26;

/// The largest `maxIter` accepted: every count fits a `Uint32Array`.
pub const MANDELBROT_MAX_ITER_MAX: u32 = u32::MAX;

/// Pixels computed side by side.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const LANES: usize = 8;
/// On wasm, two SIMD128 vectors: with four, each pixel's state takes more registers than
/// V8 gives x86-64 code, and the spills cost more than the extra pixels gain.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const LANES: usize = 4;

/// Iterations of all the lanes per tick: a tick of a few microseconds on a current x86-64 core (`benchmark/ticks.js` measures it), twice that without AVX2.
pub const LANE_STEPS_PER_TICK: u32 = 4096;

/// What starting and storing a group of lanes costs, in iterations: where pixels escape at
/// once, that is most of the work.
const GROUP_COST: u32 = 8;

/// The escape counts of the `width` × `height` image, row-major. `width * height` must be
/// at most [`MANDELBROT_PIXELS_MAX`], as the binding checks.
pub fn mandelbrot(width: u32, height: u32, max_iter: u32, ticker: &mut Ticker) -> Result<Vec<u32>, Interrupted> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return mandelbrot_lanes(width, height, max_iter, ticker, |lanes, from, end| unsafe {
            iterate_avx2(lanes, from, end)
        });
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let iterate = iterate_simd128;
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let iterate = iterate_portable;
    mandelbrot_lanes(width, height, max_iter, ticker, iterate)
}

/// Eight pixels of a row, side by side, between runs of iterations.
struct Lanes {
    cr: [f64; LANES],
    ci: f64,
    zr: [f64; LANES],
    zi: [f64; LANES],
    /// Lanes not yet escaped (lanes past the row's end start inactive).
    active: [bool; LANES],
    count: [u32; LANES],
}

fn mandelbrot_lanes(
    width: u32,
    height: u32,
    max_iter: u32,
    ticker: &mut Ticker,
    iterate: impl Fn(&mut Lanes, u32, u32) -> (u32, bool),
) -> Result<Vec<u32>, Interrupted> {
    let (w, h) = (width as usize, height as usize);
    let mut counts = vec![0u32; w * h];
    let mut budget = LANE_STEPS_PER_TICK;
    for (y, row) in counts.chunks_exact_mut(w.max(1)).enumerate() {
        let ci = (2.0 * y as f64) / height as f64 - 1.0;
        for (group_index, group) in row.chunks_mut(LANES).enumerate() {
            let x0 = group_index * LANES;
            let mut lanes = Lanes {
                cr: [0.0; LANES],
                ci,
                zr: [0.0; LANES],
                zi: [0.0; LANES],
                active: [false; LANES],
                count: [max_iter; LANES],
            };
            for lane in 0..LANES {
                lanes.cr[lane] = (2.0 * (x0 + lane) as f64) / width as f64 - 1.5;
                lanes.active[lane] = lane < group.len(); // the lanes past the row's end stay idle
            }
            let mut n = 0;
            loop {
                let (reached, any_active) = iterate(&mut lanes, n, n + budget.min(max_iter - n));
                budget -= reached - n;
                n = reached;
                if !any_active || n == max_iter {
                    break;
                }
                if budget == 0 {
                    ticker.tick()?;
                    budget = LANE_STEPS_PER_TICK;
                }
            }
            group.copy_from_slice(&lanes.count[..group.len()]);
            if budget <= GROUP_COST {
                ticker.tick()?;
                budget = LANE_STEPS_PER_TICK;
            } else {
                budget -= GROUP_COST;
            }
        }
    }
    ticker.tick()?;
    Ok(counts)
}

// The iterations between two ticks run in a function of their own, on local copies of the
// lanes, with no call inside: with the tick in the same loop the compiler keeps the lanes'
// state in memory rather than in registers.

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
unsafe fn iterate_avx2(lanes: &mut Lanes, from: u32, end: u32) -> (u32, bool) {
    iterate(lanes, from, end)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(never)]
fn iterate_portable(lanes: &mut Lanes, from: u32, end: u32) -> (u32, bool) {
    iterate(lanes, from, end)
}

/// [`iterate`] on wasm's SIMD128: two lanes a vector, a lane's activity and count kept as
/// 64-bit masks and integers beside its f64s. The same operations in the same order on each
/// lane, so the same counts.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(never)]
fn iterate_simd128(lanes: &mut Lanes, from: u32, end: u32) -> (u32, bool) {
    use core::arch::wasm32::*;
    const VECTORS: usize = LANES / 2;
    let pair = |values: &[f64; LANES], v: usize| f64x2(values[2 * v], values[2 * v + 1]);
    let mask = |active: bool| if active { -1 } else { 0 };
    let cr: [v128; VECTORS] = std::array::from_fn(|v| pair(&lanes.cr, v));
    let ci = f64x2_splat(lanes.ci);
    let four = f64x2_splat(4.0);
    let mut zr: [v128; VECTORS] = std::array::from_fn(|v| pair(&lanes.zr, v));
    let mut zi: [v128; VECTORS] = std::array::from_fn(|v| pair(&lanes.zi, v));
    let mut active: [v128; VECTORS] =
        std::array::from_fn(|v| i64x2(mask(lanes.active[2 * v]), mask(lanes.active[2 * v + 1])));
    let mut count: [v128; VECTORS] =
        std::array::from_fn(|v| i64x2(lanes.count[2 * v] as i64, lanes.count[2 * v + 1] as i64));
    let mut n = from;
    let mut any_active = true;
    while n < end {
        let now = i64x2_splat(n as i64);
        let mut zr2 = [f64x2_splat(0.0); VECTORS];
        let mut zi2 = [f64x2_splat(0.0); VECTORS];
        let mut still = i64x2_splat(0);
        for v in 0..VECTORS {
            zr2[v] = f64x2_mul(zr[v], zr[v]);
            zi2[v] = f64x2_mul(zi[v], zi[v]);
            let escaped = v128_and(active[v], f64x2_gt(f64x2_add(zr2[v], zi2[v]), four));
            count[v] = v128_bitselect(now, count[v], escaped);
            active[v] = v128_andnot(active[v], escaped);
            still = v128_or(still, active[v]);
        }
        any_active = v128_any_true(still);
        if !any_active {
            break;
        }
        for v in 0..VECTORS {
            zi[v] = f64x2_add(f64x2_mul(f64x2_add(zr[v], zr[v]), zi[v]), ci);
            zr[v] = f64x2_add(f64x2_sub(zr2[v], zi2[v]), cr[v]);
        }
        n += 1;
    }
    // SAFETY: [v128; VECTORS] and [f64; LANES] or [i64; LANES] have the same size, and every
    // bit pattern is a value of each; a vector's lane 0 is its first element in memory.
    let (active, count, zr, zi) = unsafe {
        (
            core::mem::transmute::<[v128; VECTORS], [i64; LANES]>(active),
            core::mem::transmute::<[v128; VECTORS], [i64; LANES]>(count),
            core::mem::transmute::<[v128; VECTORS], [f64; LANES]>(zr),
            core::mem::transmute::<[v128; VECTORS], [f64; LANES]>(zi),
        )
    };
    (lanes.zr, lanes.zi) = (zr, zi);
    lanes.active = active.map(|mask| mask != 0);
    lanes.count = count.map(|c| c as u32);
    (n, any_active)
}

/// Runs iterations `from` up to `end`, or until every lane has escaped. Returns the iteration
/// reached, and whether any lane is still active.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn iterate(lanes: &mut Lanes, from: u32, end: u32) -> (u32, bool) {
    let (cr, ci) = (lanes.cr, lanes.ci);
    let (mut zr, mut zi, mut active, mut count) = (lanes.zr, lanes.zi, lanes.active, lanes.count);
    let mut n = from;
    let mut any_active = true;
    while n < end {
        let mut zr2 = [0.0; LANES];
        let mut zi2 = [0.0; LANES];
        any_active = false;
        for lane in 0..LANES {
            zr2[lane] = zr[lane] * zr[lane];
            zi2[lane] = zi[lane] * zi[lane];
            if active[lane] && zr2[lane] + zi2[lane] > 4.0 {
                count[lane] = n;
                active[lane] = false;
            }
            any_active |= active[lane];
        }
        if !any_active {
            break;
        }
        // Escaped lanes go on computing numbers nobody reads; it keeps the lanes in step.
        for lane in 0..LANES {
            zi[lane] = (zr[lane] + zr[lane]) * zi[lane] + ci;
            zr[lane] = zr2[lane] - zi2[lane] + cr[lane];
        }
        n += 1;
    }
    (lanes.zr, lanes.zi, lanes.active, lanes.count) = (zr, zi, active, count);
    (n, any_active)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(width: u32, height: u32, max_iter: u32) -> Vec<u32> {
        mandelbrot(width, height, max_iter, &mut EvalBreaker::new().ticker()).unwrap()
    }

    /// The one-pixel loop of the module header, as the JS twin runs it.
    fn one_pixel(x: u32, y: u32, width: u32, height: u32, max_iter: u32) -> u32 {
        let cr = (2.0 * x as f64) / width as f64 - 1.5;
        let ci = (2.0 * y as f64) / height as f64 - 1.0;
        let (mut zr, mut zi, mut n) = (0.0f64, 0.0f64, 0);
        while n < max_iter {
            let (zr2, zi2) = (zr * zr, zi * zi);
            if zr2 + zi2 > 4.0 {
                break;
            }
            zi = (zr + zr) * zi + ci;
            zr = zr2 - zi2 + cr;
            n += 1;
        }
        n
    }

    #[test]
    fn lanes_give_the_counts_of_the_one_pixel_loop() {
        for (width, height, max_iter) in [(1, 1, 50), (7, 3, 100), (9, 5, 100), (61, 37, 500), (64, 64, 1000)] {
            let counts = run(width, height, max_iter);
            assert_eq!(counts.len(), (width * height) as usize);
            for y in 0..height {
                for x in 0..width {
                    assert_eq!(
                        counts[(y * width + x) as usize],
                        one_pixel(x, y, width, height, max_iter),
                        "{width}×{height} at ({x}, {y})"
                    );
                }
            }
        }
    }

    #[test]
    fn known_points() {
        // 4 × 2 pixels: c = -1.5 + 0.5x + (y - 1)i. c = -1.5 - i escapes at n = 2 (|z₁|² = 3.25,
        // |z₂|² = 4.0625); c = -1 cycles 0, -1, 0, … and c = 0 stays at 0: both never escape.
        let counts = run(4, 2, 100);
        assert_eq!(counts[0], one_pixel(0, 0, 4, 2, 100));
        assert_eq!(counts[4 + 1], 100, "c = -1 is in the set");
        assert_eq!(counts[4 + 3], 100, "c = 0 is in the set");
        assert_eq!(counts[0], 2, "c = -1.5 - i escapes after two steps");
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(mandelbrot(64, 64, 1_000_000, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
