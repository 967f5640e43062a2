#!/usr/bin/env node
// The `gil-lab` command.

import { Command, CommanderError } from 'commander';
import { info } from '../index';
import { runDemo } from './demo';
import { formatInfo } from './info';

const program = new Command('gil-lab')
  .description('Kernels in Rust and JS off the event loop, and a lab that measures what a GIL does to parallelism')
  .version(info().version)
  .showHelpAfterError()
  .exitOverride();

program
  .command('info')
  .description('which backend loaded and why, the binary, the platform, versions and cores')
  .option('--json', 'print as JSON')
  .action((options: { json?: boolean }) => {
    process.stdout.write(options.json ? `${JSON.stringify(info(), null, 2)}\n` : formatInfo(info()));
  });

program
  .command('demo', { isDefault: true })
  .description('measure, live, what threads do for CPU-bound work on this machine')
  .action(async () => {
    await runDemo(process.stdout);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`gil-lab: ${(error as Error).message ?? error}\n`);
    process.exitCode = 1;
  }
});
