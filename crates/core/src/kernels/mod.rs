//! The CPU-bound kernels, and the I/O-bound tasks (`sleep`, `read_file`,
//! `pipe_round_trips`) that release the lock around their blocking calls. Each has a twin in
//! `lib/kernels/` (JavaScript) that runs the same algorithm in the same order, so the two
//! backends give the same results.

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

pub use count_primes::{count_primes, COUNT_PRIMES_LIMIT_MAX};
pub use countdown::{countdown, COUNTDOWN_N_MAX};
pub use fannkuch::{fannkuch, Fannkuch, FANNKUCH_N_MAX};
pub use mandelbrot::{mandelbrot, MANDELBROT_MAX_ITER_MAX, MANDELBROT_PIXELS_MAX, MANDELBROT_SIDE_MAX};
pub use matmul::{matmul, matmul_in_blocks, BLOCK_COLS, BLOCK_DEPTH, BLOCK_ROWS, MATMUL_N_MAX};
pub use monte_carlo_pi::{monte_carlo_pi, MONTE_CARLO_SAMPLES_MAX};
pub use nbody::{nbody, Energies, NBODY_STEPS_MAX};
pub use pipe_round_trips::{pipe_round_trips, PIPE_ROUND_TRIPS_MAX};
pub use read_file::{read_file, READ_FILE_MAX_BYTES};
pub use sha256::{sha256, SHA256_ROUNDS_MAX};
pub use sleep::{sleep, SLEEP_MS_MAX};
pub use spectral_norm::{spectral_norm, SPECTRAL_NORM_N_MAX};
