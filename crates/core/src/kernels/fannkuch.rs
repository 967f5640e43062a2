//! fannkuch-redux, the Computer Language Benchmarks Game program: for every permutation of
//! 0..n, in the reference programs' order, count the flips (reversals of the first k + 1
//! items, k being the first item) until 0 comes first. The result is the largest count,
//! and a checksum: the counts summed with alternating signs, + for the permutations at
//! even positions of that order (the first is position 0).
//!
//! The order is the reference's: each next permutation rotates the first r + 1 items left
//! by one, r counting up as in a mixed-radix counter. `lib/kernels/fannkuch.ts` walks the
//! same order, so both backends give the same integers.

use crate::{Interrupted, Ticker};

/// The largest `n` accepted. n = 12 is the Benchmarks Game's input: 12! = 479 001 600
/// permutations, seconds of work; each step up multiplies the work by n + 1, and 13! no
/// longer fits the int32 that both backends count permutations in.
pub const FANNKUCH_N_MAX: u32 = 12;

/// Permutations per tick: each costs its flips, about 50 ns on average at n = 10.
const PERMUTATIONS_PER_TICK: u32 = 512;

const SLOTS: usize = FANNKUCH_N_MAX as usize;

/// The checksum and the largest number of flips over every permutation of 0..n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fannkuch {
    pub checksum: i64,
    pub max_flips: u32,
}

/// Flips a copy of `perm` until its first item is 0, and returns how many flips it took.
#[inline(always)]
fn count_flips(perm: &[u8; SLOTS]) -> u32 {
    let mut perm = *perm;
    let mut flips = 0;
    let mut k = perm[0] as usize;
    while k != 0 {
        perm[..=k].reverse();
        flips += 1;
        k = perm[0] as usize;
    }
    flips
}

/// fannkuch-redux of `n`, from 1 to [`FANNKUCH_N_MAX`].
pub fn fannkuch(n: u32, ticker: &mut Ticker) -> Result<Fannkuch, Interrupted> {
    assert!((1..=FANNKUCH_N_MAX).contains(&n), "fannkuch: n = {n} is out of range");
    let n = n as usize;
    let mut perm = [0u8; SLOTS];
    for (i, item) in perm.iter_mut().enumerate().take(n) {
        *item = i as u8;
    }
    // count[r]: how many more rotations of the first r + 1 items before r moves up.
    let mut count = [0u8; SLOTS];
    let mut result = Fannkuch { checksum: 0, max_flips: 0 };
    let mut even = true;
    let mut budget = PERMUTATIONS_PER_TICK;
    let mut r = n;
    loop {
        while r != 1 {
            count[r - 1] = r as u8;
            r -= 1;
        }
        let flips = count_flips(&perm);
        result.max_flips = result.max_flips.max(flips);
        result.checksum += if even { flips as i64 } else { -(flips as i64) };

        // The next permutation.
        loop {
            if r == n {
                ticker.tick()?;
                return Ok(result);
            }
            perm[..=r].rotate_left(1);
            count[r] -= 1;
            if count[r] > 0 {
                break;
            }
            r += 1;
        }
        even = !even;
        budget -= 1;
        if budget == 0 {
            ticker.tick()?;
            budget = PERMUTATIONS_PER_TICK;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(n: u32) -> (i64, u32) {
        let f = fannkuch(n, &mut EvalBreaker::new().ticker()).unwrap();
        (f.checksum, f.max_flips)
    }

    #[test]
    fn reproduces_the_published_outputs() {
        assert_eq!(run(7), (228, 16));
        assert_eq!(run(10), (73196, 38));
    }

    #[test]
    fn small_n_as_the_reference_program_gives_them() {
        let known = [(1, (0, 0)), (2, (-1, 1)), (3, (2, 2)), (4, (4, 4)), (5, (11, 7)), (6, (49, 10)), (8, (1616, 22)), (9, (8629, 30))];
        for (n, expected) in known {
            assert_eq!(run(n), expected, "n = {n}");
        }
    }

    #[test]
    fn flips_count_reversals_of_the_prefix() {
        let mut perm = [0u8; SLOTS];
        perm[..4].copy_from_slice(&[3, 1, 2, 0]); // → 0 2 1 3: one flip
        assert_eq!(count_flips(&perm), 1);
        perm[..4].copy_from_slice(&[1, 3, 0, 2]); // → 3 1 0 2 → 2 0 1 3 → 1 0 2 3 → 0 1 2 3
        assert_eq!(count_flips(&perm), 4);
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(fannkuch(FANNKUCH_N_MAX, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
