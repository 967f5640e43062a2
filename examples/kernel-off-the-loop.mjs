// A CPU-bound kernel off the event loop, and stopped when it is no longer wanted (an ES
// module: top-level await).
//
//   node examples/kernel-off-the-loop.mjs
import { kernels, info } from 'gil-lab';

console.log(`backend: ${info().backend}`);

// The kernel runs on a pool thread: the event loop stays free, and this timer keeps ticking.
let ticks = 0;
const ticker = setInterval(() => ticks++, 1);
const primes = await kernels.countPrimes(5_000_000);
clearInterval(ticker);
console.log(`countPrimes(5 000 000) = ${primes}, while a 1 ms timer ticked ${ticks > 0 ? 'on' : 'not at all'}`);

// An AbortController stops a running kernel at its next tick; the promise rejects with an AbortError.
const controller = new AbortController();
const endless = kernels.countPrimes(2 ** 31 - 1, { signal: controller.signal });
setTimeout(() => controller.abort(), 50);
const outcome = await endless.then(
  () => 'finished',
  (error) => error.name,
);
console.log(`countPrimes(2^31 - 1) stopped after 50 ms: ${outcome}`);
