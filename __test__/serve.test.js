// `gil-lab serve`: the page's files with the headers of cross-origin isolation and their
// content types, nothing outside the page's folder however the path is spelled, a clear
// error for a bad port, and a clean stop on SIGINT and SIGTERM with a connection still open.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { ROOT } = require('./support/backends');
const { gilLab } = require('./support/cli');
const { startServe } = require('./support/serve');

const SITE = path.join(ROOT, 'dist', 'site');

/** A GET (or `method`) of `rawPath` sent as written, not normalized by a URL parser. */
function request(port, rawPath, { method = 'GET', agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function exited(child) {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('gil-lab serve', () => {
  let server;
  beforeAll(async () => {
    server = await startServe();
  });
  afterAll(() => server?.child.kill('SIGKILL'));

  test('prints its URL on loopback and serves the page with the isolation headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await request(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(page.body).toBe(fs.readFileSync(path.join(SITE, 'index.html'), 'utf8'));
  });

  // With the wasm backend's files where the site was built with the wasm build (`npm run build:wasm`).
  const wasmInSite = fs.existsSync(path.join(SITE, 'gil-lab.wasm32-wasi.wasm'));
  test.each([
    ['/index.html', 'text/html; charset=utf-8'],
    ['/page.js', 'text/javascript; charset=utf-8'],
    ['/lab-worker.js?v=1', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/_headers', 'application/octet-stream'],
    ...(wasmInSite
      ? [
          ['/gil-lab.wasm32-wasi.wasm', 'application/wasm'],
          ['/wasi-worker-browser.mjs', 'text/javascript; charset=utf-8'],
          ['/wasm-host.js', 'text/javascript; charset=utf-8'],
        ]
      : []),
  ])('%s is served as %s, whole, with the headers', async (file, type) => {
    const res = await request(server.port, file);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(Number(res.headers['content-length'])).toBe(fs.statSync(path.join(SITE, file.split('?')[0])).size);
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test.each([
    '/../package.json',
    '/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E%2Fpackage.json',
    '/..%2f..%2fpackage.json',
    '/%252e%252e/package.json',
    '/..%5cpackage.json',
    '/..\\package.json',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/....//package.json',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/no-such-file.js',
    '/../site/../../package.json',
  ])('%s is not found, and nothing outside the folder leaks', async (raw) => {
    const res = await request(server.port, raw);
    expect(res.status).toBe(404);
    expect(res.body).not.toMatch(/"name"|root:/);
  });

  test('a link inside the folder to a file outside it is not followed out', async () => {
    const link = path.join(SITE, `outside-${process.pid}.json`);
    fs.symlinkSync(path.join(ROOT, 'package.json'), link);
    try {
      expect((await request(server.port, `/${path.basename(link)}`)).status).toBe(404);
    } finally {
      fs.rmSync(link);
    }
  });

  test('only GET and HEAD', async () => {
    const head = await request(server.port, '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await request(server.port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  test('a port out of range is refused before anything starts', async () => {
    const { status, stderr } = await gilLab(['serve', '--port', '70000']);
    expect(status).toBe(1);
    expect(stderr).toMatch(/gil-lab serve: .*--port.*70000/);
  });

  test.each(['SIGINT', 'SIGTERM'])('%s stops it with status 0, a keep-alive connection open', async (signal) => {
    const own = await startServe();
    const agent = new http.Agent({ keepAlive: true });
    expect((await request(own.port, '/', { agent })).status).toBe(200);
    const done = exited(own.child);
    own.child.kill(signal);
    expect(await done).toEqual({ code: 0, signal: null });
    agent.destroy();
  });
});
