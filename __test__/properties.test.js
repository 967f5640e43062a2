'use strict';
// Property-based parity (support/properties.js): random arguments for every kernel, valid
// and invalid, run in one child process per backend at once, batch after batch for a time
// budget; both must give the same outcome for every case — the same bits, the same error
// class, code and message — but matmul's products, which must agree to the README's 1e-12
// relative to Σₖ |a_ik · b_kj|. Within each backend the sync and async forms must agree, no
// valid case may be refused, and no invalid one refused with an error that is no argument's.
//
// Each jest pass draws its own cases (seed GIL_LAB_PROPERTY_SEED, default below, plus 1 for
// the JS pass). A failure names its kernel, seed, batch and index, and its arguments; replay
// it with `require('./__test__/support/properties').casesOf(kernel, seed, batch)[index]`.
// GIL_LAB_PROPERTY_BUDGET_MS sets the time each child gets (default 12 s, 1 s per kernel).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { inBackend, inBackendAsync, backend } = require('./support/backends');
const { BATCH, casesOf, VALID } = require('./support/properties');

const SEED = Number(process.env.GIL_LAB_PROPERTY_SEED ?? 0x9e1ab) + (backend === 'js' ? 1 : 0);
const BUDGET_MS = Number(process.env.GIL_LAB_PROPERTY_BUDGET_MS ?? 12_000);
/** Cases per kernel that each child runs whatever its budget: enough to mean something on a slow machine. */
const MIN_BATCHES = 4;
const KERNELS = Object.keys(VALID);
const PROPERTIES = path.join(__dirname, 'support', 'properties.js');

const nativeAvailable = inBackend('auto', 'return gil.info().backend').ok === 'native';
const backends = nativeAvailable ? ['native', 'js'] : ['js'];
const reports = {};
const folders = [];

beforeAll(
  async () => {
    const body = `return require(${JSON.stringify(PROPERTIES)}).runProperties(gil, ${JSON.stringify({ seed: SEED, budgetMs: BUDGET_MS, minBatches: MIN_BATCHES })})`;
    await Promise.all(
      backends.map(async (name) => {
        // A working folder per child: readFile's cases write their files there, under the same relative names.
        const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `gil-lab-properties-${name}-`));
        folders.push(cwd);
        const answer = await inBackendAsync(name, body, { cwd, timeout: 4 * BUDGET_MS + 60_000 });
        if (answer.error)
          throw Object.assign(new Error(`the ${name} child failed: ${answer.error.message}`), answer.error);
        reports[name] = answer.ok;
      }),
    );
  },
  5 * BUDGET_MS + 60_000,
);

afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  const counts = KERNELS.map((k) => `${k} ${Math.min(...backends.map((b) => reports[b]?.[k]?.digests.length ?? 0))}`);
  console.log(
    `property parity (${backend} pass, seed ${SEED}, ${BUDGET_MS} ms a child): cases compared per kernel: ${counts.join(', ')}`,
  );
});

const batches = new Map();
/** Case `index` of `kernel`, as the children drew it. */
function caseAt(kernel, index) {
  const key = `${kernel} ${Math.floor(index / BATCH)}`;
  if (!batches.has(key)) batches.set(key, casesOf(kernel, SEED, Math.floor(index / BATCH)));
  return batches.get(key)[index % BATCH];
}

/** A case's arguments and how to replay it, for a failure's message. */
function replay(kernel, index) {
  const batch = Math.floor(index / BATCH);
  const { valid, args } = caseAt(kernel, index);
  const shown = util.inspect(args, { depth: 2, maxArrayLength: 8, maxStringLength: 40, breakLength: Infinity });
  return `case ${index} (seed ${SEED}, batch ${batch}, index ${index % BATCH}, ${valid ? 'valid' : 'invalid'}): ${shown}`;
}

/** Whether two products of `a` and `b` (n × n) agree to 1e-12 relative to Σₖ |a_ik · b_kj|; the first element that does not, else null. */
function productsDisagree(a, b, n, x, y) {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let scale = 0;
      for (let k = 0; k < n; k++) scale += Math.abs(a[i * n + k] * b[k * n + j]);
      if (Math.abs(x[i * n + j] - y[i * n + j]) > 1e-12 * scale)
        return `(${i}, ${j}): ${x[i * n + j]} vs ${y[i * n + j]}`;
    }
  }
  return null;
}

describe(`property-based parity, seed ${SEED}`, () => {
  test.each(KERNELS)('%s', (kernel) => {
    const failures = [];
    for (const name of backends) {
      const entry = reports[name][kernel];
      expect(entry.batches).toBeGreaterThanOrEqual(MIN_BATCHES);
      for (const { index, sync, async } of entry.formsDisagree)
        failures.push(
          `${name}: sync ${JSON.stringify(sync)} but async ${JSON.stringify(async)} for ${replay(kernel, index)}`,
        );
      for (const { index, error } of entry.validRefused)
        failures.push(`${name}: refused ${JSON.stringify(error)} for ${replay(kernel, index)}`);
      for (const { index, error } of entry.otherErrors)
        failures.push(`${name}: not an argument's error ${JSON.stringify(error)} for ${replay(kernel, index)}`);
      // Invalid cases are one in four (most, for pipeRoundTrips): many must have been refused.
      expect(entry.refused).toBeGreaterThan(entry.digests.length / 10);
    }
    if (nativeAvailable) {
      const [native, js] = [reports.native[kernel], reports.js[kernel]];
      const compared = Math.min(native.digests.length, js.digests.length);
      for (let index = 0; index < compared; index++) {
        if (native.digests[index] !== js.digests[index]) {
          failures.push(`native and JS differ for ${replay(kernel, index)}`);
        } else if (native.digests[index] === 'a product') {
          const [a, b, n] = caseAt(kernel, index).args;
          const where = productsDisagree(a, b, n, native.products[index], js.products[index]);
          if (where) failures.push(`products differ at ${where} for ${replay(kernel, index)}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
