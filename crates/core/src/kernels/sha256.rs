//! `sha256(data, rounds)`: the SHA-256 digest of `data`, then of that digest, `rounds` times
//! in all. RustCrypto's `sha2` does the hashing: it detects the x86 SHA extensions (SHA-NI)
//! or the ARMv8 ones at run time and uses them, else its portable code.

use sha2::{Digest, Sha256};

use crate::{Interrupted, Ticker};

/// The most rounds accepted.
pub const SHA256_ROUNDS_MAX: u32 = u32::MAX;

/// Bytes hashed per tick: a tick of a few microseconds on a current x86-64 core (`benchmark/ticks.js` measures it).
pub const SHA256_BYTES_PER_TICK: usize = 32 << 10;

/// Re-hashing rounds per tick: a tick of a few microseconds on a current x86-64 core (`benchmark/ticks.js` measures it).
pub const SHA256_ROUNDS_PER_TICK: u32 = 256;

/// The digest of `data` re-hashed `rounds − 1` more times; `rounds` is at least 1.
pub fn sha256(data: &[u8], rounds: u32, ticker: &mut Ticker) -> Result<[u8; 32], Interrupted> {
    let mut hasher = Sha256::new();
    for chunk in data.chunks(SHA256_BYTES_PER_TICK) {
        hasher.update(chunk);
        ticker.tick()?;
    }
    let mut digest: [u8; 32] = hasher.finalize().into();
    for round in 1..rounds {
        digest = Sha256::digest(digest).into();
        if round % SHA256_ROUNDS_PER_TICK == 0 {
            ticker.tick()?;
        }
    }
    ticker.tick()?;
    Ok(digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn run(data: &[u8], rounds: u32) -> String {
        hex(&sha256(data, rounds, &mut EvalBreaker::new().ticker()).unwrap())
    }

    #[test]
    fn nist_test_vectors() {
        // FIPS 180-2, appendix B, and the NIST examples of SHA-256.
        let vectors: [(&[u8], &str); 4] = [
            (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
            (
                b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
            ),
        ];
        for (data, digest) in vectors {
            assert_eq!(run(data, 1), digest, "{:?}", String::from_utf8_lossy(data));
        }
        // A million 'a': many ticks' worth of chunks.
        assert_eq!(run(&vec![b'a'; 1_000_000], 1), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    #[test]
    fn rounds_rehash_the_digest() {
        // Computed with Python's hashlib.
        assert_eq!(run(b"abc", 2), "4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358");
        assert_eq!(run(b"abc", 1000), "fc8a6b86a13f71cd9a67f558ab6fd82a3dd89186163a017ed8051acf6d3f8f99");
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(sha256(b"abc", SHA256_ROUNDS_MAX, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
