// The bad-input catalogue: every public function and option of gil-lab, called with values
// of every kind — wrong types, NaN, ±Infinity, negatives, fractions, 2⁵³, sizes past the
// limits, typed arrays of the wrong kind or length, shared, resizable and detached buffers,
// unknown names, bad modes. `runCatalogue(gil)` runs every case in this process and reports
// what each did; `__test__/bad-input.test.js` runs it once per backend, in a child process
// each, and compares the two.
//
// Each case says what it expects, from the argument's contract in the README, not from the
// code under test: `ok` for a valid value, else the class of the error — a TypeError when the
// value is of the wrong type, a RangeError when it is of the right type but out of range —
// and the argument whose name the message must start with.
'use strict';
const vm = require('node:vm');

/** How long an async case may take before it counts as hung. */
const HANG_MS = 10_000;

// ── Contracts ──────────────────────────────────────────────────────────────────────────

/**
 * A number argument's contract: `valid(v)` whether a number is in range; `cheap(v)` whether a
 * valid value is quick enough to run (`countdown(2⁵³−1)` is valid, and would run for days);
 * `optional`: `undefined` is valid too.
 */
const integer = (min, max, { cheap = (v) => v <= 1000, optional = false, mismatch } = {}) => ({
  type: 'number',
  min,
  max,
  cheap,
  optional,
  mismatch,
  valid: (v) => Number.isInteger(v) && v >= min && v <= max,
});
const numberIn = (min, max, { cheap = (v) => v <= 5 } = {}) => ({
  type: 'number',
  min,
  max,
  cheap,
  optional: false,
  valid: (v) => v >= min && v <= max,
});

/** The kernels' arguments in order: [name, contract, a cheap valid value (or a maker of one)]. */
const KERNELS = {
  countPrimes: [['limit', integer(0, 2 ** 31 - 1), 10]],
  countdown: [['n', integer(0, 2 ** 53 - 1), 10]],
  mandelbrot: [['options', { type: 'image' }, () => ({ width: 3, height: 2, maxIter: 5 })]],
  matmul: [
    ['a', { type: 'Float64Array', length: 4 }, () => Float64Array.of(1, 2, 3, 4)],
    ['b', { type: 'Float64Array', length: 4 }, () => Float64Array.of(0.5, -1, 2, 0.25)],
    // Any other n in range asks for other lengths of `a` and `b`.
    ['n', integer(1, 4096, { cheap: () => true, mismatch: { unless: (v) => v === 2, argument: 'a' } }), 2],
  ],
  monteCarloPi: [
    ['samples', integer(1, 2 ** 53 - 1), 100],
    ['seed', integer(0, 2 ** 32 - 1, { cheap: () => true }), 7],
  ],
  sha256: [
    ['data', { type: 'Uint8Array' }, () => Uint8Array.of(97, 98, 99)],
    ['rounds', integer(1, 2 ** 32 - 1, { optional: true }), 2],
  ],
  nbody: [['steps', integer(0, 2 ** 31 - 1), 3]],
  spectralNorm: [['n', integer(1, 1_000_000, { cheap: (v) => v <= 100 }), 3]],
  fannkuch: [['n', integer(1, 12, { cheap: (v) => v <= 7 }), 5]],
  sleep: [['ms', numberIn(0, 2 ** 31 - 1), 0]],
  readFile: [['path', { type: 'path' }, __filename]],
  pipeRoundTrips: [['count', integer(0, 2 ** 31 - 1, { cheap: (v) => v <= 100 }), 3]],
};

// ── Values ─────────────────────────────────────────────────────────────────────────────

/** Values of every JS type, and numbers at every edge: [label, value]. */
const GENERIC = [
  ['undefined', undefined],
  ['null', null],
  ['true', true],
  ['""', ''],
  ['"7"', '7'],
  ['"seven"', 'seven'],
  ['{}', {}],
  ['[]', []],
  ['[7]', [7]],
  ['7n', 7n],
  ['a symbol', Symbol('seven')],
  ['a function', function seven() {}],
  ['new Number(7)', new Number(7)],
  ['a Date', new Date(7)],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-1', -1],
  ['-0', -0],
  ['0', 0],
  ['1', 1],
  ['2', 2],
  ['0.5', 0.5],
  ['1.5', 1.5],
  ['-0.5', -0.5],
  ['1e-7', 1e-7],
  ['Number.MIN_VALUE', Number.MIN_VALUE],
  ['2**31', 2 ** 31],
  ['2**32', 2 ** 32],
  ['2**53', 2 ** 53],
  ['2**53 + 2', 2 ** 53 + 2],
  ['-(2**53)', -(2 ** 53)],
  ['1e21', 1e21],
  ['Number.MAX_VALUE', Number.MAX_VALUE],
];

