'use strict';
// The bad-input catalogue (support/bad-input-catalogue.js), run whole in one child process per
// backend: every public function and option, called with values of every kind, must throw or
// reject with a TypeError or RangeError whose code is Node's for it and whose message starts
// with the argument's name — alike in both backends, to the message — or work where the value
// is valid; and nothing may crash, hang, leave a rejection unhandled, warn, or leave a child.
const path = require('node:path');
const { inBackend, backend } = require('./support/backends');
const { asCompleted, wait } = require('gil-lab');

const CATALOGUE = path.join(__dirname, 'support', 'bad-input-catalogue.js');
const CODES = { TypeError: 'ERR_INVALID_ARG_TYPE', RangeError: 'ERR_OUT_OF_RANGE' };

/** The catalogue's report from a child of `name`, or `{ crashed }` when the child died or hung. */
function catalogueIn(name) {
  try {
    const started = Date.now();
    const answer = inBackend(name, `return require(${JSON.stringify(CATALOGUE)}).runCatalogue(gil)`, {
      timeout: 120_000,
    });
    return { ...answer.ok, threw: answer.error, ms: Date.now() - started };
  } catch (error) {
    return { crashed: `${error.message}\n${error.stderr ?? ''}`.slice(0, 4000) };
  }
}

const nativeAvailable = inBackend('auto', 'return gil.info().backend').ok === 'native';
const reports = { js: catalogueIn('js'), ...(nativeAvailable ? { native: catalogueIn('native') } : {}) };
const reference = reports.native ?? reports.js;

/** What is wrong with one case's outcome, in words; empty when nothing is. */
function problems(r) {
  if (r === undefined) return ['missing'];
  if (r.how === 'hung') return ['hung'];
  const failed = r.how === 'threw' || r.how === 'rejected';
  if (r.expected === 'ok') return failed ? [`expected to work; ${r.how} ${JSON.stringify(r.error)}`] : [];
  if (!failed) return [`expected a ${r.expected}; ${r.how} ${JSON.stringify(r.value)}`];
  const out = [];
  if (r.form === 'async' && r.how === 'threw') out.push('threw where it must reject');
  if (r.error.class !== r.expected) out.push(`a ${r.error.class}, not a ${r.expected}`);
  if (CODES[r.expected]) {
    if (r.error.code !== CODES[r.expected]) out.push(`code ${r.error.code}`);
    if (!new RegExp(`^${r.argument.replace(/[.*[\]()]/g, '\\$&')}[ :]`).test(r.error.message))
      out.push(`does not name ${r.argument}`);
  }
  return out.length ? [...out, `"${r.error.message}"`] : [];
}

describe('the bad-input catalogue', () => {
  afterAll(() => {
    const counts = Object.entries(reports).map(([name, r]) => `${name}: ${r.results?.length ?? 0} cases in ${r.ms} ms`);
    const errors = reference.results?.filter((r) => r.how === 'threw' || r.how === 'rejected').length ?? 0;
    console.log(`bad-input catalogue (${backend} pass): ${counts.join('; ')}; ${errors} refused, the rest valid`);
  });

  test.each(Object.keys(reports))(
    'runs to its end in the %s backend: no crash, hang, unhandled rejection, warning, or child left',
    (name) => {
      const report = reports[name];
      expect(report.crashed).toBeUndefined();
      expect(report.threw).toBeUndefined();
      expect(report.results.length).toBeGreaterThan(4000);
      expect(report.unhandled).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.pidsLeft).toEqual([]);
      expect(report.results.filter((r) => r.how === 'hung').map((r) => `${r.api} ${r.label}`)).toEqual([]);
    },
  );

  const groups = [...new Set((reference.results ?? []).map((r) => r.api))];
  test.each(groups)('%s', (api) => {
    const failures = [];
    reference.results.forEach((r, i) => {
      if (r.api !== api) return;
      for (const [name, report] of Object.entries(reports)) {
        for (const p of problems(report.results[i])) failures.push(`${name}, ${r.label}: ${p}`);
      }
      if (reports.native && JSON.stringify(reports.native.results[i]) !== JSON.stringify(reports.js.results[i])) {
        const [n, j] = [reports.native.results[i], reports.js.results[i]];
        failures.push(
          `${r.label}: native ${n.how} ${JSON.stringify(n.error ?? n.value)}, js ${j.how} ${JSON.stringify(j.error ?? j.value)}`,
        );
      }
    });
    expect(failures).toEqual([]);
  });
});

describe(`timeouts past what a timer holds (${backend} backend)`, () => {
  // A future that the test settles at its end, so that no timer of `wait` outlives it.
  let settle;
  const pending = new Promise((resolve) => (settle = resolve));
  afterAll(() => settle());
  const settledWithin = (promise, ms) =>
    Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise((resolve) => setTimeout(() => resolve(false), ms)),
    ]);

  test('Infinity means no time limit, not 1 ms', async () => {
    expect(await settledWithin(wait([pending], { timeout: Infinity }), 50)).toBe(false);
    expect(await settledWithin(asCompleted([pending], { timeout: Infinity }).next(), 50)).toBe(false);
  });

  test('a finite timeout longer than 2³¹−1 ms is refused, not shortened to 1 ms', async () => {
    const message = 'options.timeout must be a number of ms from 0 to 2147483647, or Infinity; got 2147483648';
    await expect(wait([pending], { timeout: 2 ** 31 })).rejects.toThrow(new RangeError(message));
    expect(() => asCompleted([pending], { timeout: 2 ** 31 })).toThrow(new RangeError(message));
    expect(await settledWithin(wait([pending], { timeout: 2 ** 31 - 1 }), 50)).toBe(false);
  });
});
