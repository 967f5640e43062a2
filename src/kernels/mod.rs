//! One sync and one async export per kernel of `gil-lab-core`, a file per kernel.

mod count_primes;
mod fannkuch;
mod nbody;
mod pipe_round_trips;
mod read_file;
mod sleep;
mod spectral_norm;
