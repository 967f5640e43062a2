// The inputs each kernel is benchmarked with: one line per kernel, a size that takes
// milliseconds, not microseconds, so that call overhead does not hide the kernel. `io`
// marks the I/O-bound tasks, whose ticks fall between blocking calls made without the lock.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** A 1 MiB file of this process, made on first use and removed at exit. */
let mebibyteFile;
function aMebibyteFile() {
  if (!mebibyteFile) {
    mebibyteFile = path.join(os.tmpdir(), `gil-lab-bench-${process.pid}.bin`);
    fs.writeFileSync(mebibyteFile, Buffer.alloc(2 ** 20, 7));
    process.on('exit', () => fs.rmSync(mebibyteFile, { force: true }));
  }
  return mebibyteFile;
}

/** An n × n matrix of deterministic entries in [-1, 1). */
function matrix(n, seed) {
  return new Float64Array(n * n).map((_, i) => Math.sin(seed + i));
}

module.exports = {
  countPrimes: { label: 'countPrimes(200 000)', args: () => [200_000] },
  countdown: { label: 'countdown(10 000 000)', args: () => [10_000_000] },
  mandelbrot: { label: 'mandelbrot 200 × 200, maxIter 500', args: () => [{ width: 200, height: 200, maxIter: 500 }] },
  matmul: { label: 'matmul n = 128', args: () => [matrix(128, 1), matrix(128, 2), 128] },
  monteCarloPi: { label: 'monteCarloPi(1 000 000, seed 1)', args: () => [1_000_000, 1] },
  sha256: { label: 'sha256 of 1 MiB', args: () => [new Uint8Array(1 << 20).fill(0x61)] },
  nbody: { label: 'nbody(100 000)', args: () => [100_000] },
  spectralNorm: { label: 'spectralNorm(500)', args: () => [500] },
  fannkuch: { label: 'fannkuch(9)', args: () => [9] },
  pipeRoundTrips: { label: 'pipeRoundTrips(1000)', args: () => [1000], io: true },
  readFile: { label: 'readFile(1 MiB file)', args: () => [aMebibyteFile()], io: true },
};
