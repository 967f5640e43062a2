// A real CPython beside the emulation: the interpreter is found, started once with the driver
// script the package ships (python/driver.py, standard library only), and driven over its
// stdin and stdout, one JSON object a line, one request at a time.
//
// Whatever the interpreter does, the caller gets an answer or a PythonError, never a hang: a
// request that is not answered in time, a child that dies, or a line that is not a reply
// fails the driver — its process group is killed (ProcessPoolExecutor's children with it) and
// every request, pending or later, rejects with the same error.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AbortError, PythonError, describeExit } from '../../errors';
import type { PythonInfo } from '../types';

/** The driver's entry point, in the package's python/ folder. */
export const DRIVER_SCRIPT = path.join(__dirname, '..', '..', '..', 'python', 'driver.py');
/** The oldest Python the driver runs on. */
export const MINIMUM_PYTHON = '3.8';
/** How long an interpreter gets to start and say hello (a pyenv shim on a busy machine is slow). */
const START_TIMEOUT_MS = 30_000;
/** How long it gets to exit after it is told to, before it is killed. */
const EXIT_GRACE_MS = 5_000;
/** The most of its stderr kept to explain a failure. */
const STDERR_TAIL = 2_000;
/** A line longer than this is not a reply. */
const MAX_LINE = 1 << 20;

interface Hello {
  hello: 'gil-lab-driver';
  ok: boolean;
  version: string;
  executable: string;
  minimum?: string;
  implementation?: string;
  free_threaded_build?: boolean;
  gil_enabled?: boolean;
  switch_interval?: number;
  start_method?: string;
}

interface Pending {
  op: string;
  resolve(reply: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

function labelOf(hello: Hello): string {
  const name = hello.implementation === 'cpython' ? 'CPython' : (hello.implementation ?? 'Python');
  return `${name} ${hello.version}${hello.gil_enabled === false ? ', no GIL' : ''}`;
}

/**
 * The interpreter `python` names, checked before it is started: a path must be an executable
 * file; a bare name (`python3`) must be one on the PATH. Throws a PythonError naming it.
 */
export function locatePython(python: string): string {
  if (python.includes('/') || python.includes(path.sep)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(python);
    } catch {
      throw new PythonError(`python ${python}: no such file`, 'ERR_GIL_LAB_PYTHON_NOT_FOUND');
    }
    if (!stat.isFile()) throw new PythonError(`python ${python}: not a file`, 'ERR_GIL_LAB_PYTHON_NOT_EXECUTABLE');
    try {
      fs.accessSync(python, fs.constants.X_OK);
    } catch {
      throw new PythonError(`python ${python}: not executable`, 'ERR_GIL_LAB_PYTHON_NOT_EXECUTABLE');
    }
    return path.resolve(python);
  }
  const extensions = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = path.join(dir, python + extension);
      try {
        if (fs.statSync(candidate).isFile()) {
          fs.accessSync(candidate, fs.constants.X_OK);
          return candidate;
        }
      } catch {
        // not here, or not executable: look further along the PATH
      }
    }
  }
  throw new PythonError(`python ${python}: not found on the PATH`, 'ERR_GIL_LAB_PYTHON_NOT_FOUND');
}

export class PythonDriver {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = '';
  private stderr = '';
  private failure: PythonError | null = null;
  private readonly exited: Promise<void>;
  /** Who it is, once it said hello. */
  info!: PythonInfo;

