// Checks that every kernel's tests share: bad input refused alike by the sync and async
// forms, and an abort that frees the pool.
'use strict';
const { kernels, info, AbortError } = require('gil-lab');

const codeOf = (type) => (type === TypeError ? 'ERR_INVALID_ARG_TYPE' : 'ERR_OUT_OF_RANGE');

/**
 * `cases`: rows of [title, args, TypeError | RangeError, message]. The sync form throws, the
 * async form rejects: that class, Node's code for it, that message word for word.
 */
function testBadInput(name, cases) {
  test.each(cases)('%s: sync throws', (_, args, type, message) => {
    let error;
    try {
      kernels[`${name}Sync`](...args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ message, code: codeOf(type) });
  });
  test.each(cases)('%s: async rejects', async (_, args, type, message) => {
    const promise = kernels[name](...args);
    await expect(promise).rejects.toBeInstanceOf(type);
    await expect(promise).rejects.toMatchObject({ message, code: codeOf(type) });
  });
}

/**
 * Starts a long call with `start(signal)`, aborts it after 30 ms, and expects an AbortError
 * soon after; then as many calls of `quick()` as there are cores must all finish, so every
 * thread is free again.
 */
async function expectAbortFreesThePool(start, quick) {
  const controller = new AbortController();
  const promise = start(controller.signal);
  setTimeout(() => controller.abort(), 30);
  const started = Date.now();
  await expect(promise).rejects.toBeInstanceOf(AbortError);
  expect(Date.now() - started).toBeLessThan(5000);
  const expected = await quick();
  const results = await Promise.all(Array.from({ length: info().cpus }, quick));
  expect(results).toEqual(results.map(() => expected));
}

/** The class of a typed array, whatever realm made it; fails for a Buffer. */
function typedArrayClass(value) {
  expect(Buffer.isBuffer(value)).toBe(false);
  return Object.prototype.toString.call(value).slice(8, -1);
}

module.exports = { testBadInput, expectAbortFreesThePool, typedArrayClass };
