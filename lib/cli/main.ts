#!/usr/bin/env node
// The `gil-lab` command: demo (the default), compare, fidelity, info, worker, serve, and bench in a clone of
// the source (its suites do not ship).
//
// Errors, from a bad flag or from the run itself, print one line on stderr and exit with
// status 1; results go to stdout, progress to stderr (see terminal.ts). A closed stdout ends
// the command with status 0.

import { Command, CommanderError } from 'commander';
import { info } from '../index';
import { benchCommand, benchSuitesHere } from './bench';
import { compareCommand } from './compare';
import { demoCommand } from './demo';
import { fidelityCommand } from './fidelity';
import { infoCommand } from './info';
import { Interrupted } from './interrupt';
import { serveCommand } from './serve';
import { workerCommand } from './worker';

const { version } = info();

// A reader that has read enough closes the pipe (`gil-lab compare --json | head -1`): what is
// left to print is no longer wanted, so the command ends quietly with success, as git and ls do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
// A stderr that cannot be written has nowhere to report it; the progress and notes lost are
// no reason to stop the run, whose results go to stdout.
process.stderr.on('error', () => {});

/** Commander's messages as one line: "gil-lab compare: option '--workers <list>' argument …". */
function oneLine(command: Command) {
  return (text: string, write: (s: string) => void) => {
    const message = text
      .trim()
      .replace(/^error: /, '')
      .replace(/\s*\n\s*/g, ' ');
    write(`${command.name() === 'gil-lab' ? 'gil-lab' : `gil-lab ${command.name()}`}: ${message}\n`);
  };
}

const program = new Command('gil-lab')
  .description('Kernels in Rust and JS off the event loop, and a lab that measures what a GIL does to parallelism')
  .version(version)
  .exitOverride();

const commands = [
  demoCommand(version),
  compareCommand(version),
  fidelityCommand(version),
  ...(benchSuitesHere() ? [benchCommand()] : []),
  infoCommand(),
  workerCommand(),
  serveCommand(),
];
for (const command of commands) {
  program.addCommand(command);
}
program.configureOutput({ outputError: oneLine(program) });
let running = 'gil-lab';
program.hook('preAction', (_, action) => {
  running = `gil-lab ${action.name()}`;
});
for (const command of program.commands) command.exitOverride().configureOutput({ outputError: oneLine(command) });

// A bare `gil-lab` runs the demo; anything else names its command.
const argv = process.argv.length > 2 ? process.argv : [...process.argv, 'demo'];
program.parseAsync(argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
    return;
  }
  // SIGINT or SIGTERM aborts a run (see interrupt.ts): say so, with the shell's status for the signal.
  if (error instanceof Error && error.name === 'AbortError' && error.cause instanceof Interrupted) {
    process.stderr.write(`${running}: interrupted by ${error.cause.signal}\n`);
    process.exitCode = error.cause.exitStatus;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${running}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 1;
});