  private constructor(
    private readonly command: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /**
   * Starts `python` (a bare name on the PATH or a path) on the driver script and waits for its
   * hello. Rejects with a PythonError — not found, not executable, too old, or failed to start
   * the driver — that names the interpreter.
   */
  static async start(
    python: string,
    { script = DRIVER_SCRIPT, signal }: { script?: string; signal?: AbortSignal } = {},
  ): Promise<PythonDriver> {
    const executable = locatePython(python);
    // Its own process group: a failure kills ProcessPoolExecutor's children with the driver.
    const child = spawn(executable, ['-s', '-B', script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const driver = new PythonDriver(python, child);
    const hello = await driver.listen(signal);
    if (!hello.ok) {
      await driver.close();
      throw new PythonError(
        `python ${python} is Python ${hello.version} (${hello.executable}); gil-lab's driver needs Python ${hello.minimum ?? MINIMUM_PYTHON} or later`,
        'ERR_GIL_LAB_PYTHON_TOO_OLD',
      );
    }
    driver.info = {
      command: python,
      executable: hello.executable,
      version: hello.version,
      implementation: hello.implementation ?? 'unknown',
      freeThreadedBuild: hello.free_threaded_build === true,
      gilEnabled: hello.gil_enabled !== false,
      switchInterval: hello.switch_interval ?? 0.005,
      startMethod: hello.start_method ?? 'unknown',
      label: labelOf(hello),
    };
    return driver;
  }

  /** Wires the child's streams, and resolves to its hello. */
  private listen(signal?: AbortSignal): Promise<Hello> {
    const { child } = this;
    return new Promise<Hello>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(`did not start gil-lab's driver within ${START_TIMEOUT_MS / 1000} s`),
        START_TIMEOUT_MS,
      );
      // The hello is the reply to a request of id 0 that nobody sent.
      this.pending.set(0, { op: 'start', resolve: (hello) => resolve(hello as unknown as Hello), reject, timer });
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => this.receive(chunk));
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
      });
      // A dead child makes writes to its stdin fail: the exit below says why.
      child.stdin!.on('error', () => {});
      child.once('error', (error) => this.fail(`could not be started: ${error.message}`));
      child.once('exit', (code, sig) => {
        if (this.pending.size > 0 || this.failure === null) this.fail(describeExit(code, sig));
      });
      signal?.addEventListener('abort', () => this.abort(signal.reason), { once: true });
    });
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    for (let newline = this.buffered.indexOf('\n'); newline >= 0; newline = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      this.answer(line);
      if (this.failure) return;
    }
    if (this.buffered.length > MAX_LINE)
      this.fail(`printed a line of more than ${MAX_LINE} characters, which is not a reply`);
  }

  private answer(line: string): void {
    let reply: unknown;
    try {
      reply = JSON.parse(line);
    } catch {
      reply = undefined;
    }
    const record =
      typeof reply === 'object' && reply !== null && !Array.isArray(reply) ? (reply as Record<string, unknown>) : null;
    const id = record === null ? undefined : record.hello === 'gil-lab-driver' ? 0 : record.id;
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!record || !pending) {
      this.fail(`printed what is not a reply of gil-lab's driver: ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
    this.pending.delete(id as number);
    clearTimeout(pending.timer);
    if (id === 0 || record.ok === true) pending.resolve(record);
    else
      pending.reject(
        new PythonError(`${this.name()}: ${pending.op} failed: ${String(record.error)}`, 'ERR_GIL_LAB_PYTHON_FAILED'),
      );
  }

  private name(): string {
    return this.info ? `${this.info.label} (${this.command})` : `python ${this.command}`;
  }

  /** Fails the driver for good: every request rejects with one error, and the child is killed. */
  private fail(why: string): void {
    if (this.failure) return;
    const stderr = this.stderr.trim().split('\n').slice(-3).join(' | ');
    this.failure = new PythonError(
      `${this.name()} ${why}${stderr ? `; its stderr: ${stderr}` : ''}`,
      'ERR_GIL_LAB_PYTHON_FAILED',
    );
    this.settleAll(this.failure);
    this.kill();
  }

  private abort(reason: unknown): void {
    if (this.failure) return;
    this.failure = new PythonError(`${this.name()} was stopped: the run was aborted`, 'ERR_GIL_LAB_PYTHON_FAILED');
    this.settleAll(new AbortError(reason));
    this.kill();
  }

  private settleAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(error);
    }
  }

  /** Kills the driver's process group: the driver and any child it left. */
  private kill(): void {
    const { pid } = this.child;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /**
   * Sends one request and resolves to its reply; rejects with a PythonError when the request
   * fails, when no reply comes within `timeoutMs` (the driver is then stopped), or when the
   * driver has failed.
   */
  request<T extends object>(
    op: string,
    fields: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => this.abort(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      const timer = setTimeout(
        () => this.fail(`did not answer ${op} within ${Math.round(timeoutMs / 1000)} s; stopped it`),
        timeoutMs,
      );
      this.pending.set(id, {
        op,
        timer,
        resolve: (reply) => {
          done();
          resolve(reply as T);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      this.child.stdin!.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  /** The child's pid, while it runs. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Tells the driver to exit and waits for it; kills it if it does not within a few seconds. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (!this.failure) this.failure = new PythonError(`${this.name()} was closed`, 'ERR_GIL_LAB_PYTHON_FAILED');
      this.child.stdin!.end(`${JSON.stringify({ op: 'exit' })}\n`);
      const grace = setTimeout(() => this.kill(), EXIT_GRACE_MS);
      await this.exited;
      clearTimeout(grace);
    }
    // Its ProcessPoolExecutor's children, should any outlive it.
    this.kill();
  }
}
