//! One sync and one async export per kernel of `gil-lab-core`, a file per kernel.

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
    ("countPrimesSync", count_primes::count_primes_sync),
    ("countdownSync", countdown::countdown_sync),
    ("fannkuchSync", fannkuch::fannkuch_sync),
    ("mandelbrotSync", mandelbrot::mandelbrot_sync),
    ("matmulSync", matmul::matmul_sync),
    ("monteCarloPiSync", monte_carlo_pi::monte_carlo_pi_sync),
    ("nbodySync", nbody::nbody_sync),
    ("pipeRoundTripsSync", pipe_round_trips::pipe_round_trips_sync),
    ("readFileSync", read_file::read_file_sync),
    ("sha256Sync", sha256::sha256_sync),
    ("sleepSync", sleep::sleep_sync),
    ("spectralNormSync", spectral_norm::spectral_norm_sync),
];
