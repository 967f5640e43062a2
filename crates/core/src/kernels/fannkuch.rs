//! fannkuch-redux, the Computer Language Benchmarks Game program: for every permutation of
//! 0..n, in the reference programs' order, count the flips (reversals of the first k + 1
//! items, k being the first item) until 0 comes first. The result is the largest count,
//! and a checksum: the counts summed with alternating signs, + for the permutations at
//! even positions of that order (the first is position 0).
//!
//! The order is the reference's: each next permutation rotates the first r + 1 items left
//! by one, r counting up as in a mixed-radix counter. `lib/kernels/fannkuch.ts` walks the
//! same order with the same flips, so both backends give the same integers; only the
//! storage differs (here the bytes of a u128, there an Int32Array).

use crate::{Interrupted, Ticker};

/// The largest `n` accepted. n = 12 is the Benchmarks Game's input: 12! = 479 001 600
/// permutations, tens of seconds here and twice that in the JS twin; each step up multiplies
/// the work by n + 1 (13: minutes, 14: an hour), with no published output to check against.
pub const FANNKUCH_N_MAX: u32 = 12;

/// Permutations per tick: each costs its flips, on average some 30 ns here and 55 ns in the
/// JS twin at n = 10, more as n grows.
const PERMUTATIONS_PER_TICK: u32 = 256;

/// The checksum and the largest number of flips over every permutation of 0..n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fannkuch {
    pub checksum: i64,
    pub max_flips: u32,
}

/// A permutation of up to 16 items, one per byte of a u128, the first item in the lowest
/// byte: a flip is then a byte swap, a shift and a mask, with no loop over the items.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Perm(u128);

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
impl Perm {
    fn identity(n: usize) -> Perm {
        Perm((0..n).fold(0, |bytes, i| bytes | (i as u128) << (8 * i)))
    }

    /// The bytes 0..=k set: the first k + 1 items.
    #[inline(always)]
    fn prefix(k: usize) -> u128 {
        u128::MAX >> (8 * (15 - k))
    }

    #[inline(always)]
    fn first(self) -> usize {
        (self.0 & 0xff) as usize
    }

    /// Reverses the first k + 1 items.
    #[inline(always)]
    fn flip(self, k: usize) -> Perm {
        // swap_bytes puts item i at byte 15 - i; the shift brings it to k - i.
        let reversed = self.0.swap_bytes() >> (8 * (15 - k));
        Perm(reversed | (self.0 & !Perm::prefix(k)))
    }

    /// Rotates the first r + 1 items left by one.
    #[inline(always)]
    fn rotate(self, r: usize) -> Perm {
        let prefix = Perm::prefix(r);
        let rotated = ((self.0 >> 8) & (prefix >> 8)) | ((self.0 & 0xff) << (8 * r));
        Perm(rotated | (self.0 & !prefix))
    }
}

/// The same permutation on wasm, one item per byte of a SIMD128 vector: wasm has no byte swap,
/// so the u128's flip costs dozens of instructions there, where a byte shuffle
/// (`i8x16.swizzle`) by a table of each flip and rotation is one.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[derive(Clone, Copy)]
struct Perm(core::arch::wasm32::v128);

/// For each k, the shuffle of a flip (`rotation` false) or a rotation of the first k + 1 items.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const fn shuffles(rotation: bool) -> [core::arch::wasm32::v128; 16] {
    let mut tables = [[0u8; 16]; 16];
    let mut k = 0;
    while k < 16 {
        let mut i = 0;
        while i < 16 {
            // Byte i takes byte `from`.
            let from = match (rotation, i) {
                (false, i) if i <= k => k - i,
                (true, i) if i < k => i + 1,
                (true, i) if i == k => 0,
                (_, i) => i,
            };
            tables[k][i] = from as u8;
            i += 1;
        }
        k += 1;
    }
    // SAFETY: [[u8; 16]; 16] and [v128; 16] have the same size, and every bit pattern is a v128.
    unsafe { core::mem::transmute::<[[u8; 16]; 16], [core::arch::wasm32::v128; 16]>(tables) }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl Perm {
    /// Reversing the first k + 1 items: byte i ≤ k takes byte k - i.
    const FLIPS: [core::arch::wasm32::v128; 16] = shuffles(false);
    /// Rotating the first r + 1 items left by one: byte i < r takes byte i + 1, byte r byte 0.
    const ROTATIONS: [core::arch::wasm32::v128; 16] = shuffles(true);

    fn identity(_n: usize) -> Perm {
        Perm(core::arch::wasm32::u8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))
    }

    #[inline(always)]
    fn first(self) -> usize {
        core::arch::wasm32::u8x16_extract_lane::<0>(self.0) as usize
    }

    /// Reverses the first k + 1 items.
    #[inline(always)]
    fn flip(self, k: usize) -> Perm {
        Perm(core::arch::wasm32::i8x16_swizzle(self.0, Perm::FLIPS[k & 15]))
    }

    /// Rotates the first r + 1 items left by one.
    #[inline(always)]
    fn rotate(self, r: usize) -> Perm {
        Perm(core::arch::wasm32::i8x16_swizzle(self.0, Perm::ROTATIONS[r & 15]))
    }
}

