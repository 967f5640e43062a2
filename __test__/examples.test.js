// Every program in examples/ and every code block of README.md runs as written, against the
// built package, so that none of them can rot: the JavaScript ones with node, the TypeScript
// one compiled by tsc with its own tsconfig.json first. What each prints is checked too.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, backend } = require('./support/backends');
const { MAIN, collect } = require('./support/cli');

const thisBackend = backend === 'auto' ? require('gil-lab').info().backend : backend;
const EXAMPLES = path.join(ROOT, 'examples');
const TSC = require.resolve('typescript/bin/tsc');

// A folder outside the repository where `gil-lab` resolves to the built package, as it would
// in a user's project: for the README's blocks and the compiled TypeScript.
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-examples-'));
fs.mkdirSync(path.join(sandbox, 'node_modules'));
fs.symlinkSync(ROOT, path.join(sandbox, 'node_modules', 'gil-lab'), 'junction');
afterAll(() => fs.rmSync(sandbox, { recursive: true, force: true }));

/** Runs `command args` and resolves to { status, stdout, stderr }. */
function run(command, args, { cwd = ROOT, timeout = 120_000 } = {}) {
  return collect(spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }), timeout);
}

const lines = (text) => text.trimEnd().split('\n');
const TRACE_LINE =
  /^ {2}[\d.]+ ms {2}\S+ {2}(wait|take|drop-request|release \((forced|voluntary|periodic|task-end|disabled)\))$/;

/** What each example must print, line by line; an example missing here fails the test. */
const EXPECTED = {
  'kernel-off-the-loop.cjs': () => [
    `backend: ${thisBackend}`,
    'countPrimes(5 000 000) = 348513, while a 1 ms timer ticked on',
    'countPrimes(2^31 - 1) stopped after 50 ms: AbortError',
    'countPrimesSync(100) = 25',
  ],
  'kernel-off-the-loop.mjs': () => [
    `backend: ${thisBackend}`,
    'countPrimes(5 000 000) = 348513, while a 1 ms timer ticked on',
    'countPrimes(2^31 - 1) stopped after 50 ms: AbortError',
  ],
  'executors.cjs': (out) => {
    // asCompleted's order is the machine's: the same three results, in any order.
    const completed = out.filter((l) => l.startsWith('asCompleted: ')).sort();
    expect(completed).toEqual([
      'asCompleted: task 0 gave 216816',
      'asCompleted: task 1 gave 168',
      'asCompleted: task 2 gave 3245',
    ]);
    return [
      'map: 1229, 9592',
      ...out.slice(1, 4),
      'wait: 1 done (168), 1 still running',
      'the endless task: AbortError',
    ];
  },
  'lock-stats-and-trace.cjs': () => [
    /^lock cpython, 1 ms: \d+ takes, \d+ forced switches$/,
    /^waited [\d.]+ ms, held [\d.]+ ms$/,
    'threads that held it: 2',
    TRACE_LINE,
    TRACE_LINE,
    TRACE_LINE,
    "lock off again: gil.mode is 'off'",
  ],
  'lab.cjs': (out) => {
    // Six rows a backend: sequential, threads and processes, the lock on and off.
    expect(out.length % 6).toBe(0);
    return out.map(() => /^(native|wasm|js) +(sequential|threads|processes) +lock (on|off) +\d+\.\d\d×$/);
  },
  'typed.mts': () => [
    'countPrimes(100 000) = 9592; mandelbrot: 3072 pixels',
    'first of two tasks done: true',
    /^4 sleeps of 20 ms on 4 threads, lock on: \d+\.\d\d× the sequential speed$/,
  ],
};

/** Checks `stdout` line by line against the example's expectations (strings or patterns). */
function expectOutput(name, stdout) {
  const out = lines(stdout);
  const expected = EXPECTED[name](out);
  expect(out).toHaveLength(expected.length);
  expected.forEach((want, i) => (typeof want === 'string' ? expect(out[i]).toBe(want) : expect(out[i]).toMatch(want)));
}

