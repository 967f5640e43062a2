// What the CLI writes to a terminal besides its results: colour, and progress bars.
//
// Results (tables, JSON) go to stdout; progress goes to stderr, and only when stderr is a
// terminal, so that `gil-lab compare --json > out.json` and CI logs stay clean. Colour is
// decided per stream: never when the stream is not a terminal (unless FORCE_COLOR asks for
// it), never when NO_COLOR is set to anything but '' (https://no-color.org), which wins.

import { SingleBar } from 'cli-progress';
import picocolors from 'picocolors';

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
  /** Where the bar is drawn; it is drawn only if this is a terminal. */
  stream?: Stream;
  quiet?: boolean;
  /** A run that ends sooner than this never shows a bar. */
  delayMs?: number;
}

/**
 * A progress bar that appears only once a run has gone on for `delayMs`, and only on a
 * terminal. `update` may be called before it appears; `stop` is safe to call at any time.
 */
export class Progress {
  private bar: SingleBar | null = null;
  private timer: NodeJS.Timeout | null = null;
  private latest = { done: 0, total: 1, label: '' };
  private readonly stream: Stream;

  constructor({ stream = process.stderr, quiet = false, delayMs = 1000 }: ProgressOptions = {}) {
    this.stream = stream;
    if (quiet || stream.isTTY !== true) return;
    this.timer = setTimeout(() => this.show(), delayMs);
    this.timer.unref();
  }

  update(done: number, total: number, label: string): void {
    this.latest = { done, total, label };
    this.bar?.setTotal(total);
    this.bar?.update(done, { label });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.bar?.stop();
    this.bar = null;
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
