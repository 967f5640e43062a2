'use strict';
const { asCompleted, wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, TimeoutError, ProcessPool } = require('gil-lab');
const { backend } = require('./support/backends');

/** A promise that settles after `ms`: fulfilled with `value`, or rejected with it when it is an Error. */
function later(ms, value) {
  return new Promise((resolve, reject) => {
    setTimeout(() => (value instanceof Error ? reject(value) : resolve(value)), ms).unref();
  });
}

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
      expect(await wait(futures, { returnWhen: ALL_COMPLETED })).toEqual({ done: new Set(futures), notDone: new Set() });
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
