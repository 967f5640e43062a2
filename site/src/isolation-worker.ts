// The page's service worker, for static hosts that cannot set headers (GitHub Pages): it
// answers every request of the page's own origin in its scope with the network's response
// plus the headers of cross-origin isolation, so that the page, once this worker controls it
// (after one reload, see page.ts), is isolated as `gil-lab serve` makes it. Requests to other
// origins are left to the browser: the page makes none.

import { ISOLATION_HEADERS } from '../../lib/serve/isolation-headers';

/** What this worker uses of its global scope (the DOM's types have no service worker). */
interface IsolationScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(
    type: 'install' | 'activate',
    listener: (event: { waitUntil(done: Promise<unknown>): void }) => void,
  ): void;
  addEventListener(
    type: 'fetch',
    listener: (event: { request: Request; respondWith(response: Promise<Response>): void }) => void,
  ): void;
}

const scope = self as unknown as IsolationScope;

async function isolated(request: Request): Promise<Response> {
  const response = await fetch(request);
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Take over at once, and the open page with it: the page reloads as soon as this is ready.
scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));
scope.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).origin !== scope.location.origin) return;
  event.respondWith(isolated(event.request));
});
