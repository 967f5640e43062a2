// Running compare() from the CLI: every run's options checked first, then one run per
// workload, one after another, with progress on stderr, until `signal` aborts (a SIGINT or
// SIGTERM: see interrupt.ts), joined into one record.

import fs from 'node:fs';
import path from 'node:path';
import { PythonError } from '../errors';
import { compare, resolveCompareOptions } from '../lab/compare';
import type { CompareOptions, CompareReport } from '../lab/types';
import { renderHtml } from '../report/html';
import { combine, runtimeVersions, type LabRecord } from '../report/record';
import { count } from '../report/text';
import { Progress } from './terminal';

/** The flag that sets each option of compare(), to name in its error messages. */
const FLAGS: Partial<Record<keyof CompareOptions, string>> = {
  workload: '--workload',
  kernel: '--kernel',
  size: '--size',
  tasks: '--tasks',
  workers: '--workers',
  models: '--models',
  cluster: '--cluster',
  gil: '--gil',
  mode: '--mode',
  switchIntervals: '--switch-interval',
  backends: '--backends',
  repeats: '--repeats',
  maxTime: '--max-time',
  python: '--python',
};

/**
 * Checks every plan as compare() will, before any of them runs, so that a bad second
 * workload does not waste the first one's minutes. Its messages name flags, not options.
 */
export function checkPlans(plans: CompareOptions[]): void {
  for (const plan of plans) {
    try {
      resolveCompareOptions(plan);
    } catch (error) {
      // A python that is missing or not executable: one message, the same for every plan.
      if (error instanceof PythonError) throw error;
      const e = error as Error;
      const message = e.message.replace(
        /options\.(\w+)(\[\d+\])?/g,
        (text, name: keyof CompareOptions) => FLAGS[name] ?? text,
      );
      throw new (e instanceof TypeError ? TypeError : RangeError)(
        plans.length > 1 ? `${plan.workload}: ${message}` : message,
      );
    }
  }
}

export interface LabRunOptions {
  quiet?: boolean;
  /** The command, to name in progress lines: "gil-lab compare". */
  name?: string;
  signal: AbortSignal;
}

/** Runs `plans` in order through compare(), showing progress, until `signal` aborts. */
export async function runLab(
  plans: CompareOptions[],
  version: string,
  { quiet, name, signal }: LabRunOptions,
): Promise<LabRecord> {
  checkPlans(plans);
  const progress = new Progress({ quiet, name });
  const reports: CompareReport[] = [];
  try {
    for (const [i, plan] of plans.entries()) {
      const step = plans.length > 1 ? `${i + 1}/${plans.length} ${plan.workload}: ` : '';
      progress.stage(`measuring ${plan.workload}${plans.length > 1 ? ` (${i + 1} of ${plans.length})` : ''}`);
      reports.push(
        await compare({
          ...plan,
          signal,
          onProgress: ({ done, total, label }) => progress.update(done, total, `${step}${label}`),
        }),
      );
    }
    progress.finish(`${count(plans.length, 'workload')} measured`);
  } finally {
    progress.stop();
  }
  return combine(reports, runtimeVersions(version));
}

/** Fails early, before any measuring, where the report could not be written. */
export function checkWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new Error(`cannot write ${file}: ${dir} is not a writable folder`);
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error(`cannot write ${file}: it is a folder`);
}

export function writeReport(file: string, record: LabRecord, quiet = false): void {
  const html = renderHtml(record);
  fs.writeFileSync(file, html);
  if (!quiet) process.stderr.write(`wrote ${file} (${Math.round(Buffer.byteLength(html) / 1024)} KiB)\n`);
}
