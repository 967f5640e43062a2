'use strict';
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { testBadInput, expectAbortFreesThePool, typedArrayClass } = require('./support/kernel-checks');

/** The README's definition of one pixel's count, written out plainly. */
function escapeCount(x, y, width, height, maxIter) {
  const cr = (2 * x) / width - 1.5;
  const ci = (2 * y) / height - 1;
  let zr = 0;
  let zi = 0;
  for (let n = 0; n < maxIter; n++) {
    if (zr * zr + zi * zi > 4) return n;
    [zr, zi] = [zr * zr - zi * zi + cr, (zr + zr) * zi + ci];
  }
  return maxIter;
}

describe(`mandelbrot (${backend} backend)`, () => {
  test('a 4 × 2 image: c = -1.5 - i escapes at n = 2; c = -1 and c = 0 never escape', () => {
    const counts = kernels.mandelbrotSync({ width: 4, height: 2, maxIter: 100 });
    expect(counts[0]).toBe(2);
    expect(counts[4 + 1]).toBe(100);
    expect(counts[4 + 3]).toBe(100);
  });

  test.each([
    [1, 1, 10],
    [7, 5, 50],
    [9, 3, 200],
    [64, 48, 300],
  ])('%i × %i, maxIter %i: every pixel as the definition says, sync and async', async (width, height, maxIter) => {
    const expected = [];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) expected.push(escapeCount(x, y, width, height, maxIter));
    const sync = kernels.mandelbrotSync({ width, height, maxIter });
    const async = await kernels.mandelbrot({ width, height, maxIter });
    for (const counts of [sync, async]) {
      expect(typedArrayClass(counts)).toBe('Uint32Array');
      expect(Array.from(counts)).toEqual(expected);
    }
  });

  test('rows y and height − y mirror each other across the real axis', () => {
    const [width, height] = [40, 30];
    const counts = kernels.mandelbrotSync({ width, height, maxIter: 500 });
    for (let y = 1; y < height; y++) {
      expect(counts.subarray(y * width, (y + 1) * width)).toEqual(
        counts.subarray((height - y) * width, (height - y + 1) * width),
      );
    }
  });

  test('a getter on options runs once, and extra fields are ignored', () => {
    let reads = 0;
    const options = {
      height: 2,
      maxIter: 5,
      extra: 'ignored',
      get width() {
        reads++;
        return 3;
      },
    };
    expect(kernels.mandelbrotSync(options)).toHaveLength(6);
    expect(reads).toBe(1);
  });

  describe('bad options', () => {
    const ok = { width: 4, height: 4, maxIter: 10 };
    const side = (name, got) => `options.${name} must be an integer from 1 to 65536; got ${got}`;
    testBadInput('mandelbrot', [
      ['a number', [5], TypeError, 'options must be an object; got number'],
      ['null', [null], TypeError, 'options must be an object; got null'],
      ['undefined', [undefined], TypeError, 'options must be an object; got undefined'],
      ['a function', [() => {}], TypeError, 'options must be an object; got function'],
      ['no width', [{ height: 4, maxIter: 10 }], TypeError, 'options.width must be a number; got undefined'],
      ['a string height', [{ ...ok, height: '4' }], TypeError, 'options.height must be a number; got string'],
      ['no maxIter', [{ width: 4, height: 4 }], TypeError, 'options.maxIter must be a number; got undefined'],
      ['width 0', [{ ...ok, width: 0 }], RangeError, side('width', 0)],
      ['width 65537', [{ ...ok, width: 65_537 }], RangeError, side('width', 65537)],
      ['height 1.5', [{ ...ok, height: 1.5 }], RangeError, side('height', 1.5)],
      [
        'maxIter 0',
        [{ ...ok, maxIter: 0 }],
        RangeError,
        'options.maxIter must be an integer from 1 to 4294967295; got 0',
      ],
      [
        'maxIter 2^32',
        [{ ...ok, maxIter: 2 ** 32 }],
        RangeError,
        'options.maxIter must be an integer from 1 to 4294967295; got 4294967296',
      ],
      [
        'more pixels than 2^26',
        [{ width: 65_536, height: 1025, maxIter: 1 }],
        RangeError,
        'options.width * options.height must be at most 67108864; got 67174400',
      ],
    ]);
  });

  test('the largest image accepted is 2^26 pixels', () => {
    expect(kernels.mandelbrotSync({ width: 65_536, height: 1024, maxIter: 1 })).toHaveLength(2 ** 26);
  });

  test('an abort while it runs rejects with AbortError and frees the pool', async () => {
    await expectAbortFreesThePool(
      (signal) => kernels.mandelbrot({ width: 4096, height: 4096, maxIter: 1_000_000 }, { signal }),
      async () => Array.from(await kernels.mandelbrot({ width: 8, height: 8, maxIter: 20 })),
    );
  });
});
