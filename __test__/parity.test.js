'use strict';
// Every backend that loads (native, wasm, JS), each in a process of its own, gives the same
// results and the same errors.
const { inBackend, rivalsOfNative } = require('./support/backends');
const { info } = require('gil-lab');

const nativeAvailable = inBackend('auto', 'return gil.info().backend').ok === 'native';
const describeBoth = nativeAvailable ? describe : describe.skip;

const rivals = rivalsOfNative();

describeBoth(`native and ${rivals.join(', ')} backends agree`, () => {
  test('countPrimes on a spread of limits, sync and async', () => {
    const body = `
      const limits = [0, 1, 2, 3, 4, 5, 97, 98, 1000, 65_536, 99_991, 250_000, 1_000_003];
      const out = [];
      for (const l of limits) out.push(gil.kernels.countPrimesSync(l), await gil.kernels.countPrimes(l));
      return out;`;
    const native = inBackend('native', body);
    expect(native.ok).toHaveLength(26);
    for (const name of rivals) expect(inBackend(name, body)).toEqual(native);
  });

  test('the same errors, class and message', () => {
    const body = `
      const bad = ['1', null, undefined, -1, 0.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, {}, [], true];
      const out = [];
      for (const b of bad) {
        try { gil.kernels.countPrimesSync(b); out.push('no error'); }
        catch (e) { out.push([e.constructor.name, e.code, e.message]); }
        out.push(await gil.kernels.countPrimes(b).then(() => 'no error', (e) => [e.constructor.name, e.code, e.message]));
      }
      return out;`;
    const native = inBackend('native', body);
    expect(native.ok.every((r) => Array.isArray(r))).toBe(true);
    for (const name of rivals) expect(inBackend(name, body)).toEqual(native);
  });
});

test('parity tests run wherever a native binary is built', () => {
  // Keeps this file honest about what it skipped: on a machine with a native build, the
  // comparisons above must have run.
  if (info().backend === 'native') expect(nativeAvailable).toBe(true);
});
