// Property-based parity: random arguments for every kernel, from fast-check, the same in any
// process for the same seed. `runProperties(gil, options)` runs batches of them in this
// process — each case in the sync and the async form — until its time budget is spent, and
// reports a digest of every outcome; `__test__/properties.test.js` runs it in one child per
// backend and compares. A case is replayed from its kernel, seed, batch and index:
// `casesOf(kernel, seed, batch)[index]`.
//
// Arguments are valid three times in four — small sizes, every value of each argument's
// range reachable — and otherwise one argument is replaced by an invalid value: anything
// fast-check makes (objects, strings, bigints, NaN, ±0, subnormals, huge numbers), values
// just past a bound, typed arrays of the wrong kind or length. An invalid value that happens
// to be valid is run too, when it is cheap; when it is not (countdown of 2⁵²), it is not
// generated.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const fc = require('fast-check');
const { KERNELS, integer } = require('./bad-input-catalogue');
const { encode } = require('./encode');

/** Cases per batch: the unit of a run's budget, and of a replay. */
const BATCH = 50;

/** Bytes from a seed, for inputs too long to draw byte by byte. */
function bytesOf(length, seed) {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const anyString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 3 }), // lone surrogates
);

/** Any value, numbers of every edge most of all. */
const anyValue = fc.oneof(
  {
    arbitrary: fc.anything({ withBigInt: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
    weight: 3,
  },
  { arbitrary: fc.double(), weight: 4 },
  { arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 33 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      -0,
      NaN,
      Infinity,
      -Infinity,
      2 ** 53,
      2 ** 53 - 1,
      2 ** 31,
      2 ** 32,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
    ),
    weight: 1,
  },
  { arbitrary: anyString, weight: 1 },
);

/** A value that the contract `spec` of a number argument refuses, or a cheap valid one. */
function badNumber(spec) {
  const near = fc.oneof(
    fc.integer({ min: -3, max: 3 }).map((d) => spec.min + d),
    fc.integer({ min: -3, max: 3 }).map((d) => spec.max + d),
    fc.double({ min: spec.min - 2, max: spec.max + 2, noNaN: true }),
  );
  return fc.oneof(anyValue, near).filter((v) => typeof v !== 'number' || !spec.valid(v) || spec.cheap(v));
}

const TYPED = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
];

/** A typed-array argument that is not a `kind` of `length` elements: another kind, or another length. */
function badTypedArray(kind, length) {
  const other = fc
    .tuple(fc.constantFrom(...TYPED.filter((k) => k !== kind)), fc.nat(40))
    .map(([k, n]) => new globalThis[k](n));
  const sized =
    length === undefined
      ? []
      : [
          fc
            .nat(3 * length + 3)
            .filter((n) => n !== length)
            .map((n) => new globalThis[kind](n).fill(1)),
        ];
  return fc.oneof(anyValue, other, ...sized);
}

/** The valid arguments of each kernel, small. */
const VALID = {
  countPrimes: fc.tuple(fc.oneof({ arbitrary: fc.nat(3000), weight: 6 }, { arbitrary: fc.nat(70_000), weight: 1 })),
  countdown: fc.tuple(fc.nat(300_000)),
  mandelbrot: fc.tuple(
    fc.record({
      width: fc.integer({ min: 1, max: 40 }),
      height: fc.integer({ min: 1, max: 40 }),
      maxIter: fc.integer({ min: 1, max: 600 }),
    }),
  ),
  matmul: fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.tuple(
      fc.float64Array({
        minLength: n * n,
        maxLength: n * n,
        noDefaultInfinity: true,
        noNaN: true,
        min: -1e3,
        max: 1e3,
      }),
      fc.float64Array({
        minLength: n * n,
        maxLength: n * n,
        noDefaultInfinity: true,
        noNaN: true,
        min: -1e3,
        max: 1e3,
      }),
      fc.constant(n),
    ),
  ),
  monteCarloPi: fc.tuple(fc.integer({ min: 1, max: 30_000 }), fc.nat({ max: 2 ** 32 - 1 })),
  sha256: fc.tuple(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.nat(200_000), fc.nat()).map(([n, seed]) => bytesOf(n, seed)),
    ),
    fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 300 })),
  ),
  nbody: fc.tuple(fc.nat(3000)),
  spectralNorm: fc.tuple(fc.integer({ min: 1, max: 120 })),
  fannkuch: fc.tuple(fc.integer({ min: 1, max: 8 })),
  sleep: fc.tuple(fc.double({ min: 0, max: 0.2, noNaN: true })),
  // Mostly short files; now and then one past 64 KiB, where the reads of both backends go on in a second chunk.
  readFile: fc
    .tuple(fc.oneof({ arbitrary: fc.nat(300), weight: 6 }, { arbitrary: fc.nat(140_000), weight: 1 }), fc.nat())
    .map(([length, seed]) => [{ file: { length, seed } }]),
  pipeRoundTrips: fc.tuple(fc.nat(40)),
};

/** An invalid value for the argument `i` of `kernel`, given its other arguments. */
function badArgument(kernel, i, args) {
  const [name, spec] = KERNELS[kernel][i];
  switch (spec.type) {
    case 'number':
      return badNumber(spec);
    case 'Uint8Array':
      return badTypedArray('Uint8Array');
    case 'Float64Array':
      return badTypedArray('Float64Array', args[2] * args[2]);
    case 'path':
      return fc.oneof(
        anyValue,
        anyString.map((s) => ({ relative: s })),
        fc.constantFrom('', '\0', 'a\0b', '.', '..', '/', '/nowhere/at/all'),
      );
    case 'image': {
      const field = (f, spec) => badNumber(spec).map((v) => ({ ...args[0], [f]: v }));
      const side = integer(1, 65536, { cheap: (v) => v <= 64 });
      return fc.oneof(anyValue, field('width', side), field('height', side), field('maxIter', integer(1, 2 ** 32 - 1)));
    }
  }
  throw new Error(`no bad values for ${name}`);
}

