'use strict';
// nbody, spectralNorm, fannkuch and the I/O-bound tasks: every backend that loads (native, wasm,
// JS), each in a process of its own, gives the same results to the bit and the same errors.
// (JSON carries every double exactly: it writes the shortest decimal that reads back as the
// same bits.)
const { inBackend, rivalsOfNative } = require('./support/backends');
const { info } = require('gil-lab');

const nativeAvailable = info().backend === 'native' || inBackend('auto', 'return gil.info().backend').ok === 'native';
const describeBoth = nativeAvailable ? describe : describe.skip;

const rivals = rivalsOfNative();

/** Runs `body` under native and its rivals, and expects the same outcome from each. */
function sameInBoth(body) {
  const native = inBackend('native', body);
  expect(native.error).toBeUndefined();
  for (const name of rivals) expect(inBackend(name, body)).toEqual(native);
  return native.ok;
}

/** The body of a snippet that calls `kernel` with each of `bad` and collects the errors. */
const errorsOf = (kernel, bad) => `
  const out = [];
  for (const b of ${bad}) {
    try { gil.kernels.${kernel}Sync(b); out.push('no error'); }
    catch (e) { out.push([e.constructor.name, e.code, e.message]); }
    out.push(await gil.kernels.${kernel}(b).then(() => 'no error', (e) => [e.constructor.name, e.code, e.message]));
  }
  return out;`;

const BAD_NUMBERS = `['1', null, undefined, -1, 0, 0.5, NaN, Infinity, -Infinity, 13, 2 ** 31, 2 ** 53, {}, [], true, 1n]`;

describeBoth(`native and ${rivals.join(', ')} backends agree (nbody, spectralNorm, fannkuch)`, () => {
  test('nbody, to the bit, sync and async', () => {
    const out = sameInBoth(`
      const out = [];
      for (const steps of [0, 1, 2, 255, 256, 257, 1000, 100_000]) out.push(gil.kernels.nbodySync(steps), await gil.kernels.nbody(steps));
      return out;`);
    expect(out).toHaveLength(16);
    expect(out[12].energyAfter.toFixed(9)).toBe('-0.169087605');
  });

  test('spectralNorm, to the bit, sync and async, across block edges and odd n', () => {
    const out = sameInBoth(`
      const out = [];
      for (const n of [1, 2, 3, 7, 100, 101]) out.push(gil.kernels.spectralNormSync(n), await gil.kernels.spectralNorm(n));
      out.push(gil.kernels.spectralNormSync(4097)); // rows of two blocks, the second of one column
      return out;`);
    expect(out).toHaveLength(13);
    expect(out[8].toFixed(9)).toBe('1.274219991');
  });

  test('fannkuch for every n up to 10, sync and async', () => {
    const out = sameInBoth(`
      const out = [];
      for (let n = 1; n <= 10; n++) out.push(gil.kernels.fannkuchSync(n), await gil.kernels.fannkuch(n));
      return out;`);
    expect(out[19]).toEqual({ checksum: 73196, maxFlips: 38 });
  });

  test.each(['nbody', 'spectralNorm', 'fannkuch'])('%s: the same errors, class, code and message', (kernel) => {
    const out = sameInBoth(errorsOf(kernel, BAD_NUMBERS));
    expect(out.filter((r) => Array.isArray(r)).length).toBeGreaterThanOrEqual(26);
  });
});

describeBoth(`native and ${rivals.join(', ')} backends agree (sleep, readFile, pipeRoundTrips)`, () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  let dir;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-parity-'));
    fs.writeFileSync(path.join(dir, 'bytes'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 13) % 256)));
    fs.closeSync(fs.openSync(path.join(dir, 'huge'), 'w'));
    fs.truncateSync(path.join(dir, 'huge'), 2 ** 30 + 1);
    fs.symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('sleep and pipeRoundTrips: the same results and the same errors', () => {
    const out = sameInBoth(`
      const out = [gil.kernels.sleepSync(1), await gil.kernels.sleep(0.5), gil.kernels.pipeRoundTripsSync(500), await gil.kernels.pipeRoundTrips(7)];
      for (const kernel of ['sleep', 'pipeRoundTrips']) {
        for (const b of ['1', null, -1, 0.5, NaN, Infinity, 2 ** 31, {}]) {
          try { gil.kernels[kernel + 'Sync'](b); out.push('no error'); } catch (e) { out.push([e.constructor.name, e.code, e.message]); }
          out.push(await gil.kernels[kernel](b).then(() => 'no error', (e) => [e.constructor.name, e.code, e.message]));
        }
      }
      return out;`);
    expect(out.slice(0, 4)).toEqual([null, null, 500, 7]);
    expect(out.filter((r) => Array.isArray(r))).toHaveLength(30); // all 32 calls but sleep(0.5), a valid sleep
  });

  test('readFile: the same bytes, and errors of the same class, code, errno, syscall, path and message', () => {
    const paths = ['bytes', 'missing', 'bytes/inside', '.', 'loop', 'huge', 'x'.repeat(300)].map((p) =>
      path.join(dir, p),
    );
    const body = `
      const out = [];
      const shape = (e) => ({ class: e.constructor.name, ...e, message: e.message });
      for (const p of ${JSON.stringify([...paths, '', 'a\0b', 42, null])}) {
        try { out.push(gil.kernels.readFileSync(p)); } catch (e) { out.push(shape(e)); }
        out.push(await gil.kernels.readFile(p).catch(shape));
      }
      return out;`;
    const native = inBackend('native', body);
    expect(native.error).toBeUndefined();
    for (const name of rivals) {
      const answer = JSON.stringify(inBackend(name, body));
      // wasm reads at most 256 MiB (its heap stays under 2 GiB), where the others read 1 GiB.
      const limit = name === 'wasm' ? 2 ** 28 : 2 ** 30;
      expect(answer).toContain(`at most ${limit} bytes`);
      expect(JSON.parse(answer.replaceAll(`at most ${limit} bytes`, `at most ${2 ** 30} bytes`))).toEqual(native);
    }
    const out = native.ok;
    expect(out[0].data).toHaveLength(70_000);
    expect(out.slice(2).map((r) => r.code)).toEqual([
      'ENOENT',
      'ENOENT',
      'ENOTDIR',
      'ENOTDIR',
      'EISDIR',
      'EISDIR',
      'ELOOP',
      'ELOOP',
      'ERR_OUT_OF_RANGE',
      'ERR_OUT_OF_RANGE',
      'ENAMETOOLONG',
      'ENAMETOOLONG',
      'ERR_OUT_OF_RANGE',
      'ERR_OUT_OF_RANGE',
      'ERR_OUT_OF_RANGE',
      'ERR_OUT_OF_RANGE',
      'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_ARG_TYPE',
      'ERR_INVALID_ARG_TYPE',
    ]);
  });
});

test('parity tests run wherever a native binary is built', () => {
  if (info().backend === 'native') expect(nativeAvailable).toBe(true);
});
