// A hand-made lab record, shaped as compare() reports are (lib/lab/types.ts), for tests of
// what renders them: the CLI's tables, the demo's table and sentences, the HTML report. The
// figures are made up to look like a 2-core run; tests that render them check that the
// renderers show these figures, not what a machine would measure.
'use strict';

const machine = {
  cpu: 'Test CPU @ 3.0GHz',
  cores: 2,
  physicalCores: 2,
  loadAverage: 0.25,
  memoryGiB: 8,
  platform: 'linux-x64',
  node: 'v20.0.0',
  gilLab: '0.1.0',
  backends: ['native', 'js'],
};

const stats = (forcedSwitches) => ({
  takes: 100,
  contendedTakes: 40,
  dropRequests: forcedSwitches,
  forcedSwitches,
  voluntaryReleases: 60,
  waitMs: 12.5,
  holdMs: 480,
});

const spread = (median) => ({
  median,
  min: median * 0.95,
  max: median * 1.1,
  runs: [median * 0.95, median, median * 1.1],
});

function row({
  workload,
  model,
  gil = 'on',
  workers = 1,
  wall,
  sequential,
  kernel = 'countdown',
  size = 5_000_000,
  tasks = 2,
  backend = 'native',
  latency,
  interval = 0.005,
  flags = [],
}) {
  const speedup = sequential === undefined ? null : sequential / wall;
  // A baseline's interval is a point; the others ±2%.
  const speedupCI = speedup === null ? null : model === 'sequential' ? [1, 1] : [speedup * 0.98, speedup * 1.02];
  const taskKernel = { cpu: kernel, io: 'sleep', latency: 'pipeRoundTrips', transfer: 'sha256' }[workload];
  return {
    runtime: backend === 'cpython' ? 'cpython' : 'gil-lab',
    workload,
    kernel: taskKernel,
    size: { cpu: size, io: 50, latency: 200, transfer: 8 }[workload],
    model,
    gil,
    mode: gil === 'on' ? 'cpython' : null,
    switchInterval: gil === 'on' ? interval : null,
    backend,
    workers,
    tasks,
    wallMs: spread(wall),
    speedup,
    speedupCI,
    efficiency: speedup === null || workload === 'latency' ? null : speedup / workers,
    warmUpRuns: 3,
    flags,
    ...(latency === undefined ? {} : { latencyMs: spread(latency) }),
    ...({
      processes: { startupMs: 40 + 2.5 * workers },
      threads: { startupMs: 0.5 },
      interpreters: { startupMs: 0.75 },
    }[model] ?? {}),
    gilStats: gil === 'on' ? stats(model === 'threads' ? 90 : 0) : null,
  };
}

function cpuReport() {
  const seq = 400;
  const cpu = (model, gil, workers, wall) => row({ workload: 'cpu', model, gil, workers, wall, sequential: seq });
  return {
    machine,
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 9000,
    options: {
      workload: 'cpu',
      kernel: 'countdown',
      size: 5_000_000,
      tasks: 2,
      workers: [1, 2],
      models: ['sequential', 'threads', 'interpreters', 'processes', 'async'],
      gil: ['on', 'off'],
      mode: 'cpython',
      switchIntervals: [0.005],
      backends: ['native'],
      repeats: 5,
      maxTime: 10,
      trace: true,
    },
    calibration: {
      ceiling: [{ workers: 2, speedup: 1.9, speedupCI: [1.86, 1.94] }],
      variation: 0.03,
      noisy: false,
      warning: null,
    },
    rows: [
      cpu('sequential', 'on', 1, seq),
      cpu('sequential', 'off', 1, 396),
      cpu('threads', 'on', 1, 404),
      cpu('threads', 'on', 2, 417),
      cpu('threads', 'off', 1, 398),
      cpu('threads', 'off', 2, 206),
      cpu('interpreters', 'on', 1, 405),
      cpu('interpreters', 'on', 2, 210),
      cpu('processes', 'on', 1, 450),
      cpu('processes', 'on', 2, 232),
      cpu('async', 'on', 1, 401),
      cpu('async', 'on', 2, 402),
    ],
    warnings: [],
    timelines: [
      {
        label: 'cpu, threads, lock cpython 5 ms, 2 workers, native',
        events: [
          { backend: 'native', thread: 'worker 1', event: 'take', timeMs: 0 },
          { backend: 'native', thread: 'worker 2', event: 'wait', timeMs: 0.2 },
          { backend: 'native', thread: 'worker 2', event: 'drop-request', timeMs: 5.2 },
          { backend: 'native', thread: 'worker 1', event: 'release', timeMs: 5.3 },
          { backend: 'native', thread: 'worker 2', event: 'take', timeMs: 5.35 },
          { backend: 'native', thread: 'worker 1', event: 'wait', timeMs: 5.4 },
          { backend: 'native', thread: 'worker 1', event: 'drop-request', timeMs: 10.4 },
          { backend: 'native', thread: 'worker 2', event: 'release', timeMs: 10.5 },
          { backend: 'native', thread: 'worker 1', event: 'take', timeMs: 10.55 },
          { backend: 'native', thread: 'worker 2', event: 'wait', timeMs: 10.6 },
          { backend: 'native', thread: 'worker 1', event: 'release', timeMs: 14 },
          { backend: 'native', thread: 'worker 2', event: 'take', timeMs: 14.05 },
        ],
      },
    ],
    python: null,
  };
}