impl Perm {
    /// Flips until the first item is 0; returns how many flips it took.
    #[inline(always)]
    fn count_flips(self) -> u32 {
        let mut perm = self;
        let mut flips = 0;
        let mut k = perm.first();
        while k != 0 {
            perm = perm.flip(k);
            flips += 1;
            k = perm.first();
        }
        flips
    }
}

/// fannkuch-redux of `n`, from 1 to [`FANNKUCH_N_MAX`].
pub fn fannkuch(n: u32, ticker: &mut Ticker) -> Result<Fannkuch, Interrupted> {
    assert!((1..=FANNKUCH_N_MAX).contains(&n), "fannkuch: n = {n} is out of range");
    let n = n as usize;
    let mut perm = Perm::identity(n);
    // count[r]: how many more rotations of the first r + 1 items before r moves up.
    let mut count = [0u8; FANNKUCH_N_MAX as usize];
    let mut result = Fannkuch { checksum: 0, max_flips: 0 };
    let mut even = true;
    let mut budget = PERMUTATIONS_PER_TICK;
    let mut r = n;
    loop {
        while r != 1 {
            count[r - 1] = r as u8;
            r -= 1;
        }
        let flips = perm.count_flips();
        result.max_flips = result.max_flips.max(flips);
        result.checksum += if even { flips as i64 } else { -(flips as i64) };

        // The next permutation.
        loop {
            if r == n {
                ticker.tick()?;
                return Ok(result);
            }
            perm = perm.rotate(r);
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
        let known = [
            (1, (0, 0)),
            (2, (-1, 1)),
            (3, (2, 2)),
            (4, (4, 4)),
            (5, (11, 7)),
            (6, (49, 10)),
            (8, (1616, 22)),
            (9, (8629, 30)),
        ];
        for (n, expected) in known {
            assert_eq!(run(n), expected, "n = {n}");
        }
    }

    fn perm(items: &[u8]) -> Perm {
        Perm(items.iter().enumerate().fold(0, |bytes, (i, &item)| bytes | (item as u128) << (8 * i)))
    }

    #[test]
    fn a_flip_reverses_the_prefix_and_keeps_the_rest() {
        assert_eq!(perm(&[3, 1, 2, 0, 4]).flip(3), perm(&[0, 2, 1, 3, 4]));
        assert_eq!(perm(&[1, 0, 2]).flip(1), perm(&[0, 1, 2]));
        let items: Vec<u8> = (0..12).rev().collect();
        assert_eq!(perm(&items).flip(11), Perm::identity(12));
    }

    #[test]
    fn a_rotation_moves_the_first_item_behind_the_prefix() {
        assert_eq!(perm(&[0, 1, 2, 3, 4]).rotate(2), perm(&[1, 2, 0, 3, 4]));
        assert_eq!(
            perm(&[5, 1, 2, 3, 4, 0, 6, 7, 8, 9, 10, 11]).rotate(11),
            perm(&[1, 2, 3, 4, 0, 6, 7, 8, 9, 10, 11, 5])
        );
    }

    #[test]
    fn flips_count_reversals_until_0_is_first() {
        assert_eq!(perm(&[3, 1, 2, 0]).count_flips(), 1); // → 0 2 1 3
        assert_eq!(perm(&[1, 3, 0, 2]).count_flips(), 4); // → 3 1 0 2 → 2 0 1 3 → 1 0 2 3 → 0 1 2 3
        assert_eq!(perm(&[0, 3, 1, 2]).count_flips(), 0);
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(fannkuch(FANNKUCH_N_MAX, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
