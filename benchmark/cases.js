// The inputs each kernel is benchmarked with: one line per kernel, a size that takes
// milliseconds, not microseconds, so that call overhead does not hide the kernel.
'use strict';

module.exports = {
  countPrimes: { label: 'countPrimes(200 000)', args: () => [200_000] },
};
