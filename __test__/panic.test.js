'use strict';
// A Rust panic never takes the process down: the binding's test-only `__panicForTesting`
// exports panic on purpose, on the calling thread and on a pool thread.
require('./support/faults'); // first: it loads the test build, which has the panic exports
const { kernels, info } = require('gil-lab');
const { backend } = require('./support/backends');

const describeNative = info().backend === 'native' ? describe : describe.skip;

describeNative('a panic in Rust', () => {
  const binding = () => require(info().binary);

  test('in a sync call throws an Error naming the kernel, and the process goes on', () => {
    expect(() => binding().__panicForTestingSync('on purpose')).toThrow(
      '__panicForTesting panicked in Rust: on purpose',
    );
    expect(kernels.countPrimesSync(100)).toBe(25);
  });

  test('in an async call rejects its promise, and every pool thread still works', async () => {
    const panics = Array.from({ length: 2 * info().cpus }, (_, i) =>
      binding().__panicForTesting(null, null, `number ${i}`),
    );
    const outcomes = await Promise.allSettled(panics);
    outcomes.forEach((outcome, i) => {
      expect(outcome.status).toBe('rejected');
      expect(outcome.reason).toBeInstanceOf(Error);
      expect(outcome.reason.message).toBe(`__panicForTesting panicked in Rust: number ${i}`);
    });
    const results = await Promise.all(Array.from({ length: info().cpus }, () => kernels.countPrimes(1000)));
    expect(results).toEqual(results.map(() => 168));
  });
});

test('the panic tests run in the native pass', () => {
  if (backend === 'native') expect(info().backend).toBe('native');
});
