/* Service worker for the grid worker's report page (/intake/report/): the page opens without a network.
   The page itself: network first, the last good copy when offline. Static files: cache first.
   Reports written offline are kept by the page (report-queue.js), not here. */
const CACHE = "openenforce-report-v1";
const PAGE = "/intake/report/";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(
      fetch(req)
        .then((resp) => {
          if (resp.ok && !resp.redirected) {
            const copy = resp.clone();
            caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
          }
          return resp;
        })
        .catch(() => caches.match(PAGE).then((hit) => hit || Response.error()))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.match(req).then((hit) => hit || fetch(req).then((resp) => {
        if (resp.ok) {
          const copy = resp.clone();
          caches.open(CACHE).then((cache) => cache.put(req, copy));
        }
        return resp;
      }))
    );
  }
});
