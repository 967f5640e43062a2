//! The CPU-bound kernels. Each has a twin in `lib/kernels/` (JavaScript) that runs the same
//! algorithm in the same order, so the two backends give the same results.

mod count_primes;
mod fannkuch;
mod nbody;
mod spectral_norm;

pub use count_primes::{count_primes, COUNT_PRIMES_LIMIT_MAX};
pub use fannkuch::{fannkuch, Fannkuch, FANNKUCH_N_MAX};
pub use nbody::{nbody, Energies, NBODY_STEPS_MAX};
pub use spectral_norm::{spectral_norm, SPECTRAL_NORM_N_MAX};
