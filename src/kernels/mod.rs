//! One sync and one async export per kernel of `gil-lab-core`, a file per kernel.

mod count_primes;
mod countdown;
mod mandelbrot;
mod matmul;
mod monte_carlo_pi;
mod sha256;
