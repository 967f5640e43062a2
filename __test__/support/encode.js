// Results as JSON that keeps every bit: what the tests compare across backends and forms.
'use strict';

/** A result, bit for bit: numbers by their IEEE-754 bits, typed arrays by class and bytes. */
function encode(value) {
  if (typeof value === 'number') return `f64:${Buffer.from(Float64Array.of(value).buffer).toString('hex')}`;
  if (ArrayBuffer.isView(value))
    return {
      class: value.constructor.name,
      bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'),
    };
  if (value === undefined || value === null || typeof value !== 'object') return value ?? null;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
}

module.exports = { encode };
