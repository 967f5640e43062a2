// compare() in a table: the cpu and io workloads on every model, with the lock on and off,
// on each backend that loads, timed by the measurement core (docs/measurement.md): every
// executor open at once, warmed until steady, timed in shuffled rounds until each speedup's
// 95% interval is within ±5% or the budget is spent. The cpu rows run 4 tasks of the kernel's
// default size on `--cpu-workers` workers; the io rows 8 × sleep(`--sleep-ms`) on 8.
//
//   node benchmark/compare.js [--kernel countdown] [--cpu-workers 2] [--sleep-ms 100] [--repeats 5] [--max-time 60] [--json]
'use strict';
const { compare } = require('..');
const { machine, option } = require('./support');

const kernel = option('kernel', 'countdown');
const cpuWorkers = Number(option('cpu-workers', 2));
const sleepMs = Number(option('sleep-ms', 100));
const repeats = Number(option('repeats', 5));
const maxTime = Number(option('max-time', 60));

const pm = (row) =>
  row.speedupCI[0] === row.speedupCI[1] ? '' : ` ±${((row.speedupCI[1] - row.speedupCI[0]) / 2).toFixed(2)}`;

async function main() {
  const common = { gil: ['on', 'off'], repeats, maxTime };
  const cpu = await compare({ ...common, workload: 'cpu', kernel, tasks: 4, workers: [cpuWorkers] });
  const io = await compare({ ...common, workload: 'io', size: sleepMs, tasks: 8, workers: [8] });
  const rows = [...cpu.rows, ...io.rows];
  const warnings = [...cpu.warnings.map((w) => `cpu: ${w}`), ...io.warnings.map((w) => `io: ${w}`)];
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ machine: machine(), calibration: cpu.calibration, rows, warnings }, null, 2));
    return;
  }
  console.log(`${machine().summary}; physical cores: ${cpu.machine.physicalCores ?? 'not reported'}\n`);
  const ceiling = cpu.calibration.ceiling.map(
    (c) => `${c.workers} processes ${c.speedup.toFixed(2)}× ±${((c.speedupCI[1] - c.speedupCI[0]) / 2).toFixed(2)}`,
  );
  console.log(
    `Machine ceiling (plain CPU-bound processes side by side vs one): ${ceiling.join(', ') || '–'}; noise ${(cpu.calibration.variation * 100).toFixed(0)}%\n`,
  );
  console.log(
    '| workload | backend | model | lock | workers | wall ms (median) | rounds | warm-ups | speedup ±95% | contended takes | forced switches | flags |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const stats = r.gilStats;
    console.log(
      `| ${r.workload} ${r.kernel}(${r.size}) | ${r.backend} | ${r.model} | ${r.gil} | ${r.workers} | ${r.wallMs.median.toFixed(0)} | ` +
        `${r.wallMs.runs.length} | ${r.warmUpRuns} | ${r.speedup.toFixed(2)}×${pm(r)} | ${stats ? stats.contendedTakes : '—'} | ` +
        `${stats ? stats.forcedSwitches : '—'} | ${r.flags.join(', ') || '—'} |`,
    );
  }
  if (warnings.length) console.log(`\nWarnings:\n${warnings.map((w) => `- ${w}`).join('\n')}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
