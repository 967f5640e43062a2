// The `gil-lab` command as a user runs it: help, bad flags, info, bench, colour and progress.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { info } = require('gil-lab');
const { ROOT, backend } = require('./support/backends');
const { MAIN, gilLab, gilLabClosedStdout, gilLabThroughHead, inTerminal } = require('./support/cli');

const ANSI = /\x1b\[[0-9;]*m/;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const BAR = /[█░]/;

describe(`gil-lab command (${backend} backend)`, () => {
  /** Runs every case's command at once (they are independent and short), keyed by its arguments. */
  function runAll(cases) {
    const results = new Map();
    beforeAll(() => Promise.all(cases.map(async ([args]) => results.set(JSON.stringify(args), await gilLab(args)))));
    return (args) => results.get(JSON.stringify(args));
  }

  describe('--help', () => {
    const helpCases = [
      ['demo', ['--backend', '--html', '--quiet']],
      [
        'compare',
        [
          '--workload',
          '--kernel',
          '--size',
          '--tasks',
          '--workers',
          '--models',
          '--gil',
          '--mode',
          '--switch-interval',
          '--backends',
          '--repeats',
          '--trace',
          '--no-trace',
          '--json',
          '--html',
          '--quiet',
        ],
      ],
      ['bench', ['--suite', '--only', '--max-time', '--json', '--quiet']],
      ['info', ['--json']],
      [
        'worker',
        [
          '--redis',
          '--queue',
          '--concurrency',
          '--backend',
          '--isolate',
          '--lock-duration',
          '--stalled-interval',
          '--max-stalled',
          '--grace',
          '--connect-timeout',
          '--verbose',
        ],
      ],
    ];
    const resultOf = runAll(helpCases.map(([command]) => [[command, '--help']]));
    test.each(helpCases)('gil-lab %s --help lists its flags and exits 0', (command, flags) => {
      const { status, stdout, stderr } = resultOf([command, '--help']);
      expect(status).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain(`Usage: gil-lab ${command} [options]`);
      for (const flag of flags) expect(stdout).toContain(flag);
    });

    test('gil-lab --help lists the commands', async () => {
      const { status, stdout } = await gilLab(['--help']);
      expect(status).toBe(0);
      for (const command of ['demo', 'compare', 'bench', 'info', 'worker'])
        expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    });
  });

  describe('bad flags: exit 1, one line on stderr naming the problem, nothing on stdout', () => {
    const badFlags = [
      // compare()'s own checks, made before any run, name the flag.
      [
        ['compare', '--workload', 'cpu', '--kernel', 'noSuchKernel'],
        /^gil-lab compare: --kernel must be one of .*countdown.*; got "noSuchKernel"$/,
      ],
      [
        ['compare', '--kernel', 'noSuchKernel'],
        /^gil-lab compare: cpu: --kernel must be one of .*countdown.*; got "noSuchKernel"$/,
      ],
      [
        ['compare', '--workload', 'latency', '--size', '0'],
        /^gil-lab compare: --size \(round trips\) must be an integer from 1 to \d+; got 0$/,
      ],
      [
        ['compare', '--workers', '-1'],
        /^gil-lab compare: option '--workers <list>' argument '-1' is invalid\. expected an integer of at least 1; got -1$/,
      ],
      [['compare', '--workers', '0'], /argument '0' is invalid\. expected an integer of at least 1; got 0$/],
      [['compare', '--workers', '1,two'], /argument '1,two' is invalid\. "two" is not a number$/],
      [['compare', '--workers', '1,,2'], /no empty items$/],
      [
        ['compare', '--models', 'threads,fibers'],
        /argument 'threads,fibers' is invalid\. "fibers" is not one of sequential, threads, interpreters, processes, async, cluster$/,
      ],
      [['compare', '--workload', 'gpu'], /"gpu" is not one of cpu, io, latency, transfer$/],
      [['compare', '--gil', 'maybe'], /"maybe" is not one of on, off$/],
      [['compare', '--mode', 'modern'], /argument 'modern' is invalid\. Allowed choices are cpython, legacy\.$/],
      [['compare', '--switch-interval', '5ms,0'], /expected a number greater than 0; got 0$/],
      [['compare', '--switch-interval', '5min'], /"5min" is not a number$/],
      [
        ['compare', '--gil', 'off', '--switch-interval', '1ms'],
        /^gil-lab compare: cpu: --switch-interval applies only with the lock on, and --gil is off: add on to --gil, or leave --switch-interval out$/,
      ],
      [
        ['compare', '--workload', 'cpu', '--gil', 'off', '--mode', 'legacy'],
        /^gil-lab compare: --mode applies only with the lock on, and --gil is off: add on to --gil, or leave --mode out$/,
      ],
      [['compare', '--backends', 'rust'], /"rust" is not one of native, wasm, js$/],
      [['compare', '--repeats', '0'], /expected an integer of at least 1; got 0$/],
      [['compare', '--tasks', '1.5'], /expected an integer of at least 1; got 1\.5$/],
      [['compare', '--size', '-3'], /expected a number of at least 0; got -3$/],
      [
        ['compare', '--size', '100', '--workload', 'cpu,io'],
        /^gil-lab compare: --size means another thing for each workload: give one --workload with it \(got cpu,io\)$/,
      ],
      [
        ['compare', '--workload', 'cpu', '--html', path.join(scratch, 'no', 'such', 'folder', 'r.html')],
        /^gil-lab compare: cannot write .*r\.html: .* is not a writable folder$/,
      ],
      [['compare', '--html', scratch], /^gil-lab compare: cannot write .*: it is a folder$/],
      [['compare', '--frob'], /^gil-lab compare: unknown option '--frob'$/],
      [
        ['compare', '--model', 'threads'],
        /^gil-lab compare: unknown option '--model' \(Did you mean one of --mode, --models\?\)$/,
      ],
      [
        ['demo', '--backend', 'rust'],
        /^gil-lab demo: option '-b, --backend <name>' argument 'rust' is invalid\. Allowed choices are native, wasm, js\.$/,
      ],
      [['bench', '--suite', 'kernels,nope'], /^gil-lab bench: .*"nope" is not one of kernels, overhead$/],
      [['bench', '--only', 'nope'], /^gil-lab bench: --only: no case named nope; the cases are countPrimes\b/],
      [['bench', '--max-time', '-1'], /expected a number greater than 0; got -1$/],
      [['info', '--frob'], /^gil-lab info: unknown option '--frob'$/],
      [['frob'], /^gil-lab: unknown command 'frob'$/],
    ];
    const resultOf = runAll(badFlags);
    test.each(badFlags)('gil-lab %j', (args, message) => {
      const { status, stdout, stderr } = resultOf(args);
      expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
      expect(stderr.endsWith('\n')).toBe(true);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr.trimEnd()).toMatch(message);
    });
  });

  describe('info', () => {
    test('names the backend and why, the binary, the platform, cores and versions', async () => {
      const { status, stdout } = await gilLab(['info']);
      expect(status).toBe(0);
      const i = info();
      const line = (name) => stdout.split('\n').find((l) => l.startsWith(`${name} `));
      expect(line('backend')).toMatch(new RegExp(`^backend +${i.backend} \\(.+\\)$`));
      if (backend === 'js') expect(line('backend')).toContain('GIL_LAB_BACKEND=js asked for it');
      if (i.backend === 'native')
        expect(line('backend')).toMatch(/the native binary from (a local build|the platform package) .*loaded/);
      expect(line('binary')).toMatch(
        new RegExp(`^binary +${i.binary ? i.binary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '-'}$`),
      );
      expect(line('platform')).toMatch(new RegExp(`^platform +${i.platform}$`));
      // Logical cores, and the physical ones where the OS says (on Linux it does).
      expect(line('cores')).toMatch(
        new RegExp(
          `^cores +${i.cpus} (core|logical core)s? \\((physical, no SMT|${i.physicalCores} physical|physical: not reported)\\)$`,
        ),
      );
      if (process.platform === 'linux') expect(i.physicalCores).toBeGreaterThan(0);
      expect(line('gil-lab')).toMatch(new RegExp(`^gil-lab +${i.version}$`));
      expect(line('node')).toMatch(new RegExp(`^node +${process.versions.node}$`));
      expect(line('v8')).toContain(process.versions.v8);
      expect(line('N-API')).toMatch(new RegExp(`^N-API +${process.versions.napi}$`));
    });

    test('--json: info() with the reason and the versions', async () => {
      const { status, stdout } = await gilLab(['info', '--json']);
      expect(status).toBe(0);
      const printed = JSON.parse(stdout);
      expect(printed).toMatchObject({
        ...info(),
        versions: { 'gil-lab': info().version, node: process.versions.node },
      });
      expect(typeof printed.why).toBe('string');
    });

    test('a native binary that is there but does not load is named, with its error', async () => {
      // A copy of the built package whose local build is not a shared object.
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-info-'));
      try {
        fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
        fs.cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
        fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'junction');
        fs.mkdirSync(path.join(root, 'native'));
        fs.writeFileSync(path.join(root, 'native', `gil-lab.${info().platform}.node`), 'not a shared object');
        const run = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), 'info'], {
          encoding: 'utf8',
          env: { ...process.env, GIL_LAB_BACKEND: '' },
        });
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/^backend +js \(a binary is there but was not used: .*gil-lab\..*\.node: .+\)$/m);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('bench', () => {
    test('--json: medians per backend that loads, and the native speedup; on a pipe, progress as lines', async () => {
      const started = Date.now();
      const { status, stdout, stderr } = await gilLab([
        'bench',
        '--suite',
        'kernels',
        '--only',
        'countPrimes',
        '--max-time',
        '0.3',
        '--json',
      ]);
      // Long enough that a terminal would have shown a bar: here, the lines that stand for it.
      expect(Date.now() - started).toBeGreaterThan(1500);
      expect(stderr).toMatch(/^gil-lab bench: timing the kernels suite\ngil-lab bench: 1 case timed in \d+\.\d\d s\n$/);
      expect(status).toBe(0);
      const { suites } = JSON.parse(stdout);
      expect(suites).toHaveLength(1);
      expect(suites[0]).toMatchObject({ name: 'kernels', title: expect.stringContaining('native vs JS') });
      const [row] = suites[0].rows;
      expect(row).toMatchObject({ name: 'countPrimes', label: 'countPrimes(200 000)' });
      expect(row.ms.js).toBeGreaterThan(0);
      if (row.ms.native !== undefined) expect(row.ratio).toBeCloseTo(row.ms.js / row.ms.native, 10);
      else expect(row.ratio).toBeNull();
    });

    test('prints a table per suite, with no colour on a pipe; --quiet: nothing on stderr', async () => {
      const { status, stdout, stderr } = await gilLab([
        'bench',
        '--suite',
        'overhead',
        '--only',
        'sync',
        '--max-time',
        '0.05',
        '--quiet',
      ]);
      expect(status).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain('Call and dispatch overhead, native vs JS');
      expect(stdout).toMatch(/│ case +│ native \(median\) │ JS \(median\) │ native speedup │/);
      expect(stdout).toMatch(
        /│ sync call of countPrimes\(0\) +│ +(\d[\d.]* (ns|µs)|–) │ +\d[\d.]* (ns|µs) │ +(\d+\.\d\d×|–) │/,
      );
      expect(stdout).not.toMatch(ANSI);
    });
  });

  describe('in a pipe whose reader stops early: exit 0, nothing on stderr', () => {
    // Every command that prints (the lab's, which take longer, are in cli-lab.test.js).
    const printing = [
      [['--version'], /^\d+\.\d+\.\d+/],
      [['--help'], /^Usage: gil-lab /],
      [['help', 'compare'], /^Usage: gil-lab compare /],
      [['compare', '--help'], /^Usage: gil-lab compare /],
      [['info'], /^backend /],
      [['info', '--json'], /^\{\n$/],
      [['bench', '--suite', 'overhead', '--only', 'sync', '--max-time', '0.05', '--json', '--quiet'], /^\{\n$/],
    ];
    test.each(printing)('gil-lab %j | head -1', async (args, firstLine) => {
      const { status, stdout, stderr } = await gilLabThroughHead(args);
      expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
      expect(stdout).toMatch(firstLine);
      expect(stdout.split('\n')).toHaveLength(2);
    });
    // head may read all of a short output before gil-lab's last write: a reader gone before
    // the first write makes the closed pipe (EPIPE) certain.
    test.each(printing)('gil-lab %j into a pipe already closed', async (args) => {
      expect(await gilLabClosedStdout(args)).toMatchObject({ status: 0, stderr: '' });
    });
  });

  describe('colour', () => {
    const args = ['info'];
    test('FORCE_COLOR colours a pipe', async () => {
      expect((await gilLab(args, { env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
    });
    test('NO_COLOR wins over FORCE_COLOR', async () => {
      expect((await gilLab(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    });
    test('on a terminal: colour, unless NO_COLOR', () => {
      const line = `${process.execPath} ${MAIN} info`;
      expect(inTerminal(line).screen).toMatch(ANSI);
      expect(inTerminal(line, { env: { NO_COLOR: '1' } }).screen).not.toMatch(ANSI);
    });
  });

  describe('progress', () => {
    // Long enough for the bar, which waits a second before it shows.
    const bench = `${process.execPath} ${MAIN} bench --suite kernels --only countPrimes --max-time 0.3`;

    test('on a terminal, a bar on stderr; stdout, sent to a file, has none', () => {
      const out = path.join(scratch, 'stdout.txt');
      const { status, screen } = inTerminal(`${bench} > ${out}`);
      expect(status).toBe(0);
      expect(screen).toMatch(BAR);
      expect(screen).toContain('kernels: countPrimes');
      const table = fs.readFileSync(out, 'utf8');
      expect(table).toContain('countPrimes(200 000)');
      expect(table).not.toMatch(BAR);
      expect(table).not.toMatch(ANSI);
    });

    test('--quiet: no bar on a terminal', () => {
      const { status, screen } = inTerminal(`${bench} --quiet > /dev/null`);
      expect(status).toBe(0);
      expect(screen).not.toMatch(BAR);
    });
  });
});
