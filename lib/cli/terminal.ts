// What the CLI writes besides its results: colour, and progress.
//
// Results (tables, JSON) go to stdout; progress goes to stderr, so that `gil-lab compare
// --json > out.json` stays clean: a bar on a terminal, plain lines elsewhere (a CI log, a
// pipe), so that a long run is never silent for minutes. Colour is
// decided per stream: never when the stream is not a terminal (unless FORCE_COLOR asks for
// it), never when NO_COLOR is set to anything but '' (https://no-color.org), which wins.

import { SingleBar } from 'cli-progress';
import picocolors from 'picocolors';
import { duration } from '../report/text';

export type Colors = ReturnType<typeof picocolors.createColors>;

export interface Stream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/** Whether to colour what is written to `stream`, under environment `env`. */
export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function colorsFor(stream: Stream, env: NodeJS.ProcessEnv = process.env): Colors {
  return picocolors.createColors(colorEnabled(stream, env));
}

export interface ProgressOptions {
  /** Where progress goes: a bar if this is a terminal, lines if not. */
  stream?: Stream;
  quiet?: boolean;
  /** A run that ends sooner than this shows nothing. */
  delayMs?: number;
  /** What starts each line written where the stream is not a terminal: "gil-lab compare". */
  name?: string;
}

/**
 * What a run is doing, once it has gone on for `delayMs`: on a terminal a bar; elsewhere a
 * line as each stage begins and one when it ends. `update` and `stage` may be called before
 * anything shows; `stop` is safe to call at any time.
 */
export class Progress {
  private bar: SingleBar | null = null;
  private timer: NodeJS.Timeout | null = null;
  private latest = { done: 0, total: 1, label: '' };
  private currentStage: string | null = null;
  private writingLines = false;
  private readonly startedAt = performance.now();
  private readonly stream: Stream;
  private readonly name: string;

  constructor({ stream = process.stderr, quiet = false, delayMs = 1000, name = 'gil-lab' }: ProgressOptions = {}) {
    this.stream = stream;
    this.name = name;
    if (quiet) return;
    this.timer = setTimeout(() => (stream.isTTY === true ? this.show() : this.startLines()), delayMs);
    this.timer.unref();
  }

  /** A new stage of the run (a workload, a suite), written as a line where there is no bar. */
  stage(text: string): void {
    this.currentStage = text;
    if (this.writingLines) this.line(text);
  }

  update(done: number, total: number, label: string): void {
    this.latest = { done, total, label };
    this.bar?.setTotal(total);
    this.bar?.update(done, { label });
  }

  /** The run succeeded: where lines were written, one more says what was done and how long it took. */
  finish(what: string): void {
    if (this.writingLines) this.line(`${what} in ${duration(performance.now() - this.startedAt)}`);
    this.stop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.bar?.stop();
    this.bar = null;
    this.writingLines = false;
  }

  private startLines(): void {
    this.writingLines = true;
    if (this.currentStage !== null) this.line(this.currentStage);
  }

  private line(text: string): void {
    this.stream.write(`${this.name}: ${text}\n`);
  }
  private show(): void {
    const colors = colorsFor(this.stream);
    this.bar = new SingleBar({
      stream: this.stream as NodeJS.WritableStream,
      format: `${colors.cyan('{bar}')} {value}/{total} ${colors.dim('{label}')}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      linewrap: false,
    });
    const { done, total, label } = this.latest;
    this.bar.start(total, done, { label });
  }
}
