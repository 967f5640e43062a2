// The web server of `gil-lab serve`: the page in dist/site, on loopback by default, with the
// headers that make it cross-origin isolated (COOP same-origin + COEP require-corp). Without
// them a browser hides SharedArrayBuffer, and neither the JS lock nor a threaded wasm build runs.
//
// It serves the files of one folder and nothing else: a request's path is decoded once,
// normalized, joined to the folder, and the real path of what it names (links followed) must
// still lie inside the folder's real path, whatever dots, escapes or links the URL holds.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ISOLATION_HEADERS } from './isolation-headers';

/** The headers of every answer: cross-origin isolation, and no guessing of types. */
export const SITE_HEADERS: Readonly<Record<string, string>> = {
  ...ISOLATION_HEADERS,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The real path of the file `urlPath` names inside `root` (a real path), or null when it names none. */
function fileOf(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const joined = path.join(root, path.posix.normalize(`/${decoded}`));
  let real: string;
  try {
    real = fs.realpathSync(joined);
    if (fs.statSync(real).isDirectory()) real = fs.realpathSync(path.join(real, 'index.html'));
  } catch {
    return null;
  }
  const inside = real === root || real.startsWith(root + path.sep);
  return inside && fs.statSync(real).isFile() ? real : null;
}

function answer(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SITE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}

/** A server of the files under `folder`; not listening yet. */
export function createSiteServer(folder: string): http.Server {
  const root = fs.realpathSync(folder);
  return http.createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      answer(response, 405, 'method not allowed');
      return;
    }
    const urlPath = (request.url ?? '/').split(/[?#]/, 1)[0];
    const file = fileOf(root, urlPath);
    if (file === null) {
      answer(response, 404, 'not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(200, { ...SITE_HEADERS, 'Content-Type': type, 'Content-Length': fs.statSync(file).size });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    fs.createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  });
}