const isObject = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';
/** What an options object may be: any object but an array (a `new Number(7)` has no options, and is one). */
const isOptionsLike = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A value of a case: [label, make (a fresh value per call), expected, argument named, slow].
 * `argument` defaults to the argument's own name; `slow` marks valid values not to run.
 */
function numberValues(name, spec) {
  const { min, max } = spec;
  const edges = [
    [`min ${min}`, min],
    ['min - 1', min - 1],
    ['min + 0.5', min + 0.5],
    ['max + 1', max + 1],
    ['max + 0.5', max + 0.5],
    [`max ${max}`, max],
  ];
  return [...GENERIC, ...edges].map(([label, value]) => {
    const expected =
      value === undefined && spec.optional
        ? 'ok'
        : typeof value !== 'number'
          ? 'TypeError'
          : spec.valid(value)
            ? 'ok'
            : 'RangeError';
    if (expected === 'ok' && spec.mismatch && !spec.mismatch.unless(value))
      return [label, () => value, 'RangeError', spec.mismatch.argument];
    return [label, () => value, expected, name, expected === 'ok' && value !== undefined && !spec.cheap(value)];
  });
}

/** One of `values`, as [label, make, expected, name] rows: the enumerated strings of an option. */
function enumValues(name, allowed, { optional = true } = {}) {
  return [
    ...GENERIC.map(([label, value]) => [
      label,
      () => value,
      value === undefined && optional ? 'ok' : typeof value === 'string' ? 'RangeError' : 'TypeError',
      name,
    ]),
    ...allowed.map((value) => [`"${value}"`, () => value, 'ok', name]),
    ...allowed.flatMap((value) => [
      [
        `"${value.toUpperCase()}"`,
        () => value.toUpperCase(),
        value === value.toUpperCase() ? 'ok' : 'RangeError',
        name,
      ],
      [`" ${value}"`, () => ` ${value}`, 'RangeError', name],
    ]),
    ['"gpu"', () => 'gpu', 'RangeError', name],
  ];
}

function booleanValues(name) {
  return [
    ...GENERIC.filter(([, v]) => typeof v !== 'boolean').map(([label, value]) => [
      label,
      () => value,
      value === undefined ? 'ok' : 'TypeError',
      name,
    ]),
    ['true', () => true, 'ok', name],
    ['false', () => false, 'ok', name],
  ];
}

