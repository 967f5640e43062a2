// The C++ baseline of `npm run bench:peers` (benchmark/cpp-baseline/) computes what gil-lab
// computes, so that the benchmark compares binding layers over the same work; and it stays a
// benchmark: nothing that users install holds or loads it.
//
// The first pass of `npm test` builds it (node-gyp, offline); later passes reuse the build,
// which build.js keys on a hash of its sources. Skipped only where no C++ toolchain or no
// Node headers are there.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { kernels, kernelsFor } = require('gil-lab');
const { ensureBuilt } = require('../benchmark/cpp-baseline/build');
const { ROOT, backend } = require('./support/backends');

const built = ensureBuilt();
const cpp = built.addon ? require(built.addon) : null;
const describeBuilt = cpp ? describe : describe.skip;
const skipNote = cpp ? '' : ` — skipped: ${built.skipped}`;
if (!cpp) console.warn(`C++ baseline tests skipped: ${built.skipped}`);

/** gil-lab's tables to compare against: this pass's backend, and native where it loads. */
const gilTables = (() => {
  const tables = [[backend, kernels]];
  try {
    if (backend !== 'native') tables.push(['native', kernelsFor('native')]);
  } catch {
    // no native binary here: the JS pass compares with JS only
  }
  return tables;
})();

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const nodeSha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
/** Lengths around SHA-256's 64-byte blocks and its 56-byte padding boundary. */
const LENGTHS = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 2 ** 20 + 3];
const dataOf = (length) => new Uint8Array(crypto.randomBytes(length));

describeBuilt(`C++ baseline agrees with gil-lab (${backend} pass)${skipNote}`, () => {
  // Around the squares where a new divisor comes into use, and past many blocks of eight.
  const LIMITS = [0, 1, 2, 3, 4, 5, 9, 10, 25, 26, 27, 49, 100, 1000, 7919, 7920, 100_000, 1_000_000];

  test.each(LIMITS)('countPrimes(%i), sync and async, equals gil-lab', async (limit) => {
    const expected = cpp.countPrimesSync(limit);
    await expect(cpp.countPrimes(limit)).resolves.toBe(expected);
    for (const [, table] of gilTables) {
      expect(table.countPrimesSync(limit)).toBe(expected);
      await expect(table.countPrimes(limit)).resolves.toBe(expected);
    }
  });

  test.each(LENGTHS)('sha256 of %i bytes, sync and async, equals node:crypto', async (length) => {
    const data = dataOf(length);
    const expected = nodeSha256(data);
    const sync = cpp.sha256Sync(data);
    expect(sync).toBeInstanceOf(Uint8Array);
    expect(hex(sync)).toBe(expected);
    expect(hex(await cpp.sha256(data))).toBe(expected);
  });

  const hasSha256 = typeof kernels.sha256Sync === 'function';
  (hasSha256 ? test : test.skip)(
    'sha256, sync and async, equals gil-lab sha256Sync (once gil-lab has it)',
    async () => {
      for (const length of LENGTHS) {
        const data = dataOf(length);
        const expected = hex(cpp.sha256Sync(data));
        for (const [name, table] of gilTables) {
          expect([name, length, hex(table.sha256Sync(data))]).toEqual([name, length, expected]);
          expect([name, length, hex(await table.sha256(data))]).toEqual([name, length, expected]);
        }
      }
    },
  );

  test('the async sha256 hashes the bytes as they were at the call', async () => {
    const data = dataOf(2 ** 20);
    const expected = nodeSha256(data);
    const promise = cpp.sha256(data);
    data.fill(0);
    expect(hex(await promise)).toBe(expected);
  });

  test('no-ops return undefined, sync and async', async () => {
    expect(cpp.noopSync()).toBeUndefined();
    await expect(cpp.noop()).resolves.toBeUndefined();
  });

  test('bad arguments throw TypeError or RangeError before any work', async () => {
    expect(() => cpp.countPrimesSync('10')).toThrow(TypeError);
    expect(() => cpp.countPrimesSync(-1)).toThrow(RangeError);
    expect(() => cpp.countPrimesSync(2.5)).toThrow(RangeError);
    expect(() => cpp.countPrimesSync(2 ** 31)).toThrow(RangeError);
    expect(() => cpp.countPrimes(NaN)).toThrow(RangeError);
    expect(() => cpp.sha256Sync([1, 2])).toThrow(TypeError);
    expect(() => cpp.sha256(new Uint16Array(4))).toThrow(TypeError);
  });
});

describe('the C++ baseline is a benchmark, not part of gil-lab', () => {
  test('npm packs none of it', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    const files = JSON.parse(out)[0].files.map((f) => f.path);
    expect(files).toContain('package.json');
    expect(files.filter((file) => file.startsWith('benchmark/'))).toEqual([]);
  });

  test('nothing in lib/ refers to it', () => {
    const sources = (dir) =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? sources(full) : [full];
      });
    const files = sources(path.join(ROOT, 'lib'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.readFileSync(file, 'utf8')).not.toMatch(/cpp[-_]baseline|node-addon-api/);
  });
});
