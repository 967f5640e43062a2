// A cluster on this machine, for `gil-lab compare --cluster-hosts N`: Debian's redis-server
// (from the PATH) on a free loopback port, without persistence, and N `gil-lab worker` hosts
// as child processes. Everything started is stopped by its pid, also when a start fails.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export interface LocalRedis {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface LocalCluster {
  readonly url: string;
  stop(): Promise<void>;
}

/** How long a server or a host may take to be ready. */
const START_TIMEOUT_MS = 30_000;

/** A port that was free a moment ago, from the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` prints a line that matches `ready`; rejects if it exits or errs first, or takes too long. */
function whenReady(child: ChildProcess, ready: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`${what} was not ready after ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (text: string) => {
      output += text;
      if (ready.test(output)) done();
    };
    const onExit = (code: number | null) => fail(new Error(`${what} exited with code ${code}:\n${output.trim()}`));
    const onError = (error: Error) => fail(new Error(`${what} could not start: ${error.message}`));
    function detach() {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      child.stdout!.resume(); // keep draining what it prints after
    }
    function done() {
      detach();
      resolve();
    }
    function fail(error: Error) {
      detach();
      reject(error);
    }
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
    process.kill(child.pid, 'SIGTERM');
  await exited(child);
}

/** Starts redis-server on `port` (a free one if left out), as BullMQ wants it: no eviction. */
export async function startRedis(port?: number): Promise<LocalRedis> {
  const at = port ?? (await freePort());
  const args = [
    '--port',
    String(at),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await whenReady(child, /Ready to accept connections/, 'redis-server (Debian: apt-get install redis-server)');
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { port: at, url: `redis://127.0.0.1:${at}`, pid: child.pid!, stop: () => stopChild(child) };
}

/** Starts a Redis and `hosts` worker hosts, each running `concurrency` jobs at once. */
export async function startLocalCluster(hosts: number, concurrency: number): Promise<LocalCluster> {
  const redis = await startRedis();
  const main = path.join(__dirname, 'main.js');
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await redis.stop();
  };
  try {
    for (let i = 0; i < hosts; i++) {
      const child = spawn(
        process.execPath,
        [main, 'worker', '--redis', redis.url, '--concurrency', String(concurrency)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(child);
    }
    await Promise.all(
      children.map((child, i) => whenReady(child, /serving queue/, `gil-lab worker ${i + 1} of ${hosts}`)),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: redis.url, stop };
}
