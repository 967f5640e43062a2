//! `pipeRoundTrips`: write one byte into a pipe and read it back, `count` times — the I/O
//! side of the convoy effect. Each write and each read is one blocking call in its own
//! `allow_threads` section, as CPython's `os.write` and `os.read` each release the lock, so
//! a round trip costs two releases and two re-takes; a tick between two round trips.
//!
//! WASI has no pipe: under wasm the pipe is one in memory (see `memory_pipe`), written and
//! read through the same `Read` and `Write` calls, each in its own `allow_threads` section.

use std::io::{Read, Write};

use crate::os_error::{failed, IoFailure};
use crate::Ticker;

/// The largest `count` accepted, as for every count of iterations: it fits an int32.
pub const PIPE_ROUND_TRIPS_MAX: u32 = i32::MAX as u32;

/// Does `count` round trips through a new pipe; returns `count`.
pub fn pipe_round_trips(count: u32, ticker: &mut Ticker) -> Result<u32, IoFailure> {
    #[cfg(not(target_os = "wasi"))]
    let (mut reader, mut writer) = ticker.allow_threads(std::io::pipe).map_err(failed("pipe", None))?;
    #[cfg(target_os = "wasi")]
    let (mut reader, mut writer) = ticker.allow_threads(memory_pipe::pipe).map_err(failed("pipe", None))?;
    let mut byte = [1u8];
    for _ in 0..count {
        ticker.tick()?;
        ticker.allow_threads(|| writer.write_all(&byte)).map_err(failed("write", None))?;
        ticker.allow_threads(|| reader.read_exact(&mut byte)).map_err(failed("read", None))?;
    }
    ticker.allow_threads(|| drop((reader, writer)));
    Ok(count)
}

/// A pipe in memory, for WASI: a byte queue that a write appends to and a read waits on, as a
/// read of an OS pipe blocks until a byte is there.
#[cfg(target_os = "wasi")]
mod memory_pipe {
    use std::collections::VecDeque;
    use std::io;
    use std::sync::{Arc, Condvar, Mutex};

    #[derive(Default)]
    struct Shared {
        bytes: Mutex<VecDeque<u8>>,
        written: Condvar,
    }

    pub struct Reader(Arc<Shared>);
    pub struct Writer(Arc<Shared>);

    pub fn pipe() -> io::Result<(Reader, Writer)> {
        let shared = Arc::new(Shared::default());
        Ok((Reader(Arc::clone(&shared)), Writer(shared)))
    }

    impl io::Write for Writer {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.bytes.lock().unwrap_or_else(|e| e.into_inner()).extend(buf);
            self.0.written.notify_one();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl io::Read for Reader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if buf.is_empty() {
                return Ok(0);
            }
            let mut bytes = self.0.bytes.lock().unwrap_or_else(|e| e.into_inner());
            while bytes.is_empty() {
                bytes = self.0.written.wait(bytes).unwrap_or_else(|e| e.into_inner());
            }
            let n = buf.len().min(bytes.len());
            for (slot, byte) in buf.iter_mut().zip(bytes.drain(..n)) {
                *slot = byte;
            }
            Ok(n)
        }
    }
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
        assert!(matches!(
            pipe_round_trips(PIPE_ROUND_TRIPS_MAX, &mut breaker.ticker()),
            Err(IoFailure::Interrupted(_))
        ));
    }
}