describe(`examples/ (${backend} backend)`, () => {
  jest.setTimeout(180_000);
  const files = fs.readdirSync(EXAMPLES).filter((f) => /\.(c|m)?js$|\.mts$/.test(f));

  test('each example has its expected output here, and each one here is an example', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(files.filter((f) => !f.endsWith('.mts')))('node examples/%s', async (file) => {
    const { status, stdout, stderr } = await run(process.execPath, [path.join('examples', file)]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expectOutput(file, stdout);
  });

  test('examples/typed.mts: compiled by tsc with examples/tsconfig.json (strict), then run', async () => {
    const outDir = path.join(sandbox, 'typed');
    const compiled = await run(process.execPath, [TSC, '-p', 'examples', '--outDir', outDir]);
    expect(compiled).toMatchObject({ status: 0, stdout: '' });
    const { status, stdout, stderr } = await run(process.execPath, [path.join(outDir, 'typed.mjs')], { cwd: sandbox });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expectOutput('typed.mts', stdout);
  });
});

// README.md's code blocks, whatever the README holds: each JavaScript block runs as a file of
// its own in a user's project (an ES module if it uses `import`), and each `gil-lab` command
// line names a command and flags that exist.
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m, i) => ({ i, lang: m[1], code: m[2] }));
const scripts = blocks.filter((b) => ['js', 'javascript', 'cjs', 'mjs'].includes(b.lang));
const commandLines = blocks
  .filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang))
  .flatMap((b) => b.code.split('\n'))
  .map((l) => /^(?:\$ )?(?:npx )?gil-lab(?: (\w[\w-]*))?([^#]*)/.exec(l.trim()))
  .filter(Boolean)
  .map((m) => ({
    line: m[0].trim(),
    command: m[1] ?? 'demo',
    flags: [...m[2].matchAll(/(?:^|\s)(--?[\w-]+)/g)].map((f) => f[1]),
  }));

describe(`README.md's code blocks (${backend} backend)`, () => {
  jest.setTimeout(180_000);

  test('its blocks are JavaScript or shell: a TypeScript one would belong in examples/', () => {
    expect(blocks.filter((b) => /^(ts|typescript|mts|cts)$/.test(b.lang)).map((b) => b.code)).toEqual([]);
  });

  (scripts.length ? test.each(scripts) : test.skip.each([{ i: 'none' }]))(
    'block $i runs with node, with nothing on stderr',
    async ({ i, code }) => {
      const module = /^\s*(import|export)\s/m.test(code) || /^await\s/m.test(code);
      const file = path.join(sandbox, `readme-${i}.${module ? 'mjs' : 'cjs'}`);
      fs.writeFileSync(file, code);
      const { status, stdout, stderr } = await run(process.execPath, [file], { cwd: sandbox });
      expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
      expect(stdout).not.toBe('');
    },
  );

  (commandLines.length ? test.each(commandLines) : test.skip.each([{ line: 'none' }]))(
    '$line: the command and its flags exist',
    async ({ command, flags }) => {
      const { status, stdout } = await run(process.execPath, [MAIN, command, '--help']);
      expect(status).toBe(0);
      for (const flag of flags) expect(stdout).toMatch(new RegExp(`(^|[ ,])${flag}[ ,<\\[]`, 'm'));
    },
  );
});

// A table cut by a blank line renders its rows after the blank as plain text: every run of
// table rows in README.md, docs/ and examples/ starts with a header and its `| --- |` line.
describe('the Markdown tables render whole', () => {
  const pages = [
    'README.md',
    path.join('examples', 'README.md'),
    ...fs
      .readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join('docs', f)),
  ];
  test.each(pages)('%s', (page) => {
    const text = fs.readFileSync(path.join(ROOT, page), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
    const lines = text.split('\n');
    const headless = lines.flatMap((line, i) =>
      line.startsWith('|') && !lines[i - 1]?.startsWith('|') && !/^\|\s*:?-{3,}/.test(lines[i + 1] ?? '') ? [line] : [],
    );
    expect(headless).toEqual([]);
  });
});