function ioReport() {
  const seq = 400;
  const io = (model, gil, wall) =>
    row({ workload: 'io', model, gil, workers: model === 'sequential' ? 1 : 8, tasks: 8, wall, sequential: seq });
  return {
    machine,
    startedAt: '2025-01-02T03:04:15.000Z',
    durationMs: 4000,
    options: { ...cpuReport().options, workload: 'io', size: 50, tasks: 8, workers: [8], trace: false },
    calibration: null,
    rows: [
      io('sequential', 'on', seq),
      io('sequential', 'off', 402),
      io('threads', 'on', 52),
      io('threads', 'off', 51),
      io('interpreters', 'on', 53),
      io('processes', 'on', 71),
      io('async', 'on', 50.5),
    ],
    warnings: [],
    timelines: [],
    python: null,
  };
}

function latencyReport() {
  // The alone measurement is the sequential row, with 0 workers beside the I/O task.
  // Speedup: alone / beside, as compare() pairs them round by round.
  const alone = { on: 0.011, off: 0.01 };
  const lat = (model, gil, workers, latency) =>
    row({
      workload: 'latency',
      model,
      gil,
      workers,
      wall: latency * 200,
      sequential: alone[gil] * 200,
      latency,
      tasks: 1,
    });
  return {
    machine,
    startedAt: '2025-01-02T03:04:20.000Z',
    durationMs: 6000,
    options: {
      ...cpuReport().options,
      workload: 'latency',
      size: 200,
      tasks: 1,
      workers: [1, 2],
      models: ['threads', 'interpreters', 'processes'],
      trace: true,
    },
    calibration: null,
    rows: [
      lat('sequential', 'on', 0, 0.011),
      lat('threads', 'on', 1, 4.6),
      lat('threads', 'on', 2, 9.8),
      lat('interpreters', 'on', 1, 0.0115),
      lat('interpreters', 'on', 2, 0.0125),
      lat('processes', 'on', 1, 0.012),
      lat('processes', 'on', 2, 0.014),
      lat('sequential', 'off', 0, 0.01),
      lat('threads', 'off', 1, 0.013),
      lat('threads', 'off', 2, 0.02),
      lat('processes', 'off', 1, 0.012),
      lat('processes', 'off', 2, 0.013),
    ],
    warnings: [],
    timelines: [
      {
        label: 'latency, threads, lock cpython 5 ms, 1 CPU thread, native',
        events: [
          { backend: 'native', thread: 'cpu 1', event: 'take', timeMs: 0 },
          { backend: 'native', thread: 'io', event: 'wait', timeMs: 0.1 },
          { backend: 'native', thread: 'io', event: 'drop-request', timeMs: 5.1 },
          { backend: 'native', thread: 'cpu 1', event: 'release', timeMs: 5.15 },
          { backend: 'native', thread: 'io', event: 'take', timeMs: 5.2 },
          { backend: 'native', thread: 'cpu 1', event: 'wait', timeMs: 5.21 },
          { backend: 'native', thread: 'io', event: 'release', timeMs: 5.22 },
          { backend: 'native', thread: 'cpu 1', event: 'take', timeMs: 5.23 },
          { backend: 'native', thread: 'io', event: 'wait', timeMs: 5.25 },
        ],
      },
    ],
    python: null,
  };
}

/** The three reports of a `gil-lab compare` run with its default workloads. */
function fixtureReports() {
  return [cpuReport(), ioReport(), latencyReport()];
}

module.exports = { fixtureReports, machine, row };
