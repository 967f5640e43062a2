//! How the I/O-bound tasks fail: a system call's error, described as Node's `fs` describes
//! one — `code`, `errno`, `syscall`, `path` and the message `CODE: description, syscall
//! 'path'` — so that both backends report it alike (`lib/kernels/os-error.ts` is the twin).

use std::io;

use crate::args::ArgError;
use crate::Interrupted;

/// A failed system call: which call, on which path, and what the OS said.
#[derive(Debug)]
pub struct OsError {
    pub syscall: &'static str,
    pub path: Option<String>,
    pub error: io::Error,
}

/// libuv's name and description of the errors a file or pipe call can give, by the OS's
/// error number: the words of Node's `util.getSystemErrorMap()`. Under WASI the numbers are
/// WASI's own (`libc` gives them); the wasm backend's JS side sets `errno` to the host's.
#[cfg(any(unix, target_os = "wasi"))]
const KNOWN: &[(i32, &str, &str)] = &[
    (libc::EACCES, "EACCES", "permission denied"),
    (libc::EAGAIN, "EAGAIN", "resource temporarily unavailable"),
    (libc::EBADF, "EBADF", "bad file descriptor"),
    (libc::EBUSY, "EBUSY", "resource busy or locked"),
    (libc::EFAULT, "EFAULT", "bad address in system call argument"),
    (libc::EFBIG, "EFBIG", "file too large"),
    (libc::EINTR, "EINTR", "interrupted system call"),
    (libc::EINVAL, "EINVAL", "invalid argument"),
    (libc::EIO, "EIO", "i/o error"),
    (libc::EISDIR, "EISDIR", "illegal operation on a directory"),
    (libc::ELOOP, "ELOOP", "too many symbolic links encountered"),
    (libc::EMFILE, "EMFILE", "too many open files"),
    (libc::ENAMETOOLONG, "ENAMETOOLONG", "name too long"),
    (libc::ENFILE, "ENFILE", "file table overflow"),
    (libc::ENODEV, "ENODEV", "no such device"),
    (libc::ENOENT, "ENOENT", "no such file or directory"),
    (libc::ENOMEM, "ENOMEM", "not enough memory"),
    (libc::ENOSPC, "ENOSPC", "no space left on device"),
    (libc::ENOTDIR, "ENOTDIR", "not a directory"),
    (libc::ENXIO, "ENXIO", "no such device or address"),
    (libc::EOVERFLOW, "EOVERFLOW", "value too large for defined data type"),
    (libc::EPERM, "EPERM", "operation not permitted"),
    (libc::EPIPE, "EPIPE", "broken pipe"),
    (libc::EROFS, "EROFS", "read-only file system"),
    (libc::ETXTBSY, "ETXTBSY", "text file is busy"),
];
#[cfg(not(any(unix, target_os = "wasi")))]
const KNOWN: &[(i32, &str, &str)] = &[];

/// libuv's end of file: a pipe that gave no byte back.
const EOF: (i32, &str, &str) = (-4095, "EOF", "end of file");
/// Any other error: libuv's catch-all.
const UNKNOWN: (i32, &str, &str) = (-4094, "UNKNOWN", "unknown error");

impl OsError {
    pub fn new(syscall: &'static str, path: Option<&str>, error: io::Error) -> OsError {
        OsError { syscall, path: path.map(str::to_owned), error }
    }

    /// libuv's number (minus the OS's, as Node's `errno`), name and description.
    fn described(&self) -> (i32, &'static str, &'static str) {
        if self.error.kind() == io::ErrorKind::UnexpectedEof {
            return EOF;
        }
        let Some(os) = self.error.raw_os_error() else { return UNKNOWN };
        KNOWN.iter().find(|known| known.0 == os).map_or(UNKNOWN, |&(_, code, description)| (-os, code, description))
    }

    /// Node's `errno`: minus the OS's error number.
    pub fn errno(&self) -> i32 {
        self.described().0
    }

    /// Node's `code`: `ENOENT`, ...
    pub fn code(&self) -> &'static str {
        self.described().1
    }

    /// `ENOENT: no such file or directory, open '/nowhere'`, as Node writes it.
    pub fn message(&self) -> String {
        let (_, code, description) = self.described();
        match &self.path {
            Some(path) => format!("{code}: {description}, {} '{path}'", self.syscall),
            None => format!("{code}: {description}, {}", self.syscall),
        }
    }
}

/// Why an I/O-bound task did not finish.
#[derive(Debug)]
pub enum IoFailure {
    Interrupted(Interrupted),
    /// An argument that only the file system could check (a file too large to read).
    Argument(ArgError),
    Os(OsError),
}

impl From<Interrupted> for IoFailure {
    fn from(interrupted: Interrupted) -> IoFailure {
        IoFailure::Interrupted(interrupted)
    }
}

/// `map_err` for a call named `syscall` on `path`.
pub fn failed<'p>(syscall: &'static str, path: Option<&'p str>) -> impl FnOnce(io::Error) -> IoFailure + 'p {
    move |error| IoFailure::Os(OsError::new(syscall, path, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_reads_as_node_says_it() {
        let error = std::fs::File::open("/nonexistent/gil-lab").unwrap_err();
        let e = OsError::new("open", Some("/nonexistent/gil-lab"), error);
        assert_eq!((e.errno(), e.code()), (-2, "ENOENT"));
        assert_eq!(e.message(), "ENOENT: no such file or directory, open '/nonexistent/gil-lab'");
    }

    #[test]
    fn errors_with_no_path_or_no_number() {
        let e = OsError::new("write", None, io::Error::from_raw_os_error(libc::EPIPE));
        assert_eq!(e.message(), "EPIPE: broken pipe, write");
        let e = OsError::new("read", None, io::ErrorKind::UnexpectedEof.into());
        assert_eq!((e.errno(), e.message().as_str()), (-4095, "EOF: end of file, read"));
        let e = OsError::new("read", None, io::Error::other("odd"));
        assert_eq!((e.errno(), e.message().as_str()), (-4094, "UNKNOWN: unknown error, read"));
    }
}
