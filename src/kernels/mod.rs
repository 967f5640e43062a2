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
