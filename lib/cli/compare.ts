// `gil-lab compare`: any matrix of compare()'s dimensions from flags, printed as a table per
// workload, or as JSON (--json), and written as an HTML report with charts (--html FILE).
// Flags left out are left to compare()'s defaults, which the JSON and the report show.

import os from 'node:os';
import { Command, Option } from 'commander';
import { BACKEND_NAMES } from '../backend-names';
import {
  ALL_MODELS,
  CPU_KERNEL_NAMES,
  GIL_MODES,
  GIL_SETTINGS,
  LATENCY_KERNEL_NAMES,
  MODELS,
  WORKLOADS,
} from '../lab/compare';
import type { CompareOptions, Workload } from '../lab/types';
import { columnsFor, workloadsOf } from '../report/columns';
import { pythonLines, taskLabel, type LabRecord } from '../report/record';
import { coresLabel, duration } from '../report/text';
import { ceilingLine, speedupColored, table, warningLines } from './format';
import { interruptible } from './interrupt';
import { checkPlans, checkWritable, runLab, writeReport } from './lab';
import { startLocalCluster } from './local-cluster';
import { durations, integerAtLeast, integersAtLeast, namesParser, nonNegativeNumber } from './options';
import { colorsFor } from './terminal';

/** The workloads a bare `gil-lab compare` runs: enough for every chart of the report. */
const DEFAULT_WORKLOADS: Workload[] = ['cpu', 'io', 'latency'];

/** The flags as parsed: compare()'s options, but several workloads, and what to print or write. */
interface CompareFlags extends Omit<
  CompareOptions,
  'workload' | 'switchIntervals' | 'onProgress' | 'signal' | 'cluster'
> {
  workload: Workload[];
  /** `--switch-interval`: compare()'s `switchIntervals`. */
  switchInterval?: CompareOptions['switchIntervals'];
  json?: boolean;
  html?: string;
  quiet?: boolean;
  /** `--cluster URL`: the cluster model's Redis, served by hosts started elsewhere. */
  cluster?: string;
  /** `--cluster-hosts N`: a local Redis and N hosts, started for the run. */
  clusterHosts?: number;
}

/** One compare() run per workload; a flag left out is left out of the options. */
export function plansOf(flags: CompareFlags): CompareOptions[] {
  if (flags.size !== undefined && flags.workload.length > 1) {
    throw new RangeError(
      `--size means another thing for each workload: give one --workload with it (got ${flags.workload.join(',')})`,
    );
  }
  const common: CompareOptions = {
    kernel: flags.kernel,
    size: flags.size,
    tasks: flags.tasks,
    workers: flags.workers,
    models: flags.models ?? (flags.cluster ? [...MODELS, 'cluster'] : undefined),
    cluster: flags.cluster === undefined ? undefined : { connection: flags.cluster },
    gil: flags.gil,
    mode: flags.mode,
    switchIntervals: flags.switchInterval,
    backends: flags.backends,
    repeats: flags.repeats,
    maxTime: flags.maxTime,
    python: flags.python,
    // The report's timeline needs a trace; ask for one when writing a report unless told not to.
    trace: flags.trace ?? (flags.html ? true : undefined),
  };
  const defined = Object.fromEntries(Object.entries(common).filter(([, v]) => v !== undefined));
  return flags.workload.map((workload) => ({ workload, ...defined }));
}

/** Notes and warnings wrap at this width. */
const WIDTH = 120;

/** The record as tables, one per workload, then a line on where and how long it ran. */
export function renderRecord(record: LabRecord, stream: NodeJS.WritableStream): string {
  const colors = colorsFor(stream);
  const parts = workloadsOf(record.rows).map((workload) => {
    const rows = record.rows.filter((r) => r.workload === workload);
    const columns = columnsFor(rows);
    const cells = rows.map((row) =>
      columns.map((c) => (c.speedupOf ? speedupColored(c.speedupOf(row), colors, c.text(row)) : c.text(row))),
    );
    const title = `${colors.bold(workload)}  ${taskLabel(rows[0])}`;
    const ceiling = ceilingLine(record.runs.find((r) => r.workload === workload)?.calibration?.ceiling ?? []);
    const notes = [...(ceiling ? [ceiling] : []), ...columns.flatMap((c) => (c.note ? [c.note] : []))].map(
      (note) => `${colors.dim(note)}\n`,
    );
    return `${title}\n${table(
      columns.map((c) => c.title),
      cells,
      { colors, align: columns.map((c) => c.align) },
    )}${notes.join('')}`;
  });
  const m = record.machine;
  // Records saved before the load average was kept have none.
  const load = m.loadAverage == null ? '' : `, load average ${m.loadAverage.toFixed(1)} at the start`;
  const python = pythonLines(record.python);
  if (python.length) parts.push(colors.dim(`${python.join('\n')}\n`));
  parts.push(
    colors.dim(
      `${m.cpu}, ${coresLabel(m)}${load}; gil-lab ${m.gilLab}, Node ${m.node}; took ${duration(record.durationMs)}\n`,
    ),
  );
  const warnings = warningLines(record.warnings, colors, WIDTH);
  if (warnings) parts.push(warnings);
  return parts.join('\n');
}

