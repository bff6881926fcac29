/* global self, caches */
/*
 * Sealroom's service worker: makes the web client installable and opens its shell without a network.
 * It caches the app shell only: the page (one HTML for every route) and its hashed assets. It never touches
 * anything else: no API answer (/config, /room_exists, /upload_file, /get_file, ...), no Socket.IO traffic, no
 * file, and nothing of the keys, which live in the page's address fragment and memory and never pass through
 * here. Requests it does not handle go to the network as if it were not there.
 */
const CACHE = 'sealroom-shell-v1';
const scope = new URL(self.registration.scope);
/** The page, under one key: it is the same document at `/`, `/r/<id>` and `/f/<id>`. */
const SHELL = scope.href;

const isPage = (url) => {
  if (url.href === SHELL) return true;
  if (!url.href.startsWith(SHELL)) return false;
  return /^[rf]\/[^/]+$/.test(url.pathname.slice(scope.pathname.length));
};
const isAsset = (url) => url.href.startsWith(SHELL) && /^(?:[rf]\/)?assets\/[^/]+$/.test(url.pathname.slice(scope.pathname.length));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.add(new Request(SHELL, { cache: 'no-cache' })))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || url.search !== '') return;
  if (request.mode === 'navigate' && isPage(url)) {
    // The network first, so that a new version shows at once; the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && response.type === 'basic') {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() => caches.match(SHELL).then((cached) => cached ?? Response.error())),
    );
  } else if (isAsset(url)) {
    // Hashed file names never change: the cache first.
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ??
          fetch(request).then((response) => {
            if (response.ok && response.type === 'basic') {
              const copy = response.clone();
              void caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});
