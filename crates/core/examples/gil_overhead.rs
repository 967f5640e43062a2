//! What the emulated GIL costs a thread that meets nobody: an uncontended take and release
//! (stats and trace included), and a tick, in each mode; the best of five runs, since a busy
//! machine only ever adds time.
//!
//!   cargo run --release -p gil-lab-core --example gil_overhead

use std::hint::black_box;
use std::time::Instant;

use gil_lab_core::{Gil, Mode, Ticker};

const ROUNDS: u32 = 1_000_000;

fn ns_per(rounds: u32, mut body: impl FnMut()) -> f64 {
    body(); // warm up
    (0..5)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..rounds {
                body();
            }
            started.elapsed().as_nanos() as f64 / f64::from(rounds)
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let gil = Gil::new();
    let me = gil.register("bench");
    for mode in [Mode::Off, Mode::CPython, Mode::Legacy] {
        gil.set_mode(mode);
        let take_release = ns_per(ROUNDS, || drop(black_box(Ticker::under_gil(&gil, &me))));
        let mut ticker = Ticker::under_gil(&gil, &me);
        let tick = ns_per(ROUNDS * 10, || black_box(ticker.tick()).unwrap());
        drop(ticker);
        println!("{:>8}: take + release {take_release:6.1} ns, tick {tick:5.2} ns", mode.name());
    }
}