export function compareCommand(version: string): Command {
  return new Command('compare')
    .description('measure a matrix of workload × model × lock × backend × workers × switch interval')
    .addOption(
      new Option('-w, --workload <list>', `workloads, one compare() run each: ${WORKLOADS.join(', ')}`)
        .argParser(namesParser(WORKLOADS))
        .default(DEFAULT_WORKLOADS, DEFAULT_WORKLOADS.join(',')),
    )
    .option(
      '-k, --kernel <name>',
      `the CPU-bound kernel of cpu: ${CPU_KERNEL_NAMES.join(', ')}; and of latency's CPU-bound workers: ${LATENCY_KERNEL_NAMES.join(', ')} (default: countdown)`,
    )
    .addOption(
      new Option(
        '-s, --size <n>',
        "the kernel's size (cpu), the sleep in ms (io), MiB per task (transfer); one workload only",
      ).argParser(nonNegativeNumber),
    )
    .addOption(new Option('-t, --tasks <n>', 'tasks per run').argParser(integerAtLeast(1)))
    .addOption(
      new Option(
        '--workers <list>',
        'worker counts to try, e.g. 1,2,4 (latency: the CPU-bound workers beside the I/O task)',
      ).argParser(integersAtLeast(1)),
    )
    .addOption(
      new Option('-m, --models <list>', `execution models: ${ALL_MODELS.join(', ')}`).argParser(
        namesParser(ALL_MODELS),
      ),
    )
    .addOption(
      new Option(
        '--gil <list>',
        'the lock: on, off, or on,off (default: off; on if --mode or --switch-interval is given)',
      ).argParser(namesParser(GIL_SETTINGS)),
    )
    .addOption(
      new Option(
        '--mode <mode>',
        "the lock's algorithm; turns the lock on, and is an error with --gil off alone",
      ).choices(GIL_MODES),
    )
    .addOption(
      new Option(
        '--switch-interval <list>',
        'switch intervals (seconds, or 5ms, 100us…); turns the lock on, and is an error with --gil off alone',
      ).argParser(durations),
    )
    .addOption(
      new Option('-b, --backends <list>', `backends: ${BACKEND_NAMES.join(', ')}`).argParser(
        namesParser(BACKEND_NAMES),
      ),
    )
    .addOption(
      new Option(
        '-r, --repeats <n>',
        'rounds at least (each cell timed once a round); more until every speedup is within ±5% or --max-time',
      ).argParser(integerAtLeast(1)),
    )
    .addOption(
      new Option(
        '--max-time <s>',
        'time budget of each workload in seconds: no round starts after it (0: --repeats rounds only)',
      ).argParser(nonNegativeNumber),
    )
    .option(
      '--cluster <url>',
      'the cluster model: tasks through this Redis to gil-lab worker hosts (adds cluster to the models)',
    )
    .addOption(
      new Option('--cluster-hosts <n>', 'the cluster model on a local redis-server and n hosts started for the run')
        .argParser(integerAtLeast(1))
        .conflicts('cluster'),
    )
    .option('--python [path]', 'also run the workloads in a real CPython: python3 on the PATH, or the one at path')
    .option('--trace', "record the lock's timeline (on by default with --html)")
    .option('--no-trace', 'do not record it')
    .option('--json', 'print the record (machine, options, rows, timelines) as JSON instead of tables')
    .option('--html <file>', 'write a self-contained HTML report with charts')
    .option('-q, --quiet', 'nothing on stderr but errors: no progress, no notes')
    .addHelpText(
      'after',
      `
Examples:
  gil-lab compare --workload cpu --kernel countdown --workers 1,2 --gil on,off
  gil-lab compare --workload latency --workers 1,2 --switch-interval 5ms,1ms,100us
  gil-lab compare --workload cpu --models sequential,threads,processes --python
  gil-lab compare --html report.html`,
    )
    .action(async (flags: CompareFlags) => {
      checkPlans(plansOf({ ...flags, cluster: flags.clusterHosts ? 'redis://127.0.0.1' : flags.cluster }));
      if (flags.html) checkWritable(flags.html);
      // Each host can take all of a cell's tasks at once, wherever BullMQ hands them.
      const concurrency = Math.max(...(flags.workers ?? [os.availableParallelism()]));
      // A signal while the local cluster starts is heard too: the run then ends at once, and the
      // cluster's processes are stopped all the same.
      const record = await interruptible(async (signal) => {
        const local = flags.clusterHosts ? await startLocalCluster(flags.clusterHosts, concurrency) : null;
        try {
          const plans = plansOf({ ...flags, cluster: local?.url ?? flags.cluster });
          return await runLab(plans, version, { quiet: flags.quiet, name: 'gil-lab compare', signal });
        } finally {
          await local?.stop();
        }
      });
      if (flags.html) writeReport(flags.html, record, flags.quiet);
      process.stdout.write(flags.json ? `${JSON.stringify(record, null, 2)}\n` : renderRecord(record, process.stdout));
    });
}
