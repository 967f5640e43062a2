'use strict';
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { testBadInput, expectAbortFreesThePool, typedArrayClass } = require('./support/kernel-checks');

const hex = (digest) => Buffer.from(digest).toString('hex');
const bytes = (text) => new TextEncoder().encode(text);

describe(`sha256 (${backend} backend)`, () => {
  // FIPS 180-2 appendix B and NIST's SHA-256 examples.
  test.each([
    ['the empty string', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'the 448-bit message',
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'the 896-bit message',
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
    ['a million "a"', 'a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('%s, sync and async', async (_, text, digest) => {
    const sync = kernels.sha256Sync(bytes(text));
    const async = await kernels.sha256(bytes(text));
    for (const result of [sync, async]) {
      expect(typedArrayClass(result)).toBe('Uint8Array');
      expect(result).toHaveLength(32);
      expect(hex(result)).toBe(digest);
    }
  });

  test('rounds re-hash the digest (values from Python hashlib)', async () => {
    expect(hex(kernels.sha256Sync(bytes('abc'), 1))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(kernels.sha256Sync(bytes('abc'), 2))).toBe(
      '4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358',
    );
    expect(hex(await kernels.sha256(bytes('abc'), 1000))).toBe(
      'fc8a6b86a13f71cd9a67f558ab6fd82a3dd89186163a017ed8051acf6d3f8f99',
    );
  });

  test('options may follow data with rounds left off, or follow rounds', async () => {
    const { signal } = new AbortController();
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(hex(await kernels.sha256(bytes('abc'), { signal }))).toBe(abc);
    expect(hex(await kernels.sha256(bytes('abc'), undefined, { signal }))).toBe(abc);
    expect(hex(await kernels.sha256(bytes('abc'), 2, { signal }))).toBe(
      '4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358',
    );
    await expect(kernels.sha256(bytes('abc'), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(kernels.sha256(bytes('abc'), 2, 'x')).rejects.toThrow('options must be an object; got string');
    await expect(kernels.sha256(bytes('abc'), { signal: 1 })).rejects.toThrow('options.signal must be an AbortSignal');
  });

  test('a Buffer, a view into a larger buffer, and a SharedArrayBuffer-backed array hash their own bytes', async () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const inside = new Uint8Array(bytes('xxabcxx').buffer, 2, 3);
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set(bytes('abc'));
    for (const data of [Buffer.from('abc'), inside, shared]) {
      expect(hex(kernels.sha256Sync(data))).toBe(abc);
      expect(hex(await kernels.sha256(data))).toBe(abc);
    }
  });

  test('the async form hashes the bytes as they were at the call, whatever JS writes after', async () => {
    const data = new Uint8Array(8 << 20).fill(0x61);
    const expected = hex(kernels.sha256Sync(data));
    const promise = kernels.sha256(data);
    data.fill(0);
    expect(hex(await promise)).toBe(expected);
  });

  test('a detached array is refused', async () => {
    const data = new Uint8Array(16);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    const message = 'data must be a Uint8Array; got a detached Uint8Array';
    expect(() => kernels.sha256Sync(data)).toThrow(message);
    await expect(kernels.sha256(data)).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
      message,
    });
  });

  describe('bad input', () => {
    const data = bytes('abc');
    const rounds = 'rounds must be an integer from 1 to 4294967295';
    testBadInput('sha256', [
      ['data a string', ['abc'], TypeError, 'data must be a Uint8Array; got string'],
      ['data missing', [], TypeError, 'data must be a Uint8Array; got undefined'],
      ['data null', [null], TypeError, 'data must be a Uint8Array; got null'],
      ['data an Array', [[1, 2, 3]], TypeError, 'data must be a Uint8Array; got array'],
      ['data an ArrayBuffer', [new ArrayBuffer(3)], TypeError, 'data must be a Uint8Array; got object'],
      ['data a Float64Array', [new Float64Array(3)], TypeError, 'data must be a Uint8Array; got Float64Array'],
      ['data an Int8Array', [new Int8Array(3)], TypeError, 'data must be a Uint8Array; got Int8Array'],
      [
        'data a Uint8ClampedArray',
        [new Uint8ClampedArray(3)],
        TypeError,
        'data must be a Uint8Array; got Uint8ClampedArray',
      ],
      ['data a DataView', [new DataView(new ArrayBuffer(3))], TypeError, 'data must be a Uint8Array; got DataView'],
      ['rounds a string', [data, '2'], TypeError, 'rounds must be a number; got string'],
      ['rounds null', [data, null], TypeError, 'rounds must be a number; got null'],
      ['rounds 0', [data, 0], RangeError, `${rounds}; got 0`],
      ['rounds fractional', [data, 1.5], RangeError, `${rounds}; got 1.5`],
      ['rounds 2^32', [data, 2 ** 32], RangeError, `${rounds}; got 4294967296`],
    ]);
  });

  test('an abort while it runs rejects with AbortError and frees the pool', async () => {
    await expectAbortFreesThePool(
      (signal) => kernels.sha256(bytes('abc'), 2 ** 32 - 1, { signal }),
      async () => hex(await kernels.sha256(bytes('abc'))),
    );
  });
});
