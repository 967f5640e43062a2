// `gil-lab bench`: the benchmark.js suites of benchmark/, run in this process and printed as
// one table per suite, with medians per backend and the native speedup. The suites are the
// files that `node benchmark/<suite>.js` runs; they ship with the source, not with the npm
// package (benchmark.js is a development dependency), so the command is there in a clone only:
// the published CLI has none (`benchSuitesHere`).

import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { PACKAGE_ROOT } from '../loader';
import { count, duration } from '../report/text';
import { table } from './format';
import { namesParser, positiveNumber } from './options';
import { colorsFor, Progress } from './terminal';

export const SUITES = ['kernels', 'overhead'] as const;
type SuiteName = (typeof SUITES)[number];

export interface BenchRow {
  name: string;
  label: string;
  /** Median milliseconds per call, per backend that loads. */
  ms: { native?: number; js?: number };
  /** JS time over native time, where both ran. */
  ratio: number | null;
}

interface Suite {
  title: string;
  cases(): string[];
  run(options: {
    only?: string[];
    maxTime?: number;
    onCase?: (row: BenchRow, done: number, total: number) => void;
  }): Promise<BenchRow[]>;
}

const BENCHMARK_DIR = path.join(PACKAGE_ROOT, 'benchmark');

/** Whether the suites are here, as in a clone of gil-lab's source, where `gil-lab bench` runs them. */
export function benchSuitesHere(): boolean {
  return SUITES.every((name) => fs.existsSync(path.join(BENCHMARK_DIR, `${name}.js`)));
}

function loadSuite(name: SuiteName): Suite {
  return require(path.join(BENCHMARK_DIR, `${name}.js`)) as Suite;
}

interface BenchFlags {
  suite: SuiteName[];
  only?: string[];
  maxTime?: number;
  json?: boolean;
  quiet?: boolean;
}

function renderSuite(title: string, rows: BenchRow[], stream: NodeJS.WritableStream): string {
  const colors = colorsFor(stream);
  const cell = (ms: number | undefined) => (ms === undefined ? '–' : duration(ms));
  const ratio = (r: number | null) => {
    if (r === null) return colors.dim('–');
    const text = `${r.toFixed(2)}×`;
    return r >= 1 ? colors.green(text) : colors.red(text);
  };
  return `${colors.bold(title)}\n${table(
    ['case', 'native (median)', 'JS (median)', 'native speedup'],
    rows.map((r) => [r.label, cell(r.ms.native), cell(r.ms.js), ratio(r.ratio)]),
    { colors, align: ['left', 'right', 'right', 'right'] },
  )}`;
}

async function runBench(flags: BenchFlags): Promise<void> {
  const suites = flags.suite.map((name) => ({ name, suite: loadSuite(name) }));
  // --only names cases of any suite chosen; each suite runs the ones it has.
  if (flags.only) {
    const known = new Set(suites.flatMap(({ suite }) => suite.cases()));
    const unknown = flags.only.filter((name) => !known.has(name));
    if (unknown.length)
      throw new RangeError(`--only: no case named ${unknown.join(', ')}; the cases are ${[...known].join(', ')}`);
  }
  const plan = suites.map(({ name, suite }) => ({
    name,
    suite,
    cases: suite.cases().filter((c) => !flags.only || flags.only.includes(c)),
  }));
  const total = plan.reduce((n, p) => n + p.cases.length, 0);
  const progress = new Progress({ quiet: flags.quiet, name: 'gil-lab bench' });
  const results: { name: string; title: string; rows: BenchRow[] }[] = [];
  let done = 0;
  try {
    for (const { name, suite, cases } of plan) {
      if (cases.length === 0) continue;
      progress.stage(`timing the ${name} suite`);
      progress.update(done, total, `${name}: ${cases[0]}`);
      const rows = await suite.run({
        only: cases,
        maxTime: flags.maxTime,
        onCase: (row, i) => progress.update(done + i, total, `${name}: ${cases[i] ?? row.name}`),
      });
      done += rows.length;
      results.push({ name, title: suite.title, rows });
    }
    progress.finish(`${count(total, 'case')} timed`);
  } finally {
    progress.stop();
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ suites: results }, null, 2)}\n`);
  } else {
    process.stdout.write(results.map((r) => renderSuite(r.title, r.rows, process.stdout)).join('\n'));
  }
}

export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'time each kernel, native vs JS, and the cost of a call, with benchmark.js (runs the suites of benchmark/)',
    )
    .addOption(
      new Option('--suite <list>', `suites to run: ${SUITES.join(', ')}`)
        .argParser(namesParser(SUITES))
        .default([...SUITES], SUITES.join(',')),
    )
    .option(
      '--only <list>',
      'only these cases (kernel names for kernels; sync, async, batch for overhead)',
      (text: string) => text.split(',').map((s) => s.trim()),
    )
    .addOption(
      new Option('--max-time <seconds>', 'benchmark.js time budget per case and backend (default: 2)').argParser(
        positiveNumber,
      ),
    )
    .option('--json', 'print the medians as JSON')
    .option('-q, --quiet', 'no progress on stderr')
    .action((flags: BenchFlags) => runBench(flags));
}
