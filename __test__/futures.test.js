'use strict';
const { spawnSync } = require('node:child_process');
const {
  asCompleted,
  wait,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
  TimeoutError,
  ProcessPool,
} = require('gil-lab');
const { backend } = require('./support/backends');

/** A promise that settles after `ms`: fulfilled with `value`, or rejected with it when it is an Error. */
function later(ms, value) {
  return new Promise((resolve, reject) => {
    setTimeout(() => (value instanceof Error ? reject(value) : resolve(value)), ms).unref();
  });
}

// Python's concurrent.futures on the same scenarios, when python3 is here: each future is
// "ok" or "err" (settled before the call), "later" (settles 20 ms into the call) or "never".
// Every scenario's outcome is fixed by the documented behaviour, not by timing: a "never"
// future is only ever waited for through a timeout.
const python = spawnSync('python3', ['--version']).status === 0;
const PYTHON_SCENARIOS = `
import concurrent.futures as cf, json, sys, threading
def make(kind):
    f = cf.Future()
    if kind == 'ok': f.set_result(kind)
    elif kind == 'err': f.set_exception(ValueError(kind))
    elif kind == 'later': threading.Timer(0.02, f.set_result, [kind]).start()
    return f
out = []
for s in json.loads(sys.argv[1]):
    fs = [make(k) for k in s['futures']]
    timeout = s.get('timeout')
    if s['call'] == 'wait':
        done, _ = cf.wait(fs, timeout=None if timeout is None else timeout / 1000, return_when=s['returnWhen'])
        out.append(sorted(i for i, f in enumerate(fs) if f in done))
    else:
        seen = []
        try:
            for f in cf.as_completed(fs, timeout=None if timeout is None else timeout / 1000):
                seen.append(fs.index(f))
        except cf.TimeoutError:
            seen.append('timeout')
        out.append(seen)
print(json.dumps(out))
`;

/** A future of the kind named, as PYTHON_SCENARIOS makes it; a rejected one is marked handled. */
function makeFuture(kind) {
  if (kind === 'ok') return Promise.resolve(kind);
  if (kind === 'err') {
    const rejected = Promise.reject(new Error(kind));
    rejected.catch(() => {});
    return rejected;
  }
  if (kind === 'later') return later(20, kind);
  return new Promise(() => {});
}

/** What gil-lab's wait/asCompleted give for a scenario, in the shape PYTHON_SCENARIOS prints. */
async function runScenario({ call, futures: kinds, returnWhen, timeout }) {
  const futures = kinds.map(makeFuture);
  if (call === 'wait') {
    const { done } = await wait(futures, { returnWhen, timeout });
    return futures.flatMap((f, i) => (done.has(f) ? [i] : []));
  }
  const seen = [];
  try {
    for await (const f of asCompleted(futures, { timeout })) seen.push(futures.indexOf(f));
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    seen.push('timeout');
  }
  return seen;
}

// Each with the outcome Python documents: wait's `done` holds every future finished when it
// returns; as_completed yields the finished ones first, then the others as they finish.
const SCENARIOS = [
  [{ call: 'wait', futures: ['ok', 'ok', 'ok'], returnWhen: 'FIRST_COMPLETED' }, [0, 1, 2]],
  [{ call: 'wait', futures: ['never', 'ok', 'err'], returnWhen: 'FIRST_COMPLETED' }, [1, 2]],
  [{ call: 'wait', futures: ['ok', 'err', 'ok', 'never'], returnWhen: 'FIRST_EXCEPTION' }, [0, 1, 2]],
  [{ call: 'wait', futures: ['ok', 'ok', 'never'], returnWhen: 'FIRST_EXCEPTION', timeout: 50 }, [0, 1]],
  [{ call: 'wait', futures: ['ok', 'err', 'never'], returnWhen: 'ALL_COMPLETED', timeout: 0 }, [0, 1]],
  [{ call: 'wait', futures: ['never', 'later'], returnWhen: 'FIRST_COMPLETED' }, [1]],
  [{ call: 'wait', futures: ['later', 'ok', 'err'], returnWhen: 'ALL_COMPLETED' }, [0, 1, 2]],
  [{ call: 'asCompleted', futures: ['later', 'ok'] }, [1, 0]],
  [{ call: 'asCompleted', futures: ['ok', 'never'], timeout: 50 }, [0, 'timeout']],
];

