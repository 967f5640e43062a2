// Test tables shared by the kernel test files: a catalogue of bad arguments, and an abort
// while a long call runs.
'use strict';
const { kernels, info, AbortError } = require('gil-lab');

/**
 * For each `[label, args, ErrorClass, message]`: the sync form throws, and the async form
 * rejects, with that class, Node's code for it, and exactly that message.
 */
function badArguments(kernel, cases) {
  const code = (type) => (type === TypeError ? 'ERR_INVALID_ARG_TYPE' : 'ERR_OUT_OF_RANGE');
  test.each(cases)('%s: sync throws', (_, args, type, message) => {
    let thrown;
    try {
      kernels[`${kernel}Sync`](...args);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(type);
    expect(thrown).toMatchObject({ message, code: code(type) });
  });
  test.each(cases)('%s: async rejects', async (_, args, type, message) => {
    const promise = kernels[kernel](...args);
    await expect(promise).rejects.toBeInstanceOf(type);
    await expect(promise).rejects.toMatchObject({ message, code: code(type) });
  });
}

/**
 * Starts `kernel(...args)` — a call that would run for long — aborts it after `afterMs`,
 * and checks that it rejects with AbortError within `withinMs` of the abort and that every
 * thread of the default pool then runs a new task (a thread still busy with the aborted
 * call would hold its share back for as long as that call runs).
 */
async function abortWhileRunning(kernel, args, { afterMs = 30, withinMs = 500, freedWithinMs = 3000 } = {}) {
  const controller = new AbortController();
  const promise = kernels[kernel](...args, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const aborted = Date.now();
  controller.abort();
  await expect(promise).rejects.toBeInstanceOf(AbortError);
  expect(Date.now() - aborted).toBeLessThan(withinMs);
  const freed = Date.now();
  const results = await Promise.all(Array.from({ length: info().cpus }, () => kernels.countPrimes(1000)));
  expect(results).toEqual(Array(info().cpus).fill(168));
  expect(Date.now() - freed).toBeLessThan(freedWithinMs);
}

module.exports = { badArguments, abortWhileRunning };
