// Service worker of the patient mini-app: the app's own files are fetched from the network
// first (so an update shows at once) and kept in a cache, which answers when the server cannot
// be reached — the app still opens, and drafts typed then are kept and sent later. API calls
// (/v1/...) are never cached.

const CACHE = "hm-app-v1";
const SHELL = [
  "./", "css/app.css", "js/main.js", "js/api.js", "js/chat.js", "js/cards.js", "js/delivery.js",
  "js/dom.js", "js/i18n.js", "js/texts.js", "js/outbox.js", "js/records.js", "js/care.js",
  "js/speech.js", "js/ranges.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (!url.pathname.startsWith(new URL("./", self.registration.scope).pathname)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: true }).then((hit) => hit || Response.error())),
  );
});