describe(`futures helpers (${backend} backend)`, () => {
  describe('asCompleted', () => {
    test('yields the caller’s own promises in the order they settle, rejected ones included', async () => {
      const slow = later(60, 'slow');
      const failed = later(30, new Error('boom'));
      const fast = later(5, 'fast');
      const order = [];
      for await (const future of asCompleted([slow, failed, fast])) {
        order.push(future);
        if (future === failed) await expect(future).rejects.toThrow('boom');
      }
      expect(order).toEqual([fast, failed, slow]);
      expect(await order[0]).toBe('fast');
    });

    test('yields each promise once, and nothing for none', async () => {
      const p = later(1, 1);
      const seen = [];
      for await (const f of asCompleted([p, p, Promise.resolve(2)])) seen.push(await f);
      expect(seen).toEqual([2, 1]);
      for await (const f of asCompleted([])) throw new Error(`yielded ${f}`);
    });

    test('with timeout, throws a TimeoutError once the time is up with futures still pending', async () => {
      const seen = [];
      const iterate = async () => {
        for await (const f of asCompleted([later(5, 'a'), later(5000, 'b')], { timeout: 50 })) seen.push(await f);
      };
      await expect(iterate()).rejects.toBeInstanceOf(TimeoutError);
      await expect(iterate()).rejects.toThrow('1 of 2 futures were not done after 50 ms');
      expect(seen).toEqual(['a', 'a']);
    });

    test('checks its arguments', () => {
      expect(() => asCompleted(5)).toThrow('futures must be an iterable of promises; got number');
      expect(() => asCompleted([Promise.resolve(), 3])).toThrow('futures[1] must be a promise; got number');
      expect(() => asCompleted([], { timeout: -1 })).toThrow(RangeError);
    });

    test('drives pool futures: the short task comes out first', async () => {
      const pool = new ProcessPool({ maxWorkers: 2 });
      try {
        const stop = new AbortController();
        const endless = pool.submit('countPrimes', 2 ** 31 - 1, { signal: stop.signal });
        const short = pool.submit('countPrimes', 100);
        const order = [];
        for await (const f of asCompleted([endless, short])) {
          order.push(await f.catch((e) => e.name));
          stop.abort();
        }
        expect(order).toEqual([25, 'AbortError']);
      } finally {
        await pool.shutdown();
      }
    });
  });

  describe('wait', () => {
    test('ALL_COMPLETED (the default) returns when every future has settled', async () => {
      const futures = [later(5, 1), later(20, new Error('x')), later(40, 3)];
      const { done, notDone } = await wait(futures);
      expect(done).toEqual(new Set(futures));
      expect(notDone.size).toBe(0);
      expect(await wait(futures, { returnWhen: ALL_COMPLETED })).toEqual({
        done: new Set(futures),
        notDone: new Set(),
      });
    });

    test('FIRST_COMPLETED returns at the first one to settle', async () => {
      const fast = later(5, 'fast');
      const slow = later(300, 'slow');
      const { done, notDone } = await wait([slow, fast], { returnWhen: FIRST_COMPLETED });
      expect([...done]).toEqual([fast]);
      expect([...notDone]).toEqual([slow]);
    });

    test('FIRST_EXCEPTION returns at the first rejection, or when all are done', async () => {
      const ok = later(5, 'ok');
      const bad = later(30, new Error('bad'));
      const slow = later(400, 'slow');
      const first = await wait([ok, bad, slow], { returnWhen: FIRST_EXCEPTION });
      expect(first.done).toEqual(new Set([ok, bad]));
      expect(first.notDone).toEqual(new Set([slow]));
      const allFine = await wait([later(5, 1), later(10, 2)], { returnWhen: FIRST_EXCEPTION });
      expect(allFine.done.size).toBe(2);
    });

    test('timeout returns what is done by then', async () => {
      const fast = later(5, 1);
      const slow = later(5000, 2);
      const started = Date.now();
      const { done, notDone } = await wait([fast, slow], { timeout: 50 });
      expect(Date.now() - started).toBeLessThan(1000);
      expect([...done]).toEqual([fast]);
      expect([...notDone]).toEqual([slow]);
    });

    test('done holds every future settled when it returns, those settled before the call included', async () => {
      const settled = [Promise.resolve(1), Promise.resolve(2), Promise.resolve(3)];
      const first = await wait(settled, { returnWhen: FIRST_COMPLETED });
      expect(first.done).toEqual(new Set(settled));
      expect(first.notDone.size).toBe(0);
      // A promise that adopts another settles a few microtasks later than a plain one: still done.
      const adopting = Promise.resolve().then(() => Promise.resolve('adopted'));
      const pending = new Promise(() => {});
      const { done, notDone } = await wait([pending, adopting, ...settled], { returnWhen: FIRST_COMPLETED });
      expect(done).toEqual(new Set([adopting, ...settled]));
      expect(notDone).toEqual(new Set([pending]));
    });

    test.each(SCENARIOS)('as Python documents: %j', async (scenario, expected) => {
      expect(await runScenario(scenario)).toEqual(expected);
    });

    (python ? test : test.skip)('CPython’s concurrent.futures gives the same on every scenario', () => {
      const out = spawnSync('python3', ['-c', PYTHON_SCENARIOS, JSON.stringify(SCENARIOS.map(([s]) => s))], {
        encoding: 'utf8',
      });
      expect(out.stderr).toBe('');
      expect(JSON.parse(out.stdout)).toEqual(SCENARIOS.map(([, expected]) => expected));
    });

    test('checks its arguments', async () => {
      await expect(wait([], { returnWhen: 'SOMETIME' })).rejects.toThrow(
        new RangeError('options.returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED; got SOMETIME'),
      );
      await expect(wait([], { timeout: '1' })).rejects.toThrow('options.timeout must be a number; got string');
      await expect(wait(null)).rejects.toThrow(TypeError);
      expect(await wait([])).toEqual({ done: new Set(), notDone: new Set() });
    });
  });
});
