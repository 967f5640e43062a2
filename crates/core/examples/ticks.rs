//! How long the ticks of the Rust kernels are, and what checking the eval breaker costs.
//!
//! - **Tick length**, seen as a canceller sees it: a kernel runs on a thread of its own; after
//!   a random delay another thread raises its CANCEL bit; the kernel returns at its next tick.
//!   The time from the raise to the return is at most one tick (plus scheduling noise on a
//!   shared machine), half a tick on average. Outputs stay small (a few MiB): freeing a large
//!   result that a cancelled kernel had begun to write takes hundreds of µs of its own here.
//! - **Cost of the check**: one `tick()` on a quiet breaker, timed over many calls, against the
//!   mean tick; and, where a tick-free equivalent exists (one sha2 call over all the data, one
//!   dgemm call for the whole product, the decrement loop alone), the kernel against it.
//!
//!     cargo run --release -p gil-lab-core --example ticks

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gil_lab_core::breaker::CANCEL;
use gil_lab_core::kernels;
use gil_lab_core::EvalBreaker;

type Kernel = Box<dyn Fn(&EvalBreaker) -> bool + Send + Sync>;

/// Each runs until cancelled (or far longer than the wait); true if cancelled. Inputs are made
/// here, before any timing.
fn kernels_to_cancel() -> Vec<(&'static str, Arc<Kernel>)> {
    let bytes = Arc::new(vec![0x61u8; 1 << 30]);
    let ones = Arc::new(vec![1.0f64; 1024 * 1024]);
    let kernels: Vec<(&'static str, Kernel)> = vec![
        ("countdown", Box::new(|b| kernels::countdown(kernels::COUNTDOWN_N_MAX, &mut b.ticker()).is_err())),
        ("countPrimes", Box::new(|b| kernels::count_primes(kernels::COUNT_PRIMES_LIMIT_MAX, &mut b.ticker()).is_err())),
        ("mandelbrot", Box::new(|b| kernels::mandelbrot(1024, 1024, 1_000_000, &mut b.ticker()).is_err())),
        (
            "monteCarloPi",
            Box::new(|b| kernels::monte_carlo_pi(kernels::MONTE_CARLO_SAMPLES_MAX, 1, &mut b.ticker()).is_err()),
        ),
        ("sha256 (bytes)", Box::new(move |b| kernels::sha256(&bytes, 1, &mut b.ticker()).is_err())),
        (
            "sha256 (rounds)",
            Box::new(|b| kernels::sha256(b"abc", kernels::SHA256_ROUNDS_MAX, &mut b.ticker()).is_err()),
        ),
        ("matmul", Box::new(move |b| kernels::matmul(&ones, &ones, 1024, &mut b.ticker()).is_err())),
    ];
    kernels.into_iter().map(|(name, kernel)| (name, Arc::new(kernel))).collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    // The cost of one check on a quiet breaker.
    let breaker = EvalBreaker::new();
    let mut ticker = breaker.ticker();
    let checks = 100_000_000u32;
    let started = Instant::now();
    for _ in 0..checks {
        black_box(ticker.tick()).unwrap();
    }
    let check_ns = started.elapsed().as_secs_f64() * 1e9 / checks as f64;
    println!("one check of the eval breaker: {check_ns:.2} ns\n");

    println!("| kernel | cancel latency p50 | p99 | max | check cost (p50 latency = half a tick) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut seed = 0x2545_F491u32;
    for (name, kernel) in kernels_to_cancel() {
        let mut latencies = Vec::new();
        for _ in 0..100 {
            let breaker = Arc::new(EvalBreaker::new());
            let runner = {
                let breaker = Arc::clone(&breaker);
                let kernel = Arc::clone(&kernel);
                std::thread::spawn(move || {
                    let cancelled = kernel(&breaker);
                    (cancelled, Instant::now())
                })
            };
            // A delay of 5 to 20 ms, into the work.
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            std::thread::sleep(Duration::from_micros(5_000 + (seed % 15_000) as u64));
            let raised = Instant::now();
            breaker.raise(CANCEL);
            let (cancelled, returned) = runner.join().unwrap();
            assert!(cancelled, "{name} finished before it was cancelled");
            latencies.push(returned.duration_since(raised).as_secs_f64() * 1e6);
        }
        latencies.sort_by(f64::total_cmp);
        let p50 = percentile(&latencies, 0.5);
        println!(
            "| {name} | {p50:.1} µs | {:.1} µs | {:.1} µs | {:.4} % |",
            percentile(&latencies, 0.99),
            latencies[latencies.len() - 1],
            100.0 * check_ns / (2.0 * p50 * 1000.0)
        );
    }

    println!("\nwith and without ticks (best of five):\n");
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    };
    let quiet = EvalBreaker::new();
    let data = vec![0x61u8; 64 << 20];
    let with = best(&|| {
        kernels::sha256(&data, 1, &mut quiet.ticker()).unwrap();
    });
    let without = best(&|| {
        use sha2::Digest;
        black_box(sha2::Sha256::digest(&data));
    });
    println!(
        "sha256 of 64 MiB: kernel {with:.2} ms, one sha2 call {without:.2} ms ({:+.1} %)",
        100.0 * (with / without - 1.0)
    );
    let n = 512;
    let (a, b): (Vec<f64>, Vec<f64>) =
        ((0..n * n).map(|i| (i as f64).sin()).collect(), (0..n * n).map(|i| (i as f64).cos()).collect());
    let with = best(&|| {
        kernels::matmul(&a, &b, n, &mut quiet.ticker()).unwrap();
    });
    let without = best(&|| {
        kernels::matmul_in_blocks(&a, &b, n, (n, n, n), &mut quiet.ticker()).unwrap();
    });
    println!(
        "matmul n = 512: kernel {with:.2} ms, one dgemm call {without:.2} ms ({:+.1} %)",
        100.0 * (with / without - 1.0)
    );
    let count = 200_000_000u64;
    let with = best(&|| kernels::countdown(count, &mut quiet.ticker()).unwrap());
    let without = best(&|| {
        let mut n = count;
        while n > 0 {
            n = black_box(n - 1);
        }
    });
    println!(
        "countdown(2e8): kernel {with:.2} ms, the loop alone {without:.2} ms ({:+.1} %)",
        100.0 * (with / without - 1.0)
    );
}
