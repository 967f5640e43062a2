'use strict';
// ClusterPool and `gil-lab worker` with their real parts: Debian's redis-server on a loopback
// port and hosts as child processes of the built CLI (see support/cluster.js). The hosts run
// one job at a time and run a dead host's job again within 3 s, so that faults show quickly.
const { Queue } = require('bullmq');
const {
  ClusterPool,
  AbortError,
  NoHostError,
  RedisUnavailableError,
  WorkerExitedError,
  compare,
  info,
  kernels,
} = require('gil-lab');
const { gilLab } = require('./support/cli');
const { backend } = require('./support/backends');
const { freePort, startRedis, startHost, QUICK_STALLS } = require('./support/cluster');

const FOREVER = 2 ** 31 - 1; // countPrimes of this runs for minutes: only an abort or a death ends it
const HOST_ARGS = ['--concurrency', '1', ...QUICK_STALLS, '--grace', '300'];

/** Resolves once `pool` sees `count` live hosts. */
async function hostsUp(pool, count) {
  for (let i = 0; i < 200; i++) {
    if ((await pool.hosts()).length === count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${count} hosts did not come up`);
}

/** The lines a host logged from index `from` on that match `pattern`. */
const linesOf = (host, pattern, from = 0) => host.lines.slice(from).filter((line) => pattern.test(line));

describe(`ClusterPool and gil-lab worker (${backend} backend)`, () => {
  let redis;
  let hosts;
  let pool;

  beforeAll(async () => {
    redis = await startRedis();
    hosts = await Promise.all([startHost(redis.url, HOST_ARGS), startHost(redis.url, HOST_ARGS)]);
    pool = new ClusterPool({ connection: redis.url });
    await hostsUp(pool, 2);
  });

  afterAll(async () => {
    await pool?.shutdown({ cancelFutures: true });
    for (const host of hosts ?? []) host.signal('SIGKILL');
    await Promise.all((hosts ?? []).map((host) => host.exited));
    await redis?.stop();
  });

  test('a map of 100 tasks across two hosts gives the results of sync calls, typed arrays intact', async () => {
    const from = hosts.map((host) => host.lines.length);
    const items = Array.from({ length: 100 }, (_, i) => {
      const a = Float64Array.from({ length: 16 }, (_, j) => i + j / 7);
      const b = Float64Array.from({ length: 16 }, (_, j) => i * j - 3.5);
      return [a, b, 4];
    });
    const results = await pool.map('matmul', items);
    expect(results).toHaveLength(100);
    results.forEach((result, i) => {
      expect(result.constructor.name).toBe('Float64Array');
      expect(result).toEqual(kernels.matmulSync(...items[i]));
    });
    hosts.forEach((host, i) => expect(linesOf(host, /done in/, from[i]).length).toBeGreaterThan(0));
    const digest = await pool.submit('sha256', new TextEncoder().encode('abc'));
    expect(digest.constructor.name).toBe('Uint8Array');
    expect(Buffer.from(digest).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    await expect(pool.submit('nbody', 10)).resolves.toEqual(kernels.nbodySync(10));
  });

  test("a kernel's error comes back with its class, name, code and message; bad input fails here", async () => {
    const missing = '/nonexistent/gil-lab-cluster-test';
    const local = await kernels.readFile(missing).catch((error) => error);
    const remote = await pool.submit('readFile', missing).catch((error) => error);
    expect(remote.constructor).toBe(local.constructor);
    expect({ name: remote.name, code: remote.code, message: remote.message }).toEqual({
      name: local.name,
      code: local.code,
      message: local.message,
    });
    await expect(pool.submit('countPrimes', -1)).rejects.toThrow(
      new RangeError('limit must be an integer from 0 to 2147483647; got -1'),
    );
    await expect(pool.submit('nope', 1)).rejects.toThrow(/kernel must be one of/);
    await expect(pool.map('countPrimes', [1, 'two'])).rejects.toThrow(TypeError);
  });

  test('an abort of a running task rejects within 100 ms and frees its host; a queued job leaves the queue', async () => {
    const from = hosts.map((host) => host.lines.length);
    const controller = new AbortController();
    const running = pool.submit('countPrimes', FOREVER, { signal: controller.signal });
    const started = await Promise.race(
      hosts.map((host, i) => host.waitForLine(/started: countPrimes/, { from: from[i] }).then(() => i)),
    );
    const abortedAt = performance.now();
    controller.abort();
    await expect(running).rejects.toThrow(AbortError);
    expect(performance.now() - abortedAt).toBeLessThan(100);
    await hosts[started].waitForLine(/cancelled by its submitter/, { from: from[started] });

    // Both hosts free again: each takes one of two endless jobs; a third waits in the queue
    // until its abort removes it.
    const marks = hosts.map((host) => host.lines.length);
    const busy = new AbortController();
    const endless = [
      pool.submit('countPrimes', FOREVER, { signal: busy.signal }),
      pool.submit('countPrimes', FOREVER, { signal: busy.signal }),
    ];
    await Promise.all(hosts.map((host, i) => host.waitForLine(/started: countPrimes/, { from: marks[i] })));
    const queue = new Queue('gil-lab', { connection: { url: redis.url } });
    try {
      const waiting = new AbortController();
      const queued = pool.submit('countPrimes', 30, { signal: waiting.signal });
      await until(async () => (await queue.getWaitingCount()) === 1);
      waiting.abort();
      await expect(queued).rejects.toThrow(AbortError);
      await until(async () => (await queue.getWaitingCount()) === 0);
    } finally {
      await queue.close();
    }
    busy.abort();
    for (const future of endless) await expect(future).rejects.toThrow(AbortError);
    await Promise.all(hosts.map((host, i) => host.waitForLine(/cancelled by its submitter/, { from: marks[i] })));
    expect(hosts.flatMap((host, i) => linesOf(host, /job .*-\d+ started: countPrimes/, marks[i]))).toHaveLength(2);
  });

  test('with no host alive, tasks reject with a NoHostError after noHostTimeout', async () => {
    const lonely = new ClusterPool({ connection: redis.url, queue: 'nobody-serves-this', noHostTimeout: 500 });
    try {
      const error = await lonely.submit('countPrimes', 10).catch((e) => e);
      expect(error).toBeInstanceOf(NoHostError);
      expect(error.code).toBe('ERR_GIL_LAB_NO_HOST');
      expect(error.message).toContain(`gil-lab worker --redis ${redis.url} --queue nobody-serves-this`);
    } finally {
      await lonely.shutdown();
    }
    await expect(lonely.hosts()).rejects.toMatchObject({ code: 'ERR_GIL_LAB_POOL_SHUT_DOWN' });
    await expect(lonely.submit('countPrimes', 10)).rejects.toMatchObject({ code: 'ERR_GIL_LAB_POOL_SHUT_DOWN' });
  });

  test('a host with --isolate processes runs jobs in child processes; a job past --max-stalled fails with a WorkerExitedError', async () => {
    const host = await startHost(redis.url, [
      '--queue',
      'isolated',
      '--isolate',
      'processes',
      ...HOST_ARGS,
      '--max-stalled',
      '0',
    ]);
    const isolated = new ClusterPool({ connection: redis.url, queue: 'isolated', backend: info().backend });
    try {
      const a = Float64Array.from([1, 2, 3, 4]);
      const product = await isolated.submit('matmul', a, a, 2);
      expect(product.constructor.name).toBe('Float64Array');
      expect(product).toEqual(kernels.matmulSync(a, a, 2));
      // With --max-stalled 0, the first death of its host fails the job; a second host finds it stalled.
      const mark = host.lines.length;
      const doomed = isolated.submit('sleep', 5000);
      await host.waitForLine(/started: sleep/, { from: mark });
      const finder = await startHost(redis.url, ['--queue', 'isolated', ...HOST_ARGS, '--max-stalled', '0']);
      host.signal('SIGKILL');
      const error = await doomed.catch((e) => e);
      expect(error).toBeInstanceOf(WorkerExitedError);
      expect(error.message).toMatch(/was given up: the hosts that ran it stopped answering .* --max-stalled/);
      await expect(isolated.submit('countPrimes', 100)).resolves.toBe(25);
      finder.signal('SIGTERM');
      expect(await finder.exited).toEqual({ code: 0, signal: null });
    } finally {
      await isolated.shutdown({ cancelFutures: true });
      host.signal('SIGKILL');
    }
  }, 30_000);

  test('Redis down or a wrong URL: clear errors that name the server; bad options fail before any work', async () => {
    const port = await freePort();
    const down = new ClusterPool({ connection: `redis://127.0.0.1:${port}`, redisTimeout: 300 });
    try {
      const error = await down.submit('countPrimes', 10).catch((e) => e);
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(error.code).toBe('ERR_GIL_LAB_REDIS_UNAVAILABLE');
      expect(error.message).toMatch(new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port} .*ECONNREFUSED`));
      await expect(down.submit('countPrimes', 10)).rejects.toThrow(RedisUnavailableError);
      await expect(down.hosts()).rejects.toThrow(RedisUnavailableError);
    } finally {
      await down.shutdown();
    }
    const worker = await gilLab(['worker', '--redis', `redis://127.0.0.1:${port}`, '--connect-timeout', '300']);
    expect(worker.status).toBe(1);
    expect(worker.stderr).toMatch(
      new RegExp(`^gil-lab worker: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    const wrong = await gilLab(['worker', '--redis', 'http://127.0.0.1:6379']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('--redis must be a redis:// or rediss:// URL');

    expect(() => new ClusterPool()).toThrow(TypeError);
    expect(() => new ClusterPool({})).toThrow(
      'options.connection must be a redis:// URL or ioredis options; got undefined',
    );
    expect(() => new ClusterPool({ connection: 'http://x' })).toThrow(RangeError);
    expect(() => new ClusterPool({ connection: 5 })).toThrow(TypeError);
    expect(() => new ClusterPool({ connection: redis.url, queue: 'a:b' })).toThrow(RangeError);
    expect(() => new ClusterPool({ connection: redis.url, maxWorkers: 0 })).toThrow(RangeError);
    expect(() => new ClusterPool({ connection: redis.url, redisTimeout: -1 })).toThrow(RangeError);
  });

  test("compare()'s cluster model times the workload through the hosts; --cluster-hosts starts and stops its own", async () => {
    const options = {
      workload: 'cpu',
      kernel: 'countPrimes',
      size: 1000,
      tasks: 4,
      workers: [2],
      backends: [info().backend],
      repeats: 1,
    };
    const report = await compare({ ...options, models: ['threads', 'cluster'], cluster: { connection: redis.url } });
    const cluster = report.rows.find((row) => row.model === 'cluster');
    expect(cluster).toMatchObject({ workers: 2, tasks: 4, gilStats: null });
    expect(cluster.wallMs.median).toBeGreaterThan(0);
    expect(report.options.cluster).toEqual({ server: redis.url, queue: 'gil-lab' });
    await expect(compare({ ...options, models: ['cluster'] })).rejects.toThrow(
      'options.models: the cluster model needs options.cluster',
    );

    const args = [
      '--workload',
      'io',
      '--size',
      '1',
      '--tasks',
      '2',
      '--workers',
      '1',
      '--models',
      'cluster',
      '--cluster-hosts',
      '1',
    ];
    const run = await gilLab(['compare', ...args, '--repeats', '1', '--json', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.rows.map((row) => row.model)).toEqual(expect.arrayContaining(['sequential', 'cluster']));
    expect(record.runs[0].options.cluster.server).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const bad = await gilLab(['compare', '--models', 'cluster']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--models: the cluster model needs --cluster/);
  }, 60_000);

  test('a Redis restart mid-run leaves no promise pending, and the pool works after', async () => {
    const from = hosts.map((host) => host.lines.length);
    const futures = Array.from({ length: 6 }, () => pool.submit('sleep', 400));
    await Promise.race(hosts.map((host, i) => host.waitForLine(/started: sleep/, { from: from[i] })));
    await redis.stop();
    redis = await startRedis(redis.port);
    const settled = await Promise.allSettled(futures);
    expect(settled.map((s) => s.status)).toEqual(futures.map(() => 'fulfilled'));
    await Promise.all(hosts.map((host, i) => host.waitForLine(/reconnected to Redis/, { from: from[i] })));
    await hostsUp(pool, 2);
    await expect(pool.map('countPrimes', [10, 100, 1000])).resolves.toEqual([4, 25, 168]);
  }, 60_000);

  test('a host SIGKILLed mid-task loses no task: its job runs again on the other host', async () => {
    const from = hosts.map((host) => host.lines.length);
    const futures = [pool.submit('sleep', 1500), pool.submit('sleep', 1500)];
    await Promise.all(hosts.map((host, i) => host.waitForLine(/started: sleep/, { from: from[i] })));
    const [killed, survivor] = hosts;
    killed.signal('SIGKILL');
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await expect(Promise.all(futures)).resolves.toEqual([undefined, undefined]);
    expect(linesOf(survivor, /done in/, from[1])).toHaveLength(2);
    hosts[0] = await startHost(redis.url, HOST_ARGS);
  }, 30_000);

  test('a host exits on SIGTERM; the job it ran goes back to the queue and runs on the other host', async () => {
    await hostsUp(pool, 2);
    const from = hosts.map((host) => host.lines.length);
    const future = pool.submit('sleep', 1500);
    const first = await Promise.race(
      hosts.map((host, i) => host.waitForLine(/started: sleep/, { from: from[i] }).then(() => i)),
    );
    const [stopping, other] = [hosts[first], hosts[1 - first]];
    stopping.signal('SIGTERM');
    expect(await stopping.exited).toEqual({ code: 0, signal: null });
    expect(linesOf(stopping, /went back to the queue/, from[first])).toHaveLength(1);
    expect(stopping.lines.at(-1)).toMatch(/stopped$/);
    await expect(future).resolves.toBeUndefined();
    expect(linesOf(other, /done in/, from[1 - first])).toHaveLength(1);
    other.signal('SIGTERM');
    expect(await other.exited).toEqual({ code: 0, signal: null });
  }, 30_000);
});

/** Polls `condition` until it holds, for up to 5 s. */
async function until(condition) {
  for (let i = 0; i < 250; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not met in 5 s: ${condition}`);
}
