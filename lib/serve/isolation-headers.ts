// The headers that make a page cross-origin isolated, so that the browser gives it
// SharedArrayBuffer (the JS lock) and shared wasm memory (the wasm build's threads). Both
// `gil-lab serve` and the page's service worker (site/src/isolation-worker.ts) send them.

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