function detached(Class, length) {
  const view = new Class(length);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

/** A view of a resizable buffer that has since shrunk: attached, and out of bounds. */
function outOfBounds(Class, length) {
  const bytes = length * Class.BYTES_PER_ELEMENT;
  const buffer = new ArrayBuffer(bytes, { maxByteLength: 2 * bytes });
  const view = new Class(buffer, 0, length);
  buffer.resize(0);
  return view;
}

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

/** Values for a typed-array argument of class `kind`; `length`: the one its other arguments ask for. */
function typedValues(name, kind, length) {
  const Class = globalThis[kind];
  const n = length ?? 3;
  const fill = (view) => view.map((_, i) => i + 1);
  const sized = length === undefined ? 'ok' : 'RangeError';
  return [
    ...GENERIC.map(([label, value]) => [label, () => value, 'TypeError']),
    ['[1, 2, 3, 4]', () => [1, 2, 3, 4], 'TypeError'],
    ['an array-like object', () => ({ length: n, 0: 1 }), 'TypeError'],
    ...TYPED_ARRAYS.filter((other) => other !== kind).map((other) => [
      `a ${other}`,
      () => new globalThis[other](n),
      'TypeError',
    ]),
    ['a DataView', () => new DataView(new ArrayBuffer(8 * n)), 'TypeError'],
    ['an ArrayBuffer', () => new ArrayBuffer(8 * n), 'TypeError'],
    ['a SharedArrayBuffer', () => new SharedArrayBuffer(8 * n), 'TypeError'],
    ['a Proxy of one', () => new Proxy(fill(new Class(n)), {}), 'TypeError'],
    ['an object of its prototype', () => Object.create(Class.prototype), 'TypeError'],
    ['detached', () => detached(Class, n), 'TypeError'],
    ['detached, from length 0', () => detached(Class, 0), 'TypeError'],
    ['length - 1', () => fill(new Class(n - 1)), sized],
    ['length + 1', () => fill(new Class(n + 1)), sized],
    ['length 0', () => new Class(0), sized],
    ['valid', () => fill(new Class(n)), 'ok'],
    ['in a SharedArrayBuffer', () => fill(new Class(new SharedArrayBuffer(n * Class.BYTES_PER_ELEMENT))), 'ok'],
    ['at an offset in its buffer', () => fill(new Class(n + 2)).subarray(1, n + 1), 'ok'],
    [
      'length-tracking, in a resizable buffer',
      () => fill(new Class(new ArrayBuffer(n * Class.BYTES_PER_ELEMENT, { maxByteLength: 64 * n }))),
      'ok',
    ],
    ['out of bounds of a shrunk resizable buffer', () => outOfBounds(Class, n), sized],
    ['from another realm', () => fill(vm.runInNewContext(`new ${kind}(${n})`)), 'ok'],
    ...(kind === 'Uint8Array' ? [['a Buffer', () => Buffer.from([1, 2, 3]), 'ok']] : []),
  ].map(([label, make, expected]) => [label, make, expected, name]);
}

function pathValues(name) {
  return [
    ...GENERIC.filter(([, v]) => typeof v !== 'string').map(([label, value]) => [label, () => value, 'TypeError']),
    ['a Buffer', () => Buffer.from(__filename), 'TypeError'],
    ['a URL', () => new URL(`file://${__filename}`), 'TypeError'],
    ['""', () => '', 'RangeError'],
    ['a NUL inside', () => `${__filename}\0.txt`, 'RangeError'],
    ['a NUL alone', () => '\0', 'RangeError'],
    ['a valid file', () => __filename, 'ok'],
    ['no such file, named with a lone surrogate', () => `${__filename}\ud800`, 'Error'],
  ].map(([label, make, expected]) => [label, make, expected, name]);
}

function imageValues() {
  const image = (field, value) => ({ width: 3, height: 2, maxIter: 5, [field]: value });
  const rows = [
    ...GENERIC.filter(([, v]) => !isObject(v) || typeof v === 'function').map(([label, value]) => [
      label,
      () => value,
      'TypeError',
      'options',
    ]),
    ['{}', () => ({}), 'TypeError', 'options.width'],
    ['[]', () => [], 'TypeError', 'options.width'],
    [
      'width * height 2**26 + 1',
      () => ({ width: 65536, height: 1025, maxIter: 1 }),
      'RangeError',
      'options.width * options.height',
    ],
    [
      'width * height 65536 ** 2',
      () => ({ width: 65536, height: 65536, maxIter: 1 }),
      'RangeError',
      'options.width * options.height',
    ],
    [
      'a getter for each field',
      () => ({
        get width() {
          return 2;
        },
        get height() {
          return 2;
        },
        get maxIter() {
          return 2;
        },
      }),
      'ok',
      'options',
    ],
    ['fields on its prototype', () => Object.create({ width: 2, height: 2, maxIter: 2 }), 'ok', 'options'],
    ['a Proxy', () => new Proxy({}, { get: (_, key) => ({ width: 2, height: 1, maxIter: 3 })[key] }), 'ok', 'options'],
    [
      'a getter that throws',
      () => ({
        get width() {
          throw new Error('a getter that throws');
        },
      }),
      'Error',
      'options',
    ],
  ];
  for (const field of ['width', 'height', 'maxIter']) {
    const spec = integer(1, field === 'maxIter' ? 2 ** 32 - 1 : 65536, {
      cheap: (v) => (field === 'maxIter' ? v <= 1000 : v <= 64),
    });
    for (const [label, make, expected, name, slow] of numberValues(`options.${field}`, spec)) {
      rows.push([`${field} ${label}`, () => image(field, make()), expected, name, slow]);
    }
  }
  return rows;
}

function valuesFor(name, spec) {
  switch (spec.type) {
    case 'number':
      return numberValues(name, spec);
    case 'Uint8Array':
    case 'Float64Array':
      return typedValues(name, spec.type, spec.length);
    case 'path':
      return pathValues(name);
    case 'image':
      return imageValues();
  }
  throw new Error(`no values for ${spec.type}`);
}

function validArgs(kernel) {
  return KERNELS[kernel].map(([, , value]) => (typeof value === 'function' ? value() : value));
}

/** Values for a call's options object, after a kernel's fixed arguments: [label, make, expected, name]. */
function callOptionValues() {
  return [
    ['null', () => null, 'TypeError', 'options'],
    ['5', () => 5, 'TypeError', 'options'],
    ['"x"', () => 'x', 'TypeError', 'options'],
    ['[]', () => [], 'TypeError', 'options'],
    ['a function', () => () => {}, 'TypeError', 'options'],
    ['{ signal: "x" }', () => ({ signal: 'x' }), 'TypeError', 'options.signal'],
    ['{ signal: null }', () => ({ signal: null }), 'TypeError', 'options.signal'],
    [
      '{ signal: { aborted: false } }',
      () => ({ signal: { aborted: false, addEventListener() {} } }),
      'TypeError',
      'options.signal',
    ],
    ['{ signal: an EventTarget }', () => ({ signal: new EventTarget() }), 'TypeError', 'options.signal'],
    ['{ signal: an AbortController }', () => ({ signal: new AbortController() }), 'TypeError', 'options.signal'],
    ['undefined', () => undefined, 'ok', 'options'],
    ['{}', () => ({}), 'ok', 'options'],
    ['{ unknown: 1 }', () => ({ unknown: 1 }), 'ok', 'options'],
    ['{ signal: undefined }', () => ({ signal: undefined }), 'ok', 'options'],
    ['{ signal } not aborted', () => ({ signal: new AbortController().signal }), 'ok', 'options'],
    ['{ signal } aborted', () => ({ signal: AbortSignal.abort() }), 'AbortError', 'options'],
    [
      '{ signal } aborted with a reason',
      () => ({ signal: AbortSignal.abort(new Error('why')) }),
      'AbortError',
      'options',
    ],
  ];
}

const KERNEL_NAME_VALUES = (name) => [
  ...GENERIC.filter(([, v]) => typeof v !== 'string').map(([label, value]) => [label, () => value, 'TypeError', name]),
  ...[
    '',
    'nope',
    'countPrimesSync',
    'CountPrimes',
    ' countPrimes',
    'countPrimes\0',
    '__faultForTesting',
    '__panicForTesting',
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ].map((kernel) => [JSON.stringify(kernel), () => kernel, 'RangeError', name]),
];

// ── Cases ──────────────────────────────────────────────────────────────────────────────

/**
 * Every case: `{ api, argument, label, expected, form, run }`. `api` groups the cases of one
 * function and argument; `form`: `sync` for a function that throws, `async` for one that must
 * reject and never throw; `run` makes the call and returns what it returns.
 */
function cases(gil, pools, opened = []) {
  const out = [];
  const add = (api, form, rows, call) => {
    for (const [label, make, expected, argument, slow] of rows) {
      if (!slow) out.push({ api, form, argument, label, expected, run: () => call(make()) });
    }
  };
  const objectOptions = (name) =>
    GENERIC.map(([label, value]) => [
      label,
      () => value,
      value === undefined || isOptionsLike(value) ? 'ok' : 'TypeError',
      name,
    ]);
  const withArg = (kernel, i, value) => {
    const args = validArgs(kernel);
    args[i] = value;
    return args;
  };

  // Each kernel's arguments: the sync form, the async form, and each pool's submit.
  for (const [kernel, params] of Object.entries(KERNELS)) {
    params.forEach(([name, spec], i) => {
      const rows = valuesFor(name, spec);
      add(`kernels.${kernel}Sync(${name})`, 'sync', rows, (v) =>
        gil.kernels[`${kernel}Sync`](...withArg(kernel, i, v)),
      );
      add(`kernels.${kernel}(${name})`, 'async', rows, (v) => gil.kernels[kernel](...withArg(kernel, i, v), {}));
      for (const [poolName, pool] of Object.entries(pools)) {
        add(`${poolName}.submit('${kernel}', ${name})`, 'async', rows, (v) =>
          pool.submit(kernel, ...withArg(kernel, i, v), {}),
        );
      }
    });
  }

  // The options that follow a kernel's arguments, with a kernel of each shape.
  for (const kernel of ['countPrimes', 'monteCarloPi', 'sha256']) {
    add(`kernels.${kernel}(..., options)`, 'async', callOptionValues(), (o) =>
      gil.kernels[kernel](...validArgs(kernel), o),
    );
    for (const [poolName, pool] of Object.entries(pools)) {
      add(`${poolName}.submit('${kernel}', ..., options)`, 'async', callOptionValues(), (o) =>
        pool.submit(kernel, ...validArgs(kernel), o),
      );
    }
  }
  // An optional argument left off: the options object may take its place.
  // An array or a function there is no options object: it is taken for `rounds`.
  add(
    `kernels.sha256(data, options)`,
    'async',
    callOptionValues()
      .filter(([, make]) => isObject(make()))
      .map(([label, make, expected, name]) =>
        isOptionsLike(make()) ? [label, make, expected, name] : [label, make, 'TypeError', 'rounds'],
      ),
    (o) => gil.kernels.sha256(Uint8Array.of(1), o),
  );

  // kernelsFor
  add(
    'kernelsFor(backend)',
    'sync',
    enumValues('backend', ['native', 'js'], { optional: false }),
    (b) => Object.keys(gil.kernelsFor(b)).length,
  );

  // The pools: constructor options, submit's kernel name, map, shutdown.
  const poolClasses = {
    ProcessPool: gil.ProcessPool,
    ThreadPool: gil.ThreadPool,
    InterpreterPool: gil.InterpreterPool,
    EventLoopExecutor: gil.EventLoopExecutor,
  };
  for (const [className, Pool] of Object.entries(poolClasses)) {
    const open = (options) => new Pool(options).shutdown();
    // A pool for the refused shutdown options (they change nothing); a fresh one for each valid set.
    let probe;
    const probePool = () => {
      if (probe === undefined) opened.push((probe = new Pool({ maxWorkers: 1 })));
      return probe;
    };
    const shutdownRows = (rows) =>
      rows.map(([label, make, expected, name]) => [label, () => [make(), expected], expected, name]);
    const shutdown = ([options, expected]) =>
      (expected === 'ok' ? new Pool({ maxWorkers: 1 }) : probePool()).shutdown(options);
    add(
      `new ${className}(options)`,
      'sync',
      [
        ...GENERIC.map(([label, value]) => [
          label,
          () => value,
          value === undefined || isOptionsLike(value) ? 'ok' : 'TypeError',
          'options',
        ]),
      ],
      open,
    );
    // A JS ThreadPool starts all its threads at once: 256 of them take seconds, and gigabytes.
    add(
      `new ${className}({ maxWorkers })`,
      'sync',
      numberValues('options.maxWorkers', integer(1, 256, { optional: true, cheap: (v) => v <= 4 })),
      (w) => open({ maxWorkers: w }),
    );
    add(`new ${className}({ backend })`, 'sync', enumValues('options.backend', ['native', 'js', 'auto']), (b) =>
      open({ backend: b }),
    );
    add(`new ${className}().shutdown(options)`, 'async', shutdownRows(objectOptions('options')), ([o, e]) =>
      shutdown([o, e]),
    );
    add(`new ${className}().shutdown({ wait })`, 'async', shutdownRows(booleanValues('options.wait')), ([w, e]) =>
      shutdown([{ wait: w }, e]),
    );
    add(
      `new ${className}().shutdown({ cancelFutures })`,
      'async',
      shutdownRows(booleanValues('options.cancelFutures')),
      ([c, e]) => shutdown([{ cancelFutures: c }, e]),
    );
  }
  // How many interpreters 4 threads are spread over: 1 to 4.
  add(
    'new InterpreterPool({ maxWorkers: 4, interpreters })',
    'sync',
    numberValues('options.interpreters', integer(1, 4, { optional: true })),
    (n) => new gil.InterpreterPool({ maxWorkers: 4, interpreters: n }).shutdown(),
  );
  for (const [poolName, pool] of Object.entries(pools)) {
    add(`${poolName}.submit(kernel)`, 'async', KERNEL_NAME_VALUES('kernel'), (k) => pool.submit(k, 10));
    add(`${poolName}.map(kernel)`, 'async', KERNEL_NAME_VALUES('kernel'), (k) => pool.map(k, [10]));
    add(
      `${poolName}.map('countPrimes', items)`,
      'async',
      [
        ...GENERIC.filter(([, v]) => !Array.isArray(v)).map(([label, value]) => [
          label,
          () => value,
          'TypeError',
          'items',
        ]),
        ['[]', () => [], 'ok', 'items'],
        ['[1, 10, 100]', () => [1, 10, 100], 'ok', 'items'],
        ['a Set', () => new Set([1, 10]), 'ok', 'items'],
        [
          'a generator',
          () =>
            (function* () {
              yield 10;
              yield 20;
            })(),
          'ok',
          'items',
        ],
        ['{ [Symbol.iterator]: 5 }', () => ({ [Symbol.iterator]: 5 }), 'TypeError', 'items'],
        [
          'an iterator that throws',
          () => ({
            [Symbol.iterator]() {
              throw new Error('an iterator that throws');
            },
          }),
          'Error',
          'items',
        ],
        ['[1, "x"]', () => [1, 'x'], 'TypeError', 'limit'],
        ['[1, -1]', () => [1, -1], 'RangeError', 'limit'],
        ['[1, 2**31]', () => [1, 2 ** 31], 'RangeError', 'limit'],
      ],
      (items) => pool.map('countPrimes', items),
    );
    add(
      `${poolName}.map('monteCarloPi', items)`,
      'async',
      [
        ['[5]', () => [5], 'TypeError', 'items[0]'],
        ['[[1, 2], "x"]', () => [[1, 2], 'x'], 'TypeError', 'items[1]'],
        ['[[1]]', () => [[1]], 'TypeError', 'seed'],
        ['[[1, 2, {}]]', () => [[1, 2, {}]], 'ok', 'items'],
        ['[[0, 2]]', () => [[0, 2]], 'RangeError', 'samples'],
        [
          '[[10, 2], [20, 3]]',
          () => [
            [10, 2],
            [20, 3],
          ],
          'ok',
          'items',
        ],
      ],
      (items) => pool.map('monteCarloPi', items),
    );
    add(`${poolName}.map('countPrimes', [10], options)`, 'async', callOptionValues(), (o) =>
      pool.map('countPrimes', [10], o),
    );
  }

  // asCompleted and wait.
  const resolved = Promise.resolve(1);
  const futureValues = [
    ...GENERIC.filter(([, v]) => !Array.isArray(v)).map(([label, value]) => [
      label,
      () => value,
      'TypeError',
      'futures',
    ]),
    ['[]', () => [], 'ok', 'futures'],
    ['[1]', () => [1], 'TypeError', 'futures[0]'],
    ['[null]', () => [null], 'TypeError', 'futures[0]'],
    ['[{ then: 5 }]', () => [{ then: 5 }], 'TypeError', 'futures[0]'],
    ['[a promise, "x"]', () => [resolved, 'x'], 'TypeError', 'futures[1]'],
    ['[a promise, the same]', () => [resolved, resolved], 'ok', 'futures'],
    ['a Set of promises', () => new Set([resolved, Promise.reject(new Error('a failed task'))]), 'ok', 'futures'],
    ['[a thenable]', () => [{ then: (ok) => ok(2) }], 'ok', 'futures'],
    [
      'an iterator that throws',
      () => ({
        [Symbol.iterator]() {
          throw new Error('an iterator that throws');
        },
      }),
      'Error',
      'futures',
    ],
  ];
  const timeoutValues = [
    ...GENERIC.map(([label, value]) => [
      label,
      () => value,
      value === undefined
        ? 'ok'
        : typeof value !== 'number'
          ? 'TypeError'
          : value >= 0 && value <= 2 ** 31 - 1
            ? 'ok'
            : 'RangeError',
      'options.timeout',
      typeof value === 'number' && value > 100,
    ]),
    ['Infinity (no limit)', () => Infinity, 'ok', 'options.timeout'],
    ['2**31 - 1', () => 2 ** 31 - 1, 'ok', 'options.timeout'],
  ].filter(([label]) => label !== 'Infinity');
  const drain = async (iterator) => {
    let n = 0;
    for await (const future of iterator) {
      await Promise.resolve(future).catch(() => {});
      n++;
    }
    return n;
  };
  add('asCompleted(futures)', 'sync', futureValues, (f) => drain(gil.asCompleted(f)));
  add('asCompleted(futures, options)', 'sync', objectOptions('options'), (o) => drain(gil.asCompleted([resolved], o)));
  add('asCompleted(futures, { timeout })', 'sync', timeoutValues, (t) =>
    drain(gil.asCompleted([resolved], { timeout: t })),
  );
  const waited = (promise) => promise.then(({ done, notDone }) => [done.size, notDone.size]);
  add('wait(futures)', 'async', futureValues, (f) => waited(gil.wait(f)));
  add('wait(futures, options)', 'async', objectOptions('options'), (o) => waited(gil.wait([resolved], o)));
  add('wait(futures, { timeout })', 'async', timeoutValues, (t) => waited(gil.wait([resolved], { timeout: t })));
  add(
    'wait(futures, { returnWhen })',
    'async',
    enumValues('options.returnWhen', ['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED']),
    (r) => waited(gil.wait([resolved], { returnWhen: r })),
  );

  // The emulated GIL: each call that sets it is followed, in `restoreLock`, by a return to off.
  const lock = gil.gil;
  const intervalValues = (name) => numberValues(name, numberIn(0.000001, 1000, { cheap: () => true }));
  add('gil.enable(options)', 'sync', objectOptions('options'), (o) => lock.enable(o));
  add(
    'gil.enable({ mode })',
    'sync',
    enumValues('options.mode', ['cpython', 'legacy']).concat([['"off"', () => 'off', 'RangeError', 'options.mode']]),
    (mode) => lock.enable({ mode }),
  );
  add(
    'gil.enable({ switchInterval })',
    'sync',
    intervalValues('options.switchInterval').map((row) =>
      row[1]() === undefined ? [row[0], row[1], 'ok', row[3]] : row,
    ),
    (switchInterval) => lock.enable({ switchInterval }),
  );
  add('gil.setSwitchInterval(seconds)', 'sync', intervalValues('seconds'), (seconds) =>
    lock.setSwitchInterval(seconds),
  );
  add('gil.trace(options)', 'sync', objectOptions('options'), (o) => lock.trace(o).length >= 0);
  add(
    'gil.trace({ limit })',
    'sync',
    numberValues('options.limit', integer(0, 2 ** 31 - 1, { optional: true, cheap: () => true })),
    (limit) => lock.trace({ limit }).length >= 0,
  );

  // compare(): every option. An aborted signal goes with each, so that a valid matrix ends,
  // once checked, with an AbortError instead of running.
  const stopped = (expected) => (expected === 'ok' ? 'AbortError' : expected);
  const compareRows = (rows) =>
    rows.map(([label, make, expected, name, slow]) => [label, make, stopped(expected), name, slow]);
  const listValues = (name, items) => [
    ...GENERIC.filter(([, v]) => !Array.isArray(v)).map(([label, value]) => [
      label,
      () => value,
      value === undefined ? 'ok' : 'TypeError',
      name,
    ]),
    ['[]', () => [], 'RangeError', name],
    ...items,
  ];
  const compareWith = (options) =>
    gil.compare({ ...options, signal: options.signal === undefined ? AbortSignal.abort() : options.signal });
  // (A valid options object would run the default matrix: those are left to the rows below.)
  add(
    'compare(options)',
    'async',
    objectOptions('options').filter(([, , expected]) => expected !== 'ok'),
    (o) => gil.compare(o),
  );
  const compareOptions = {
    workload: enumValues('options.workload', ['cpu', 'io', 'latency', 'transfer']),
    kernel: enumValues('options.kernel', ['countdown', 'countPrimes']).concat([
      ['"sleep"', () => 'sleep', 'RangeError', 'options.kernel'],
    ]),
    size: numberValues('options.size', integer(1, 2 ** 53 - 1, { optional: true, cheap: () => true })),
    tasks: numberValues('options.tasks', integer(1, 10_000, { optional: true, cheap: () => true })),
    repeats: numberValues('options.repeats', integer(1, 1000, { optional: true, cheap: () => true })),
    mode: enumValues('options.mode', ['cpython', 'legacy']),
    trace: booleanValues('options.trace'),
    workers: listValues('options.workers', [
      ['[0]', () => [0], 'RangeError', 'options.workers[0]'],
      ['[1, "2"]', () => [1, '2'], 'TypeError', 'options.workers[1]'],
      ['[1, 1]', () => [1, 1], 'RangeError', 'options.workers'],
      ['[257]', () => [257], 'RangeError', 'options.workers[0]'],
      ['[1.5]', () => [1.5], 'RangeError', 'options.workers[0]'],
      ['[NaN]', () => [NaN], 'RangeError', 'options.workers[0]'],
      ['[1, 256]', () => [1, 256], 'ok', 'options.workers'],
    ]),
    models: listValues('options.models', [
      ['["threads", "gpu"]', () => ['threads', 'gpu'], 'RangeError', 'options.models[1]'],
      ['[5]', () => [5], 'TypeError', 'options.models[0]'],
      ['["async", "async"]', () => ['async', 'async'], 'RangeError', 'options.models'],
      ['all four', () => ['sequential', 'threads', 'processes', 'async'], 'ok', 'options.models'],
    ]),
    gil: listValues('options.gil', [
      ['["maybe"]', () => ['maybe'], 'RangeError', 'options.gil[0]'],
      ['[true]', () => [true], 'TypeError', 'options.gil[0]'],
      ['["off"]', () => ['off'], 'ok', 'options.gil'],
    ]),
    switchIntervals: listValues('options.switchIntervals', [
      ...[0, -1, 2, NaN, Infinity, -0].map((s) => [`[${s}]`, () => [s], 'RangeError', 'options.switchIntervals[0]']),
      ['["0.005"]', () => ['0.005'], 'TypeError', 'options.switchIntervals[0]'],
      ['[0.005, 0.005]', () => [0.005, 0.005], 'RangeError', 'options.switchIntervals'],
      ['[1e-6, 1]', () => [1e-6, 1], 'ok', 'options.switchIntervals'],
    ]),
    backends: listValues('options.backends', [
      ['["gpu"]', () => ['gpu'], 'RangeError', 'options.backends[0]'],
      ['["js", "js"]', () => ['js', 'js'], 'RangeError', 'options.backends'],
      ['["js"]', () => ['js'], 'ok', 'options.backends'],
    ]),
    onProgress: GENERIC.map(([label, value]) => [
      label,
      () => value,
      value === undefined || typeof value === 'function' ? 'ok' : 'TypeError',
      'options.onProgress',
    ]),
    signal: GENERIC.filter(([, v]) => v !== undefined).map(([label, value]) => [
      label,
      () => value,
      'TypeError',
      'options.signal',
    ]),
  };
  for (const [option, rows] of Object.entries(compareOptions)) {
    add(`compare({ ${option} })`, 'async', compareRows(rows), (v) => compareWith({ [option]: v }));
  }
  add(
    'compare({ workload, size })',
    'async',
    compareRows([
      ['io, 60001 ms', () => ({ workload: 'io', size: 60_001 }), 'RangeError', 'options.size'],
      ['latency, 1000001 round trips', () => ({ workload: 'latency', size: 1_000_001 }), 'RangeError', 'options.size'],
      ['transfer, 257 MiB', () => ({ workload: 'transfer', size: 257 }), 'RangeError', 'options.size'],
      [
        'transfer, 9 × 256 MiB',
        () => ({ workload: 'transfer', size: 256, tasks: 9 }),
        'RangeError',
        'options.tasks × options.size',
      ],
      ['transfer, 8 × 256 MiB', () => ({ workload: 'transfer', size: 256, tasks: 8 }), 'ok', 'options'],
    ]),
    (o) => compareWith(o),
  );
  return out;
}

// ── Running ────────────────────────────────────────────────────────────────────────────

const CLASSES = ['TypeError', 'RangeError', 'AbortError', 'Error'];

/** What a thrown value was, in JSON. */
function describeError(error) {
  if (!(error instanceof Error)) return { class: 'not an Error', message: String(error) };
  const name = CLASSES.includes(error.constructor.name) ? error.constructor.name : error.name;
  return { class: name, code: error.code, message: error.message };
}

/** A result, in JSON: typed arrays as their class and elements, numbers as their shortest form. */
function describeValue(value) {
  if (ArrayBuffer.isView(value)) return { class: value.constructor.name, data: Array.from(value, String) };
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined || value === null || typeof value !== 'object') return value ?? null;
  return JSON.parse(
    JSON.stringify(value, (_, v) => (typeof v === 'number' ? String(v) : ArrayBuffer.isView(v) ? describeValue(v) : v)),
  );
}

