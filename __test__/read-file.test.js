'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { badArguments, abortWhileRunning } = require('./support/kernel-cases');

const MAX = 2 ** 30;
let dir;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-read-file-test-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name, bytes) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

/** What readFile threw or rejected with, as plain data. */
async function failure(p) {
  const shape = (e) => ({ class: e.constructor.name, ...e, message: e.message });
  let thrown;
  try {
    kernels.readFileSync(p);
  } catch (e) {
    thrown = shape(e);
  }
  const rejected = await kernels.readFile(p).then(() => undefined, shape);
  expect(rejected).toEqual(thrown);
  return thrown;
}

describe(`readFile (${backend} backend)`, () => {
  test.each([
    ['empty', 0],
    ['one byte', 1],
    ['a few hundred kilobytes', 300_001],
  ])('%s: every byte, as a Uint8Array, sync and async', async (name, size) => {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 7) % 251;
    const p = file(name, bytes);
    for (const got of [kernels.readFileSync(p), await kernels.readFile(p)]) {
      expect(Object.prototype.toString.call(got)).toBe('[object Uint8Array]');
      expect(Buffer.isBuffer(got)).toBe(false);
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(bytes)).toBe(true);
    }
  });

  (process.platform === 'linux' ? test : test.skip)(
    'files that do not tell their size are read to the end',
    async () => {
      const status = Buffer.from(await kernels.readFile('/proc/self/status')).toString();
      expect(status).toContain('Name:');
    },
  );

  test('a relative path is read from the working folder', () => {
    const here = path.relative(process.cwd(), file('relative', 'here'));
    expect(Buffer.from(kernels.readFileSync(here)).toString()).toBe('here');
  });

  describe('errors of the OS, shaped as Node fs errors', () => {
    test('a missing file: ENOENT from open', async () => {
      const p = path.join(dir, 'missing');
      expect(await failure(p)).toEqual({
        class: 'Error',
        code: 'ENOENT',
        errno: -2,
        syscall: 'open',
        path: p,
        message: `ENOENT: no such file or directory, open '${p}'`,
      });
    });

    test('a file used as a folder: ENOTDIR from open', async () => {
      const p = path.join(file('plain', 'x'), 'inside');
      expect(await failure(p)).toMatchObject({
        code: 'ENOTDIR',
        syscall: 'open',
        message: `ENOTDIR: not a directory, open '${p}'`,
      });
    });

    test('a folder: EISDIR from read, with the path', async () => {
      expect(await failure(dir)).toEqual({
        class: 'Error',
        code: 'EISDIR',
        errno: -21,
        syscall: 'read',
        path: dir,
        message: `EISDIR: illegal operation on a directory, read '${dir}'`,
      });
    });

    test('a loop of symbolic links: ELOOP', async () => {
      const a = path.join(dir, 'loop-a');
      fs.symlinkSync(path.join(dir, 'loop-b'), a);
      fs.symlinkSync(a, path.join(dir, 'loop-b'));
      expect(await failure(a)).toMatchObject({
        code: 'ELOOP',
        message: `ELOOP: too many symbolic links encountered, open '${a}'`,
      });
    });

    test('a name too long: ENAMETOOLONG', async () => {
      const p = path.join(dir, 'n'.repeat(300));
      expect(await failure(p)).toMatchObject({
        code: 'ENAMETOOLONG',
        errno: -36,
        message: `ENAMETOOLONG: name too long, open '${p}'`,
      });
    });
  });

  test('a file over 1 GiB is refused from its size, before any read', async () => {
    const p = path.join(dir, 'sparse');
    fs.closeSync(fs.openSync(p, 'w'));
    fs.truncateSync(p, MAX + 1); // sparse: no disk used
    const started = Date.now();
    expect(await failure(p)).toEqual({
      class: 'RangeError',
      code: 'ERR_OUT_OF_RANGE',
      message: 'path must be a file of at most 1073741824 bytes; got 1073741825 bytes',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  describe('bad path', () => {
    badArguments('readFile', [
      ['a number', [5], TypeError, 'path must be a string; got number'],
      ['undefined', [undefined], TypeError, 'path must be a string; got undefined'],
      ['null', [null], TypeError, 'path must be a string; got null'],
      ['a Buffer', [Buffer.from('/etc/hosts')], TypeError, 'path must be a string; got object'],
      ['a URL', [new URL('file:///etc/hosts')], TypeError, 'path must be a string; got object'],
      ['empty', [''], RangeError, 'path must be a non-empty string without NUL characters; got an empty string'],
      [
        'with a NUL',
        ['/etc/hosts\0.txt'],
        RangeError,
        'path must be a non-empty string without NUL characters; got a string with a NUL character',
      ],
    ]);
  });

  (fs.existsSync('/dev/zero') ? test : test.skip)(
    'an abort while it reads an endless file rejects with AbortError and frees the pool',
    async () => {
      await abortWhileRunning('readFile', ['/dev/zero'], { afterMs: 5, withinMs: 100 });
    },
  );
});

(fs.existsSync('/dev/zero') ? test : test.skip)(
  'the JS kernel stops an endless file at its limit (here made small)',
  () => {
    // The native twin's check is covered by `cargo test` (read_file.rs) with the same small limit.
    const { readFile } = require('../dist/kernels/read-file');
    const { quietTicker } = require('../dist/breaker');
    expect(() => readFile('/dev/zero', quietTicker, 100_000)).toThrow(
      'path must be a file of at most 100000 bytes; got more than 100000 bytes',
    );
  },
);
