//! The trade-off behind `matmul`'s block size: GFLOP/s at n = 512 on one core against the
//! time of one block (one dgemm call, one tick), for a range of block shapes.
//!
//!     cargo run --release -p gil-lab-core --example matmul-blocks

use std::time::Instant;

use gil_lab_core::kernels::{matmul_in_blocks, BLOCK_COLS, BLOCK_DEPTH, BLOCK_ROWS};
use gil_lab_core::EvalBreaker;

fn main() {
    let n: usize = 512;
    let a: Vec<f64> = (0..n * n).map(|i| (i as f64).sin()).collect();
    let b: Vec<f64> = (0..n * n).map(|i| (i as f64).cos()).collect();
    let flop = 2.0 * (n as f64).powi(3);
    let chosen = (BLOCK_ROWS, BLOCK_COLS, BLOCK_DEPTH);
    println!("n = {n}; the kernel's block: {chosen:?}\n");
    println!("| block (rows × cols × depth) | GFLOP/s | µs per block (tick) |");
    println!("| --- | ---: | ---: |");
    let shapes = [
        (512, 512, 512),
        (256, 256, 256),
        (256, 128, 64),
        (128, 128, 128),
        (128, 128, 64),
        (256, 64, 64),
        (128, 64, 64),
        (64, 64, 128),
        (64, 64, 64),
        (32, 64, 128),
        (32, 32, 64),
    ];
    for (rows, cols, depth) in shapes {
        let blocks = n.div_ceil(rows) * n.div_ceil(cols) * n.div_ceil(depth);
        // Best of seven: the machine is shared.
        let best = (0..7)
            .map(|_| {
                let started = Instant::now();
                matmul_in_blocks(&a, &b, n, (rows, cols, depth), &mut EvalBreaker::new().ticker()).unwrap();
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        let mark = if (rows, cols, depth) == chosen { " (chosen)" } else { "" };
        println!("| {rows} × {cols} × {depth}{mark} | {:.1} | {:.1} |", flop / best / 1e9, best * 1e6 / blocks as f64);
    }
}
