//! One sync and one async export per kernel of `gil-lab-core`, a file per kernel.

mod count_primes;

use crate::sync_export::Callback;

/// The `<kernel>Sync` exports, registered by `sync_export::register`.
pub const SYNC_EXPORTS: &[(&str, Callback)] = &[("countPrimesSync", count_primes::count_primes_sync)];
