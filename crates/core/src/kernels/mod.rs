//! The CPU-bound kernels. Each has a twin in `lib/kernels/` (JavaScript) that runs the same
//! algorithm in the same order, so the two backends give the same results.

mod count_primes;
mod countdown;
mod mandelbrot;
mod matmul;
mod monte_carlo_pi;
mod sha256;

pub use count_primes::{count_primes, COUNT_PRIMES_LIMIT_MAX};
pub use countdown::{countdown, COUNTDOWN_N_MAX};
pub use mandelbrot::{mandelbrot, MANDELBROT_MAX_ITER_MAX, MANDELBROT_PIXELS_MAX, MANDELBROT_SIDE_MAX};
pub use matmul::{matmul, matmul_in_blocks, BLOCK_COLS, BLOCK_DEPTH, BLOCK_ROWS, MATMUL_N_MAX};
pub use monte_carlo_pi::{monte_carlo_pi, MONTE_CARLO_SAMPLES_MAX};
pub use sha256::{sha256, SHA256_ROUNDS_MAX};
