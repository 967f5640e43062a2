//! `readFile`: the bytes of a file, by blocking reads, as Python's `open(path, 'rb').read()`
//! does them: open, fstat, then reads of all that is left until one returns nothing, and
//! close — each system call in its own `allow_threads` section, as CPython releases the
//! lock around each, with a tick between two reads.
//!
//! The size is checked before anything is read: a regular file larger than
//! [`READ_FILE_MAX_BYTES`] is refused at once, and a file whose size the OS does not tell
//! (a character device, a pipe, /proc) is refused as soon as it has given more. A file
//! that grows while it is read is read to its end, within the same limit.
//! `lib/kernels/read-file.ts` does the same calls in the same order.

use std::fs::File;
use std::io::Read;

use crate::args::ArgError;
use crate::os_error::{failed, IoFailure};
use crate::Ticker;

/// The largest file read: 1 GiB, so that one call cannot exhaust memory.
#[cfg(not(target_family = "wasm"))]
pub const READ_FILE_MAX_BYTES: u64 = 1 << 30;
/// Under wasm, 256 MiB: the heap that every thread shares stays under 2 GiB, and a read that
/// grows holds its old and its new buffer at once.
#[cfg(target_family = "wasm")]
pub const READ_FILE_MAX_BYTES: u64 = 1 << 28;

/// The read size once the planned bytes are in: a file that has more is growing, or did not
/// say its size.
const PROBE_BYTES: usize = 64 * 1024;

/// The bytes of the file at `path` (checked by `args::path`).
pub fn read_file(path: &str, ticker: &mut Ticker) -> Result<Vec<u8>, IoFailure> {
    read_file_within(path, READ_FILE_MAX_BYTES, ticker)
}

fn too_large(max: u64, got: String) -> IoFailure {
    IoFailure::Argument(ArgError::Range(format!("path must be a file of at most {max} bytes; got {got}")))
}

fn read_file_within(path: &str, max: u64, ticker: &mut Ticker) -> Result<Vec<u8>, IoFailure> {
    let file = ticker.allow_threads(|| File::open(path)).map_err(failed("open", Some(path)))?;
    let read = read_open_file(&file, path, max, ticker);
    ticker.allow_threads(|| drop(file)); // close: its errors go unreported, in both backends
    read
}

fn read_open_file(mut file: &File, path: &str, max: u64, ticker: &mut Ticker) -> Result<Vec<u8>, IoFailure> {
    let metadata = ticker.allow_threads(|| file.metadata()).map_err(failed("fstat", Some(path)))?;
    // WASI answers a read of a directory with EBADF, where the OS (and Node) say EISDIR.
    #[cfg(target_os = "wasi")]
    if metadata.is_dir() {
        return Err(failed("read", Some(path))(std::io::Error::from_raw_os_error(libc::EISDIR)));
    }
    let size = if metadata.is_file() { metadata.len() } else { 0 };
    if size > max {
        return Err(too_large(max, format!("{size} bytes")));
    }
    // Invariant: data[..filled] holds what was read; data[filled..] is room for more.
    let mut data = vec![0u8; size as usize];
    let mut filled = 0;
    let mut probe = Vec::new();
    loop {
        ticker.tick()?;
        if filled < data.len() {
            let n = ticker.allow_threads(|| file.read(&mut data[filled..])).map_err(failed("read", Some(path)))?;
            if n == 0 {
                break;
            }
            filled += n;
        } else {
            probe.resize(PROBE_BYTES, 0);
            let n = ticker.allow_threads(|| file.read(&mut probe)).map_err(failed("read", Some(path)))?;
            if n == 0 {
                break;
            }
            if (filled + n) as u64 > max {
                return Err(too_large(max, format!("more than {max} bytes")));
            }
            let room = (2 * (filled + n)).max(PROBE_BYTES).min(max as usize);
            data.truncate(filled);
            data.extend_from_slice(&probe[..n]);
            filled += n;
            data.resize(room, 0);
        }
    }
    data.truncate(filled);
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};
    use std::io::Write;

    fn scratch_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("gil-lab-read-file-{}-{name}", std::process::id()));
        File::create(&path).unwrap().write_all(bytes).unwrap();
        path
    }

    fn os_code(failure: IoFailure) -> (&'static str, &'static str, String) {
        match failure {
            IoFailure::Os(e) => (e.syscall, e.code(), e.message()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_every_byte() {
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let path = scratch_file("bytes", &bytes);
        assert_eq!(read_file(path.to_str().unwrap(), &mut EvalBreaker::new().ticker()).unwrap(), bytes);
        let empty = scratch_file("empty", b"");
        assert_eq!(read_file(empty.to_str().unwrap(), &mut EvalBreaker::new().ticker()).unwrap(), b"");
        std::fs::remove_file(path).unwrap();
        std::fs::remove_file(empty).unwrap();
    }

    #[test]
    fn files_that_do_not_say_their_size_are_read_to_the_end() {
        // /proc files report a size of 0.
        let status = read_file("/proc/self/status", &mut EvalBreaker::new().ticker()).unwrap();
        assert!(String::from_utf8(status).unwrap().contains("Name:"));
    }

    #[test]
    fn too_large_is_refused_before_reading_or_once_the_limit_is_passed() {
        let path = scratch_file("eleven", b"hello world");
        let result = read_file_within(path.to_str().unwrap(), 10, &mut EvalBreaker::new().ticker());
        assert!(
            matches!(result, Err(IoFailure::Argument(ArgError::Range(m))) if m == "path must be a file of at most 10 bytes; got 11 bytes")
        );
        std::fs::remove_file(path).unwrap();
        // /dev/zero never ends and says a size of 0.
        let result = read_file_within("/dev/zero", 100_000, &mut EvalBreaker::new().ticker());
        assert!(
            matches!(result, Err(IoFailure::Argument(ArgError::Range(m))) if m == "path must be a file of at most 100000 bytes; got more than 100000 bytes")
        );
    }

    #[test]
    fn os_errors_name_the_call_and_the_path() {
        let run = |path: &str| os_code(read_file(path, &mut EvalBreaker::new().ticker()).unwrap_err());
        assert_eq!(
            run("/nonexistent/x"),
            ("open", "ENOENT", "ENOENT: no such file or directory, open '/nonexistent/x'".into())
        );
        assert_eq!(run("/etc/passwd/x"), ("open", "ENOTDIR", "ENOTDIR: not a directory, open '/etc/passwd/x'".into()));
        assert_eq!(run("/"), ("read", "EISDIR", "EISDIR: illegal operation on a directory, read '/'".into()));
    }

    #[test]
    fn a_raised_cancel_stops_it_between_reads() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert!(matches!(read_file("/dev/zero", &mut breaker.ticker()), Err(IoFailure::Interrupted(_))));
    }
}
