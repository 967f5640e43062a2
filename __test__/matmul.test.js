'use strict';
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { testBadInput, expectAbortFreesThePool, typedArrayClass } = require('./support/kernel-checks');

/** Deterministic entries in [-1, 1). */
function matrix(n, seed) {
  const m = new Float64Array(n * n);
  let x = seed;
  for (let i = 0; i < m.length; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    m[i] = x / 2 ** 31 - 1;
  }
  return m;
}

/** Every element of `c` within 1e-12 of `a · b`, relative to Σₖ |a_ik · b_kj|. */
function expectProduct(c, a, b, n) {
  expect(typedArrayClass(c)).toBe('Float64Array');
  expect(c).toHaveLength(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let scale = 0;
      for (let k = 0; k < n; k++) {
        sum += a[i * n + k] * b[k * n + j];
        scale += Math.abs(a[i * n + k] * b[k * n + j]);
      }
      if (Math.abs(c[i * n + j] - sum) > 1e-12 * scale) throw new Error(`(${i}, ${j}): ${c[i * n + j]} vs ${sum}`);
    }
  }
}

describe(`matmul (${backend} backend)`, () => {
  test('small products, sync and async', async () => {
    const a = new Float64Array([1, 2, 3, 4]);
    const b = new Float64Array([5, 6, 7, 8]);
    expect(Array.from(kernels.matmulSync(a, b, 2))).toEqual([19, 22, 43, 50]);
    expect(Array.from(await kernels.matmul(a, b, 2))).toEqual([19, 22, 43, 50]);
    expect(Array.from(kernels.matmulSync(new Float64Array([3]), new Float64Array([-0.5]), 1))).toEqual([-1.5]);
  });

  test('the identity changes nothing', () => {
    const n = 9;
    const identity = new Float64Array(n * n).map((_, i) => (i % (n + 1) === 0 ? 1 : 0));
    const m = matrix(n, 1);
    expect(kernels.matmulSync(m, identity, n)).toEqual(m);
    expect(kernels.matmulSync(identity, m, n)).toEqual(m);
  });

  test.each([1, 2, 17, 64, 129, 150])('n = %i: the product to 1e-12, sync and async', async (n) => {
    const [a, b] = [matrix(n, n), matrix(n, 1000 + n)];
    expectProduct(kernels.matmulSync(a, b, n), a, b, n);
    expectProduct(await kernels.matmul(a, b, n), a, b, n);
  });

  test('SharedArrayBuffer-backed operands, and views into larger buffers', async () => {
    const n = 20;
    const [a, b] = [matrix(n, 5), matrix(n, 6)];
    const shared = new Float64Array(new SharedArrayBuffer(a.byteLength));
    shared.set(a);
    const inside = new Float64Array(new ArrayBuffer(b.byteLength + 16), 8, n * n);
    inside.set(b);
    expectProduct(kernels.matmulSync(shared, inside, n), a, b, n);
    expectProduct(await kernels.matmul(shared, inside, n), a, b, n);
  });

  test('the async form multiplies the operands as they were at the call', async () => {
    const n = 300;
    const [a, b] = [matrix(n, 7), matrix(n, 8)];
    const expected = kernels.matmulSync(a, b, n);
    const promise = kernels.matmul(a, b, n);
    a.fill(0);
    b.fill(0);
    expect(await promise).toEqual(expected);
  });

  test('a detached operand is refused', () => {
    const a = new Float64Array(4);
    structuredClone(a.buffer, { transfer: [a.buffer] });
    expect(() => kernels.matmulSync(a, new Float64Array(4), 2)).toThrow(
      'a must be a Float64Array; got a detached Float64Array',
    );
  });

  describe('bad input', () => {
    const four = new Float64Array(4);
    const n = 'n must be an integer from 1 to 4096';
    testBadInput('matmul', [
      ['a an Array', [[1, 2, 3, 4], four, 2], TypeError, 'a must be a Float64Array; got array'],
      ['a a Float32Array', [new Float32Array(4), four, 2], TypeError, 'a must be a Float64Array; got Float32Array'],
      ['a null', [null, four, 2], TypeError, 'a must be a Float64Array; got null'],
      ['b a Uint8Array', [four, new Uint8Array(4), 2], TypeError, 'b must be a Float64Array; got Uint8Array'],
      ['b missing', [four], TypeError, 'b must be a Float64Array; got undefined'],
      ['n a string', [four, four, '2'], TypeError, 'n must be a number; got string'],
      ['n 0', [four, four, 0], RangeError, `${n}; got 0`],
      ['n 4097', [four, four, 4097], RangeError, `${n}; got 4097`],
      ['n fractional', [four, four, 1.5], RangeError, `${n}; got 1.5`],
      ['a too short', [new Float64Array(3), four, 2], RangeError, 'a must have length n * n = 4; got 3'],
      ['b too long', [four, new Float64Array(9), 2], RangeError, 'b must have length n * n = 4; got 9'],
    ]);
  });

  test('an abort while it runs rejects with AbortError and frees the pool', async () => {
    const big = new Float64Array(2048 * 2048).fill(1);
    await expectAbortFreesThePool(
      (signal) => kernels.matmul(big, big, 2048, { signal }),
      async () => Array.from(await kernels.matmul(new Float64Array([1, 2, 3, 4]), new Float64Array([1, 0, 0, 1]), 2)),
    );
  });
});
