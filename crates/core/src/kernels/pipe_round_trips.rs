//! `pipeRoundTrips`: write one byte into a pipe and read it back, `count` times — the I/O
//! side of the convoy effect. Each write and each read is one blocking call in its own
//! `allow_threads` section, as CPython's `os.write` and `os.read` each release the lock, so
//! a round trip costs two releases and two re-takes; a tick between two round trips.

use std::io::{Read, Write};

use crate::os_error::{failed, IoFailure};
use crate::Ticker;

/// The largest `count` accepted, as for every count of iterations: it fits an int32.
pub const PIPE_ROUND_TRIPS_MAX: u32 = i32::MAX as u32;

/// Does `count` round trips through a new pipe; returns `count`.
pub fn pipe_round_trips(count: u32, ticker: &mut Ticker) -> Result<u32, IoFailure> {
    let (mut reader, mut writer) = ticker.allow_threads(std::io::pipe).map_err(failed("pipe", None))?;
    let mut byte = [1u8];
    for _ in 0..count {
        ticker.tick()?;
        ticker.allow_threads(|| writer.write_all(&byte)).map_err(failed("write", None))?;
        ticker.allow_threads(|| reader.read_exact(&mut byte)).map_err(failed("read", None))?;
    }
    ticker.allow_threads(|| drop((reader, writer)));
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    #[test]
    fn does_as_many_round_trips_as_asked() {
        for count in [0, 1, 10_000] {
            assert_eq!(pipe_round_trips(count, &mut EvalBreaker::new().ticker()).unwrap(), count);
        }
    }

    #[test]
    fn a_raised_cancel_stops_it_between_round_trips() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert!(matches!(pipe_round_trips(PIPE_ROUND_TRIPS_MAX, &mut breaker.ticker()), Err(IoFailure::Interrupted(_))));
    }
}
