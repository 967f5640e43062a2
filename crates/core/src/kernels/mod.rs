//! The CPU-bound kernels, and the I/O-bound tasks (`sleep`, `read_file`,
//! `pipe_round_trips`) that release the lock around their blocking calls. Each has a twin in
//! `lib/kernels/` (JavaScript) that runs the same algorithm in the same order, so the two
//! backends give the same results.

mod count_primes;
mod fannkuch;
mod nbody;
mod pipe_round_trips;
mod read_file;
mod sleep;
mod spectral_norm;

pub use count_primes::{count_primes, COUNT_PRIMES_LIMIT_MAX};
pub use fannkuch::{fannkuch, Fannkuch, FANNKUCH_N_MAX};
pub use nbody::{nbody, Energies, NBODY_STEPS_MAX};
pub use pipe_round_trips::{pipe_round_trips, PIPE_ROUND_TRIPS_MAX};
pub use read_file::{read_file, READ_FILE_MAX_BYTES};
pub use sleep::{sleep, SLEEP_MS_MAX};
pub use spectral_norm::{spectral_norm, SPECTRAL_NORM_N_MAX};
