//! The process's emulated GILs (`gil_lab_core::gil`), for `lib/gil/`: the settings, stats and
//! trace of every interpreter's lock — the main one, and an interpreter pool's. The public API
//! checks the arguments; these exports only refuse what the lock cannot take.

use std::time::Duration;

use gil_lab_core::gil::{Gil, Interpreters, Mode, TraceKind};
use napi::{Error, Result, Status};
use napi_derive::napi;

#[napi]
pub fn gil_set_mode(mode: String) -> Result<()> {
    let mode = Mode::parse(&mode)
        .ok_or_else(|| Error::new(Status::InvalidArg, format!("mode must be off, cpython or legacy; got {mode}")))?;
    Interpreters::process().set_mode(mode);
    Ok(())
}

/// Names the calling JS thread's sync calls in the stats (`main`, `thread-3`); call it before
/// the thread's first sync call.
#[napi]
pub fn gil_name_sync_caller(name: String) {
    crate::tasks::name_sync_caller(name);
}

#[napi]
pub fn gil_mode() -> &'static str {
    Gil::process().mode().name()
}

/// Sets the switch interval, in seconds (rounded to whole microseconds, 1 µs to 1000 s).
#[napi]
pub fn gil_set_switch_interval(seconds: f64) -> Result<()> {
    let interval = Duration::try_from_secs_f64(seconds).map_err(|_| {
        Error::new(Status::InvalidArg, format!("seconds must be a finite number above 0; got {seconds}"))
    })?;
    Interpreters::process().set_switch_interval(interval);
    Ok(())
}

#[napi]
pub fn gil_switch_interval() -> f64 {
    Gil::process().switch_interval().as_secs_f64()
}

/// One thread's counts since the last reset; times in nanoseconds.
#[napi(object)]
pub struct GilThreadStats {
    /// The interpreter whose lock the thread is bound to: 0 for the main one.
    pub interpreter: u32,
    /// Unique within its interpreter.
    pub id: u32,
    pub name: String,
    pub retired: bool,
    pub takes: f64,
    pub contended_takes: f64,
    pub drop_requests: f64,
    pub forced_switches: f64,
    pub voluntary_releases: f64,
    pub releases: f64,
    pub wait_ns: f64,
    pub hold_ns: f64,
}

#[napi]
pub fn gil_stats() -> Vec<GilThreadStats> {
    Interpreters::process()
        .stats()
        .into_iter()
        .map(|t| GilThreadStats {
            interpreter: t.interpreter,
            id: t.id,
            name: t.name,
            retired: t.retired,
            takes: t.stats.takes as f64,
            contended_takes: t.stats.contended_takes as f64,
            drop_requests: t.stats.drop_requests as f64,
            forced_switches: t.stats.forced_switches as f64,
            voluntary_releases: t.stats.voluntary_releases as f64,
            releases: t.stats.releases as f64,
            wait_ns: t.stats.wait_ns as f64,
            hold_ns: t.stats.hold_ns as f64,
        })
        .collect()
}

/// One interpreter's lock: the times its holder changed since the last reset.
#[napi(object, object_to_js = true, object_from_js = false)]
pub struct GilInterpreterSwitches {
    pub interpreter: u32,
    pub switches: f64,
}

#[napi]
pub fn gil_switches() -> Vec<GilInterpreterSwitches> {
    Interpreters::process()
        .switches()
        .into_iter()
        .map(|(interpreter, switches)| GilInterpreterSwitches { interpreter, switches: switches as f64 })
        .collect()
}

#[napi]
pub fn gil_reset_stats() {
    Interpreters::process().reset_stats();
}

/// One event of the trace: the thread's interpreter and id (as in `gilStats`), what, and when
/// (`gilNowNs`'s clock).
#[napi(object, object_to_js = true, object_from_js = false)]
pub struct GilTraceEvent {
    pub interpreter: u32,
    pub thread: u32,
    /// `wait` (the thread began to wait for the lock; its next `take` ends the wait), `take`,
    /// `drop-request`, or `release`.
    pub event: &'static str,
    /// For a release: `forced`, `voluntary`, `periodic`, `task-end` or `disabled`.
    pub reason: Option<&'static str>,
    pub time_ns: f64,
}

#[napi]
pub fn gil_trace(limit: u32) -> Vec<GilTraceEvent> {
    Interpreters::process()
        .trace(limit as usize)
        .into_iter()
        .map(|e| {
            let (event, reason) = match e.kind {
                TraceKind::Wait => ("wait", None),
                TraceKind::Take => ("take", None),
                TraceKind::DropRequest => ("drop-request", None),
                TraceKind::Release(why) => ("release", Some(why.name())),
            };
            GilTraceEvent { interpreter: e.interpreter, thread: e.thread, event, reason, time_ns: e.time_ns as f64 }
        })
        .collect()
}

/// The lock's clock, in nanoseconds, to line its trace up with the JS lock's.
#[napi]
pub fn gil_now_ns() -> f64 {
    Gil::process().now_ns() as f64
}
