// compare() in a table: the cpu and io workloads on every model, with the lock on and off,
// on each backend that loads. The cpu rows run 4 tasks of the kernel's default size on
// `--cpu-workers` workers; the io rows 8 × sleep(`--sleep-ms`) on 8.
//
//   node benchmark/compare.js [--kernel countdown] [--cpu-workers 2] [--sleep-ms 100] [--repeats 3] [--json]
'use strict';
const { compare } = require('..');
const { machine } = require('./support');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const kernel = option('kernel', 'countdown');
const cpuWorkers = Number(option('cpu-workers', 2));
const sleepMs = Number(option('sleep-ms', 100));
const repeats = Number(option('repeats', 3));

async function main() {
  const common = { gil: ['on', 'off'], repeats };
  const cpu = await compare({ ...common, workload: 'cpu', kernel, tasks: 4, workers: [cpuWorkers] });
  const io = await compare({ ...common, workload: 'io', size: sleepMs, tasks: 8, workers: [8] });
  const rows = [...cpu.rows, ...io.rows];
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ machine: machine(), rows }, null, 2));
    return;
  }
  console.log(`${machine().summary}\n`);
  console.log('| workload | backend | model | lock | workers | wall ms (median) | speedup | contended takes | forced switches |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const stats = r.gilStats;
    console.log(
      `| ${r.workload} ${r.kernel}(${r.size}) | ${r.backend} | ${r.model} | ${r.gil} | ${r.workers} | ${r.wallMs.median.toFixed(0)} | ` +
        `${r.speedup.toFixed(2)} | ${stats ? stats.contendedTakes : '—'} | ${stats ? stats.forcedSwitches : '—'} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
