//! The CPU-bound kernels. Each has a twin in `lib/kernels/` (JavaScript) that runs the same
//! algorithm in the same order, so the two backends give the same results.

mod count_primes;

pub use count_primes::{count_primes, COUNT_PRIMES_LIMIT_MAX};
