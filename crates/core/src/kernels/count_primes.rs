use crate::{Interrupted, Ticker};

/// The largest `limit` accepted: every candidate fits an `i32`, as in the JS twin.
pub const COUNT_PRIMES_LIMIT_MAX: u32 = i32::MAX as u32;

/// Trial divisions per tick: about 20 µs of work on a 2020s x86 core.
const DIVISIONS_PER_TICK: u32 = 2048;

/// The number of primes below `limit`, by trial division of each odd candidate by the odd
/// numbers up to its square root.
pub fn count_primes(limit: u32, ticker: &mut Ticker) -> Result<u32, Interrupted> {
    if limit <= 2 {
        return Ok(0);
    }
    let mut count = 1; // 2
    let mut budget = DIVISIONS_PER_TICK;
    let mut n: u32 = 3;
    while n < limit {
        let mut is_prime = true;
        let mut d: u32 = 3;
        while d * d <= n {
            if n % d == 0 {
                is_prime = false;
                break;
            }
            d += 2;
            budget -= 1;
            if budget == 0 {
                ticker.tick()?;
                budget = DIVISIONS_PER_TICK;
            }
        }
        count += is_prime as u32;
        n += 2;
    }
    ticker.tick()?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(limit: u32) -> u32 {
        count_primes(limit, &mut EvalBreaker::new().ticker()).unwrap()
    }

    #[test]
    fn known_counts() {
        let known = [(0, 0), (1, 0), (2, 0), (3, 1), (4, 2), (10, 4), (100, 25), (1000, 168), (100_000, 9592)];
        for (limit, primes) in known {
            assert_eq!(run(limit), primes, "primes below {limit}");
        }
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(count_primes(1_000_000, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
