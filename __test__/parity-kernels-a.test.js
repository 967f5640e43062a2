'use strict';
// countdown, mandelbrot, monteCarloPi, sha256, matmul and countPrimes: every backend that loads
// (native, wasm, JS), each in a process of its own, gives the same results and the same errors.
const { inBackend, rivalsOfNative } = require('./support/backends');
const { info } = require('gil-lab');

const nativeAvailable = inBackend('auto', 'return gil.info().backend').ok === 'native';
const describeBoth = nativeAvailable ? describe : describe.skip;

const rivals = rivalsOfNative();

/** Runs `body` in native, then in its rivals, and returns their answers, which must not be errors. */
function both(body) {
  return ['native', ...rivals].map((name) => {
    const answer = inBackend(name, body);
    expect(answer.error).toBeUndefined();
    return answer.ok;
  });
}

describeBoth(`native and ${rivals.join(', ')} backends agree (kernels-a)`, () => {
  test('mandelbrot: the same counts, bit for bit, sync and async', () => {
    const [native, ...others] = both(`
      const k = gil.kernels, out = [];
      for (const o of [{ width: 1, height: 1, maxIter: 1 }, { width: 13, height: 7, maxIter: 100 },
                       { width: 160, height: 120, maxIter: 2000 }, { width: 333, height: 2, maxIter: 65536 }])
        out.push(k.mandelbrotSync(o), await k.mandelbrot(o));
      return out;`);
    expect(native).toHaveLength(8);
    expect(native.every((r) => r.$typed === 'Uint32Array')).toBe(true);
    for (const other of others) expect(other).toEqual(native);
  });

  test('monteCarloPi: the same estimate, bit for bit, for every seed', () => {
    const [native, ...others] = both(`
      const k = gil.kernels, out = [];
      for (const [samples, seed] of [[1, 0], [7, 1], [4095, 2], [4096, 3], [4097, 4], [100_000, 0], [1_000_003, 4294967295], [2_000_000, 123456789]])
        out.push(k.monteCarloPiSync(samples, seed), await k.monteCarloPi(samples, seed));
      return out;`);
    expect(native).toHaveLength(16);
    for (const other of others) expect(other).toEqual(native);
  });

  test('sha256: the same digests, as plain Uint8Arrays', () => {
    const [native, ...others] = both(`
      const k = gil.kernels, out = [];
      const data = new Uint8Array(300_000).map((_, i) => (i * 31 + 7) & 255);
      for (const [d, r] of [[new Uint8Array(0), 1], [data.subarray(5, 70), 3], [data, 1], [data, 17], [Buffer.from('abc'), 300]])
        out.push(k.sha256Sync(d, r), await k.sha256(d, r));
      return out;`);
    expect(native.every((r) => r.$typed === 'Uint8Array' && r.data.length === 32)).toBe(true);
    for (const other of others) expect(other).toEqual(native);
  });

  test('matmul: the same products to 1e-12 relative, as Float64Arrays', () => {
    const body = `
      const n = 97, a = new Float64Array(n * n), b = new Float64Array(n * n);
      for (let i = 0; i < n * n; i++) { a[i] = Math.sin(i); b[i] = Math.cos(3 * i); }
      return [gil.kernels.matmulSync(a, b, n), await gil.kernels.matmul(a, b, n)];`;
    const [native, ...others] = both(body);
    expect(native[0].$typed).toBe('Float64Array');
    expect(others.every((o) => o[0].$typed === 'Float64Array')).toBe(true);
    const worst = Math.max(
      ...others.flatMap((other) => native.flatMap((m, r) => m.data.map((x, i) => Math.abs(x - other[r].data[i])))),
    );
    // Each |a_ik · b_kj| ≤ 1, so Σₖ ≤ 97: the tolerance is at most 97e-12.
    expect(worst).toBeLessThan(97e-12);
  });

  test('countdown and countPrimes', () => {
    const [native, ...others] = both(`
      const k = gil.kernels, out = [];
      for (const n of [0, 1, 65537]) out.push(String(k.countdownSync(n)), String(await k.countdown(n)));
      for (const l of [0, 3, 8, 9, 10, 49, 50, 121, 122, 1_000_000, 2_000_003]) out.push(k.countPrimesSync(l), await k.countPrimes(l));
      return out;`);
    expect(native.slice(0, 6)).toEqual(Array(6).fill('undefined'));
    for (const other of others) expect(other).toEqual(native);
  });

  test('the same errors, class, code and message', () => {
    const body = `
      const k = gil.kernels, f64 = new Float64Array(4), out = [];
      const detached = new Uint8Array(4); structuredClone(detached.buffer, { transfer: [detached.buffer] });
      const calls = [
        ['countdown', [-1]], ['countdown', [2 ** 53]], ['countdown', ['1']],
        ['mandelbrot', [null]], ['mandelbrot', [[]]], ['mandelbrot', [{ width: 2, height: 0, maxIter: 1 }]],
        ['mandelbrot', [{ width: 1e5, height: 1, maxIter: 1 }]], ['mandelbrot', [{ width: 9000, height: 9000, maxIter: 1 }]],
        ['mandelbrot', [{ width: 2, height: 2, maxIter: -1 }]],
        ['monteCarloPi', [0, 0]], ['monteCarloPi', [1, -1]], ['monteCarloPi', [1]], ['monteCarloPi', [1e300, 0]],
        ['sha256', [new Int16Array(2)]], ['sha256', [new BigInt64Array(1)]], ['sha256', [new DataView(new ArrayBuffer(1))]],
        ['sha256', [detached]], ['sha256', [new Uint8Array(1), 0]], ['sha256', [new Uint8Array(1), NaN]], ['sha256', [{}]],
        ['matmul', [f64, f64, 3]], ['matmul', [f64, new Float32Array(4), 2]], ['matmul', [f64, f64, 5000]],
        ['matmul', [f64, f64]], ['matmul', [new Float64Array(5), f64, 2]],
      ];
      for (const [name, args] of calls) {
        try { k[name + 'Sync'](...args); out.push('no error'); }
        catch (e) { out.push([e.constructor.name, e.code, e.message]); }
        out.push(await k[name](...args).then(() => 'no error', (e) => [e.constructor.name, e.code, e.message]));
      }
      return out;`;
    const [native, ...others] = both(body);
    expect(native.every((r) => Array.isArray(r))).toBe(true);
    for (const other of others) expect(other).toEqual(native);
  });
});

test('these parity tests run wherever a native binary is built', () => {
  if (info().backend === 'native') expect(nativeAvailable).toBe(true);
});
