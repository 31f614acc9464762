/*
 * Tangguh service worker: keeps the public verifier (/verifikasi) working with no network after the
 * first visit, without changing how the operator pages talk to their office.
 *
 * - Navigations: network first (4 s), else the cached app shell (index.html).
 * - /assets/*: Vite's content-hashed files, cache first. All of them are precached from
 *   /sw-manifest.json (written by the build) so the lazily loaded verifier chunks are there too.
 * - /api/trust/*: network first, else the cached copy, marked with x-tangguh-from-cache: 1.
 * - Every other /api/* and /sync/* request is left alone: never answered from a cache.
 */
const VERSION = 'v1';
const SHELL_CACHE = `tangguh-shell-${VERSION}`;
const ASSET_CACHE = `tangguh-assets-${VERSION}`;
const TRUST_CACHE = `tangguh-trust-${VERSION}`;
const CACHES = [SHELL_CACHE, ASSET_CACHE, TRUST_CACHE];
const SHELL_KEY = '/index.html';
const MANIFEST_URL = '/sw-manifest.json';
const NETWORK_TIMEOUT_MS = 4000;

/** Caches the shell and every built asset; drops assets a newer build no longer has. */
async function precache() {
  const shell = await fetch(SHELL_KEY, { cache: 'no-store' });
  if (shell.ok) await (await caches.open(SHELL_CACHE)).put(SHELL_KEY, shell);
  const answer = await fetch(MANIFEST_URL, { cache: 'no-store' });
  if (!answer.ok) return;
  const manifest = await answer.json();
  const wanted = new Set((manifest.assets ?? []).map((path) => new URL(path, self.location.origin).href));
  const cache = await caches.open(ASSET_CACHE);
  const have = new Set((await cache.keys()).map((request) => request.url));
  await Promise.all([...wanted].filter((url) => !have.has(url)).map((url) => cache.add(url)));
  await Promise.all([...have].filter((url) => !wanted.has(url)).map((url) => cache.delete(url)));
}

self.addEventListener('install', (event) => {
  // A failed precache (office went away mid-install) must not block the worker: pages fill the cache as they load.
  event.waitUntil(precache().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('tangguh-') && !CACHES.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('network timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function navigation(event) {
  try {
    const response = await withTimeout(fetch(event.request), NETWORK_TIMEOUT_MS);
    const isShell = response.ok && (response.headers.get('content-type') ?? '').includes('text/html');
    if (isShell) {
      const copy = response.clone();
      event.waitUntil(
        (async () => {
          const cache = await caches.open(SHELL_CACHE);
          const before = await cache.match(SHELL_KEY);
          const text = await copy.text();
          await cache.put(SHELL_KEY, new Response(text, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
          // A new build: fetch its assets now, while the network is here.
          if (!before || (await before.text()) !== text) await precache().catch(() => undefined);
        })(),
      );
    }
    return response;
  } catch (error) {
    const cached = await caches.match(SHELL_KEY, { cacheName: SHELL_CACHE });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSET_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // An unknown asset path gets the SPA's index.html from the server: never keep that as a script.
  const isHtml = (response.headers.get('content-type') ?? '').includes('text/html');
  if (response.ok && !isHtml) await cache.put(request, response.clone());
  return response;
}

async function trustNetworkFirst(request) {
  const cache = await caches.open(TRUST_CACHE);
  try {
    const response = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    // Only good answers replace the last good copy; a 5xx from a struggling office falls back to it.
    if (response.ok) {
      await cache.put(request.url, response.clone());
      return response;
    }
    if (response.status < 500) return response;
  } catch {
    // No network or no office: use the copy below.
  }
  const cached = await cache.match(request.url);
  if (!cached) return new Response(JSON.stringify({ error: 'offline' }), { status: 504, headers: { 'content-type': 'application/json' } });
  const headers = new Headers(cached.headers);
  headers.set('x-tangguh-from-cache', '1');
  return new Response(await cached.blob(), { status: cached.status, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/trust/')) {
    event.respondWith(trustNetworkFirst(request));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(event));
    return;
  }
  if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
});
