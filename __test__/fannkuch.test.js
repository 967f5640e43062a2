'use strict';
const { spawnSync } = require('node:child_process');
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { badArguments, abortWhileRunning } = require('./support/kernel-cases');

// The reference algorithm, written plainly in Python, as an independent check of small n.
const PYTHON_REFERENCE = `
import json, sys
def fannkuch(n):
    perm1 = list(range(n)); count = [0] * n
    checksum = maxflips = permcount = 0; r = n
    while True:
        while r != 1:
            count[r - 1] = r; r -= 1
        perm = perm1[:]; flips = 0; k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]; flips += 1; k = perm[0]
        maxflips = max(maxflips, flips)
        checksum += flips if permcount % 2 == 0 else -flips
        while True:
            if r == n: return checksum, maxflips
            p0 = perm1[0]
            for i in range(r): perm1[i] = perm1[i + 1]
            perm1[r] = p0; count[r] -= 1
            if count[r] > 0: break
            r += 1
        permcount += 1
print(json.dumps([fannkuch(n) for n in range(1, int(sys.argv[1]) + 1)]))
`;
const python = spawnSync('python3', ['--version']).status === 0;

describe(`fannkuch (${backend} backend)`, () => {
  test.each([
    [7, 228, 16],
    [10, 73196, 38],
  ])('reproduces the Benchmarks Game output for n = %i: %i, Pfannkuchen = %i', async (n, checksum, maxFlips) => {
    expect(kernels.fannkuchSync(n)).toEqual({ checksum, maxFlips });
    await expect(kernels.fannkuch(n)).resolves.toEqual({ checksum, maxFlips });
  });

  (python ? test : test.skip)('agrees with a plain Python reference for n = 1 to 8', () => {
    const out = spawnSync('python3', ['-c', PYTHON_REFERENCE, '8'], { encoding: 'utf8' });
    const reference = JSON.parse(out.stdout).map(([checksum, maxFlips]) => ({ checksum, maxFlips }));
    expect(reference[6]).toEqual({ checksum: 228, maxFlips: 16 });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => kernels.fannkuchSync(n))).toEqual(reference);
  });

  describe('bad n', () => {
    badArguments('fannkuch', [
      ['a string', ['7'], TypeError, 'n must be a number; got string'],
      ['a boolean', [true], TypeError, 'n must be a number; got boolean'],
      ['zero', [0], RangeError, 'n must be an integer from 1 to 12; got 0'],
      ['13, past the maximum', [13], RangeError, 'n must be an integer from 1 to 12; got 13'],
      ['fractional', [7.5], RangeError, 'n must be an integer from 1 to 12; got 7.5'],
      ['NaN', [NaN], RangeError, 'n must be an integer from 1 to 12; got NaN'],
    ]);
  });

  test('an abort while it runs rejects with AbortError at once and frees the pool', async () => {
    await abortWhileRunning('fannkuch', [12]);
  });
});
