// `gil-lab worker --redis URL`: a worker host of a ClusterPool's queue (see docs/cluster.md).
// It logs one line per event that matters on stdout, stops cleanly on SIGTERM or SIGINT (a
// second one puts the running jobs back in the queue at once), and exits with status 1 and a
// line naming the server when it cannot reach Redis.

import os from 'node:os';
import { Command, Option } from 'commander';
import { BACKEND_NAMES } from '../backend-names';
import { info } from '../index';
import { WorkerHost, type HostOptions } from '../pools/cluster/host';
import { DEFAULT_QUEUE } from '../pools/cluster/protocol';
import { integerAtLeast } from './options';

/** The flags as parsed: the host's options, with the server as `--redis`. */
type WorkerFlags = Omit<HostOptions, 'connection' | 'verbose' | 'log'> & { redis: string; verbose?: boolean };

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

export function workerCommand(): Command {
  return new Command('worker')
    .description("a worker host of a ClusterPool's queue on Redis (BullMQ): runs its jobs on this machine")
    .requiredOption('--redis <url>', 'the Redis server: redis://[user:password@]host:port[/db] or rediss://…')
    .option('--queue <name>', 'the queue to serve', DEFAULT_QUEUE)
    .option('--concurrency <n>', 'jobs run at once (default: the cores)', integerAtLeast(1), os.availableParallelism())
    .addOption(new Option('--backend <name>', 'whose kernels run').choices(BACKEND_NAMES).default(info().backend))
    .addOption(
      new Option('--isolate <how>', 'run jobs on threads, or on child processes')
        .choices(['threads', 'processes'])
        .default('threads'),
    )
    .option(
      '--lock-duration <ms>',
      "how long a job's lock lasts unless renewed: a dead host's job runs again after it",
      integerAtLeast(100),
      30_000,
    )
    .option('--stalled-interval <ms>', 'how often to look for jobs whose host died', integerAtLeast(100), 30_000)
    .option(
      '--max-stalled <n>',
      'how many times a job may lose its host and run again before it fails',
      integerAtLeast(0),
      1,
    )
    .option(
      '--grace <ms>',
      'on SIGTERM/SIGINT, how long running jobs may take to finish before they go back to the queue',
      integerAtLeast(0),
      10_000,
    )
    .option('--connect-timeout <ms>', 'how long to keep trying to reach Redis at start', integerAtLeast(0), 10_000)
    .option('--verbose', "log each job's start and end too")
    .action(async (flags: WorkerFlags) => {
      const host = await WorkerHost.start({ ...flags, connection: flags.redis, verbose: flags.verbose === true, log });
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        if (++signals > 1) return host.requeueRunning();
        void host.stop(signal).then(() => process.exit(0));
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
}
