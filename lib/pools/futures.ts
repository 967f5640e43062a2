// Python's `concurrent.futures.as_completed` and `wait`, for promises: the futures of this
// API are the promises that `submit` returns. Both hand back the caller's own promise
// objects, so that one can tell which task finished (`await` one to get its result or error).
// Watching a promise here marks its rejection as handled. Timeouts are in milliseconds.

import { TimeoutError } from '../errors';
import { checkString, optionsObject, rangeError, typeError, typeName } from '../args';

export const FIRST_COMPLETED = 'FIRST_COMPLETED';
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
export const ALL_COMPLETED = 'ALL_COMPLETED';
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

export interface WaitOptions {
  /** When to return; default ALL_COMPLETED. FIRST_EXCEPTION returns at the first rejection, else when all are done. */
  returnWhen?: ReturnWhen;
  /** Return after this many ms even if the condition is not met (`wait`), or throw a TimeoutError (`asCompleted`). */
  timeout?: number;
}

/** `F`: the type of the caller's futures, which come back as they went in. */
export interface WaitResult<F extends PromiseLike<unknown> = Promise<unknown>> {
  /** Every promise that had settled, fulfilled or rejected, when `wait` returned — those settled before the call included. */
  done: Set<F>;
  /** The promises still pending when `wait` returned. */
  notDone: Set<F>;
}

function checkFutures<F extends PromiseLike<unknown>>(futures: Iterable<F>): F[] {
  if (
    futures === null ||
    typeof futures !== 'object' ||
    typeof (futures as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw typeError(`futures must be an iterable of promises; got ${typeName(futures)}`);
  }
  // Each future once, as Python's functions take a set.
  const unique = [...new Set(futures)];
  unique.forEach((future, i) => {
    if (future === null || typeof (future as PromiseLike<unknown> | undefined)?.then !== 'function') {
      throw typeError(`futures[${i}] must be a promise; got ${typeName(future)}`);
    }
  });
  return unique;
}

/** The longest timer Node keeps: a longer one would fire after 1 ms. */
const TIMEOUT_MAX_MS = 2 ** 31 - 1;

/** A timeout in ms, or undefined for none (left out, or Infinity). */
function checkTimeout(timeout: unknown): number | undefined {
  if (timeout === undefined || timeout === Infinity) return undefined;
  if (typeof timeout !== 'number') throw typeError(`options.timeout must be a number; got ${typeName(timeout)}`);
  if (!(timeout >= 0 && timeout <= TIMEOUT_MAX_MS)) {
    throw rangeError(
      `options.timeout must be a number of ms from 0 to ${TIMEOUT_MAX_MS}, or Infinity; got ${String(timeout)}`,
    );
  }
  return timeout;
}

function checkOptions(options: unknown): WaitOptions {
  return optionsObject('options', options);
}

/** Calls `onSettle(future, rejected)` as each future settles. */
function watch<F extends PromiseLike<unknown>>(futures: F[], onSettle: (future: F, rejected: boolean) => void): void {
  for (const future of futures) {
    Promise.resolve(future).then(
      () => onSettle(future, false),
      () => onSettle(future, true),
    );
  }
}

/**
 * The futures, each as it settles: `for await (const f of asCompleted(fs)) await f`.
 * With `timeout`, the iteration throws a TimeoutError if they are not all done by then.
 */
export function asCompleted<F extends PromiseLike<unknown>>(
  futures: Iterable<F>,
  options?: { timeout?: number },
): AsyncIterableIterator<F> {
  const list = checkFutures(futures);
  const timeout = checkTimeout(checkOptions(options).timeout);
  const deadline = timeout === undefined ? undefined : performance.now() + timeout;
  const settled: F[] = [];
  let wake: (() => void) | null = null;
  let yielded = 0;
  watch(list, (future) => {
    settled.push(future);
    wake?.();
  });

  const iterator: AsyncIterableIterator<F> = {
    async next(): Promise<IteratorResult<F>> {
      if (yielded === list.length) return { done: true, value: undefined };
      if (settled.length === yielded) {
        await new Promise<void>((resolve, reject) => {
          const timer =
            deadline === undefined
              ? undefined
              : setTimeout(
                  () =>
                    reject(
                      new TimeoutError(
                        `${list.length - yielded} of ${list.length} futures were not done after ${timeout} ms`,
                      ),
                    ),
                  Math.max(0, deadline - performance.now()),
                );
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
      }
      return { done: false, value: settled[yielded++] };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * Waits until the futures meet `returnWhen` (default ALL_COMPLETED), or `timeout` ms pass,
 * and resolves with the sets of those done and not done. It never rejects on a future's
 * behalf: look into `done` for errors.
 */
export function wait<F extends PromiseLike<unknown>>(
  futures: Iterable<F>,
  options?: WaitOptions,
): Promise<WaitResult<F>> {
  let list: F[];
  let timeout: number | undefined;
  let returnWhen: ReturnWhen;
  try {
    list = checkFutures(futures);
    const checked = checkOptions(options);
    timeout = checkTimeout(checked.timeout);
    const given =
      checked.returnWhen === undefined ? ALL_COMPLETED : checkString('options.returnWhen', checked.returnWhen);
    if (given !== FIRST_COMPLETED && given !== FIRST_EXCEPTION && given !== ALL_COMPLETED) {
      throw rangeError(`options.returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED; got ${given}`);
    }
    returnWhen = given;
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve) => {
    const done = new Set<F>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finishing = false;
    let finished = false;
    const finish = () => {
      finished = true;
      clearTimeout(timer);
      resolve({ done: new Set(done), notDone: new Set(list.filter((f) => !done.has(f))) });
    };
    // A promise's state cannot be read, only awaited: the futures that had settled before the
    // call report it in microtasks, one after another. Returning once the microtasks have run
    // puts every one of them in `done`, as Python's wait does with futures already finished.
    const finishSoon = () => {
      if (finishing) return;
      finishing = true;
      setImmediate(finish);
    };
    const met = (rejected: boolean) =>
      done.size === list.length ||
      (returnWhen === FIRST_COMPLETED && done.size > 0) ||
      (returnWhen === FIRST_EXCEPTION && rejected);
    if (list.length === 0) return finish();
    if (timeout !== undefined) timer = setTimeout(finish, timeout);
    watch(list, (future, rejected) => {
      if (finished) return;
      done.add(future);
      if (met(rejected)) finishSoon();
    });
  });
}