/** Races `promise` against the hang limit. */
function settle(promise) {
  let timer;
  const hang = new Promise((resolve) => (timer = setTimeout(() => resolve({ how: 'hung' }), HANG_MS)));
  const settled = Promise.resolve(promise).then(
    (value) => ({ how: 'resolved', value: describeValue(value) }),
    (error) => ({ how: 'rejected', error: describeError(error) }),
  );
  return Promise.race([settled, hang]).finally(() => clearTimeout(timer));
}

/** The lock as a process starts: off, 5 ms. */
function restoreLock(lock) {
  lock.disable();
  lock.setSwitchInterval(0.005);
}

/**
 * Runs every case, one at a time, and returns `{ results, unhandled, warnings, pidsLeft }`:
 * each case with what it did (`threw`, `returned`, `rejected`, `resolved`, or `hung`), the
 * rejections that no one handled and the process warnings meanwhile, and the children that
 * outlived the pools.
 */
async function runCatalogue(gil) {
  const unhandled = [];
  const warnings = [];
  const onUnhandled = (reason) => unhandled.push(describeError(reason));
  const onWarning = (warning) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('unhandledRejection', onUnhandled);
  process.on('warning', onWarning);
  const pools = {
    ProcessPool: new gil.ProcessPool({ maxWorkers: 1 }),
    ThreadPool: new gil.ThreadPool({ maxWorkers: 2 }),
    InterpreterPool: new gil.InterpreterPool({ maxWorkers: 2 }),
    EventLoopExecutor: new gil.EventLoopExecutor({ maxWorkers: 2 }),
  };
  const opened = []; // pools that cases open and leave open
  const results = [];
  try {
    for (const c of cases(gil, pools, opened)) {
      let outcome;
      try {
        const value = c.run();
        outcome =
          value && typeof value.then === 'function'
            ? await settle(value)
            : { how: 'returned', value: describeValue(value) };
      } catch (error) {
        outcome = { how: 'threw', error: describeError(error) };
      }
      if (c.api.startsWith('gil.')) restoreLock(gil.gil);
      const { run, ...rest } = c;
      void run;
      results.push({ ...rest, ...outcome });
    }
  } finally {
    await Promise.all([...Object.values(pools), ...opened].map((pool) => pool.shutdown({ cancelFutures: true })));
    await new Promise((resolve) => setTimeout(resolve, 50)); // a late rejection shows now
    process.off('unhandledRejection', onUnhandled);
    process.off('warning', onWarning);
  }
  return { results, unhandled, warnings, pidsLeft: pools.ProcessPool.pids };
}

module.exports = { runCatalogue, HANG_MS, KERNELS, integer };