/**
 * How often a case is valid, against 1 for invalid. A valid pipeRoundTrips costs the JS
 * backend a child process (mkfifo) per call: there, most cases are invalid ones.
 */
const VALID_WEIGHT = { pipeRoundTrips: 1 };

/** One case: `{ valid, args }`. */
function caseArbitrary(kernel) {
  const valid = VALID[kernel].map((args) => ({ valid: true, args }));
  const invalid = VALID[kernel].chain((args) =>
    fc.nat(KERNELS[kernel].length - 1).chain((i) =>
      badArgument(kernel, i, args).map((bad) => {
        const copy = [...args];
        copy[i] = bad;
        return { valid: false, args: copy };
      }),
    ),
  );
  return fc.oneof(
    { arbitrary: valid, weight: VALID_WEIGHT[kernel] ?? 3 },
    { arbitrary: invalid, weight: kernel === 'pipeRoundTrips' ? 10 : 1 },
  );
}

/** The cases of one batch: the same in every process for the same kernel, seed and batch. */
function casesOf(kernel, seed, batch) {
  const kernelSalt = Object.keys(VALID).indexOf(kernel) * 7919;
  return fc.sample(caseArbitrary(kernel), { seed: (seed + kernelSalt + batch * 104_729) | 0, numRuns: BATCH });
}

/**
 * `readFile`'s arguments stand for files to write first, in the working folder, so that the
 * paths in error messages are the same in every process: `{ file }` is written as
 * `case-<index>`, `{ relative }` is a path.
 */
function materialize(kernel, args, index) {
  if (kernel !== 'readFile') return args;
  const [arg] = args;
  if (arg && typeof arg === 'object' && 'file' in arg) {
    fs.writeFileSync(`case-${index}`, bytesOf(arg.file.length, arg.file.seed));
    return [`case-${index}`];
  }
  if (arg && typeof arg === 'object' && 'relative' in arg) return [arg.relative];
  return args;
}

// ── Outcomes ──────────────────────────────────────────────────────────────────────────

/** Whether an error is one that bad input may give: a TypeError or RangeError with Node's code for it, or an OS error of readFile. */
function isArgumentError(kernel, error) {
  return (
    (error.class === 'TypeError' && error.code === 'ERR_INVALID_ARG_TYPE') ||
    (error.class === 'RangeError' && error.code === 'ERR_OUT_OF_RANGE') ||
    (kernel === 'readFile' && error.class === 'Error' && typeof error.syscall === 'string')
  );
}

/** An error with everything a caller may read of it: class, code, message, and a system error's fields. */
function encodeError(error) {
  if (!(error instanceof Error)) return { thrown: String(error) };
  const { code, errno, syscall, path: p } = error;
  return { class: error.constructor.name, code, message: error.message, errno, syscall, path: p };
}

function digest(outcome) {
  return crypto.createHash('sha1').update(JSON.stringify(outcome)).digest('base64').slice(0, 16);
}

/** Runs one case in the sync form, then in the async form (with an options object, so that no argument is taken for one). */
async function runCase(gil, kernel, args) {
  let sync;
  try {
    sync = { value: encode(gil.kernels[`${kernel}Sync`](...args)) };
  } catch (error) {
    sync = { error: encodeError(error) };
  }
  const async = await gil.kernels[kernel](...args, {}).then(
    (value) => ({ value: encode(value) }),
    (error) => ({ error: encodeError(error) }),
  );
  return { sync, async };
}

/**
 * Runs the cases of `kernels` (names) batch after batch for `budgetMs` in all, shared
 * equally; at least `minBatches` and at most `maxBatches` batches per kernel. Returns, per
 * kernel: how many batches ran and in how long, and how many cases were refused; the digest
 * of each case's outcome; the cases whose sync and async forms disagreed, the valid ones
 * refused, and those refused with an error that is no argument's; and the products of
 * matmul, which the backends compute in different orders.
 */
async function runProperties(gil, { seed, budgetMs, minBatches = 1, maxBatches = 400, kernels = Object.keys(VALID) }) {
  const report = {};
  for (const kernel of kernels) {
    const started = performance.now();
    const entry = (report[kernel] = {
      batches: 0,
      ms: 0,
      refused: 0,
      digests: [],
      formsDisagree: [],
      validRefused: [],
      otherErrors: [],
      products: {},
    });
    while (
      entry.batches < maxBatches &&
      (entry.batches < minBatches || performance.now() - started < budgetMs / kernels.length)
    ) {
      const cases = casesOf(kernel, seed, entry.batches);
      for (let i = 0; i < cases.length; i++) {
        const index = entry.batches * BATCH + i;
        const { sync, async } = await runCase(gil, kernel, materialize(kernel, cases[i].args, i));
        if (digest(sync) !== digest(async)) entry.formsDisagree.push({ index, sync, async });
        if (sync.error) entry.refused++;
        if (sync.error && cases[i].valid) entry.validRefused.push({ index, error: sync.error });
        if (sync.error && !isArgumentError(kernel, sync.error)) entry.otherErrors.push({ index, error: sync.error });
        if (kernel === 'matmul' && sync.value) {
          entry.products[index] = Array.from(
            new Float64Array(new Uint8Array(Buffer.from(sync.value.bytes, 'hex')).buffer),
          );
          entry.digests.push('a product');
        } else {
          entry.digests.push(digest(sync));
        }
      }
      entry.batches++;
    }
    entry.ms = Math.round(performance.now() - started);
  }
  return report;
}

module.exports = { BATCH, casesOf, runProperties, VALID };
