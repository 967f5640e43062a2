// A CPU-bound kernel off the event loop, and stopped when it is no longer wanted (CommonJS).
//
//   node examples/kernel-off-the-loop.cjs
'use strict';
const { kernels, info } = require('gil-lab');

async function main() {
  console.log(`backend: ${info().backend}`);

  // The kernel runs on a pool thread: the event loop stays free, and this timer keeps ticking.
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 1);
  const primes = await kernels.countPrimes(5_000_000);
  clearInterval(ticker);
  console.log(`countPrimes(5 000 000) = ${primes}, while a 1 ms timer ticked ${ticks > 0 ? 'on' : 'not at all'}`);

  // An AbortSignal stops a running kernel at its next tick; the promise rejects with an AbortError.
  const endless = kernels.countPrimes(2 ** 31 - 1, { signal: AbortSignal.timeout(50) });
  try {
    await endless;
  } catch (error) {
    console.log(`countPrimes(2^31 - 1) stopped after 50 ms: ${error.name}`);
  }

  // The sync form runs on this thread: for small inputs, where a hand-off would cost more.
  console.log(`countPrimesSync(100) = ${kernels.countPrimesSync(100)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
