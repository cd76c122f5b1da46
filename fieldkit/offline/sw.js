// fieldkit service worker. Served by /sw.js (fieldkit/offline/sw.py), which puts the server's CONFIG
// before it: the cache name, which changes with every static file and form, the shell to keep, and
// every URL by name (offline/scripts.py), so that this file holds no address of its own.
// Pages: network first, then the cached copy, then the offline page. Static files: cache first.
// POST and every other method go straight to the network: the outbox sends, never the worker.
const { cache: CACHE, cache_prefix: PREFIX, shell: SHELL, urls: URLS } = CONFIG;
// Not a URL of the server: the key under which the cache keeps when it last fetched the forms.
const META_URL = "/__fieldkit/precache";
const HEADERS = { "X-Requested-With": "fieldkit" };
const NAVIGATION_TIMEOUT_MS = 6000;
const REFRESH_AFTER_MS = 15 * 60 * 1000;

// A URL template of the server ("/forms/{form_id}/new") as a test of paths, any value in its places.
function matcher(template) {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+");
  const pattern = new RegExp(`^${escaped}$`);
  return (path) => pattern.test(path);
}
// A URL template with its one place filled.
const filled = (template, value) => template.replace(/\{\w+\}/, encodeURIComponent(value));

const isFormPage = matcher(URLS.form_page);
// An edit page the officer opened is kept too, so the record can be edited offline.
const isEditPage = matcher(URLS.edit_page);
const isOneDefinition = matcher(URLS.form_definition);
const isFormDefinition = (path) => path === URLS.forms || isOneDefinition(path);
const keptPage = (path) => isFormPage(path) || isEditPage(path) || SHELL.includes(path);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
    // The new version holds every form before it replaces the old one (see activate).
    await precacheForms(cache, { carryOver: true });
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type !== "precache") return;
  event.waitUntil((async () => {
    // A page that loaded while this worker was activating missed the first claim: take it now.
    await self.clients.claim();
    let result;
    try {
      result = await refresh(message.user || "");
    } catch (error) {
      result = { forms: 0, fetched: 0, online: false, error: String(error) };
    }
    if (event.source) event.source.postMessage({ type: "precached", ...result });
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === URLS.worker) return;
  if (request.mode === "navigate") event.respondWith(navigate(request, url.pathname, url.search));
  else if (url.pathname.startsWith(URLS.static)) event.respondWith(cacheFirst(request));
  else if (isFormDefinition(url.pathname)) event.respondWith(networkFirst(request, url.pathname));
});

async function cached(key) {
  const cache = await caches.open(CACHE);
  return (await cache.match(key, { ignoreVary: true, ignoreSearch: true }))
    || caches.match(key, { ignoreVary: true, ignoreSearch: true });
}

function usable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

async function keep(key, response) {
  if (!usable(response)) return;
  const cache = await caches.open(CACHE);
  await cache.put(key, response);
}

function timeout(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms, null));
}

async function navigate(request, path, search) {
  const network = fetch(request).then(async (response) => {
    // A page opened by a link with values (?date=…) is not the form's page: keep only the plain one.
    if (keptPage(path) && !search) await keep(path, response.clone());
    return response;
  });
  // Answered below (the race, or the cached copy): this only keeps a late failure from being "unhandled".
  network.catch(() => {});
  try {
    // On a weak signal do not leave the officer staring at a blank page: a cached copy after 6 s.
    const first = await Promise.race([network, timeout(NAVIGATION_TIMEOUT_MS)]);
    if (first) return first;
    return (await cached(path)) || (await network);
  } catch {
    return (await cached(path)) || (await cached(URLS.offline)) || Response.error();
  }
}

async function cacheFirst(request) {
  const hit = await cached(request);
  if (hit) return hit;
  const response = await fetch(request);
  await keep(request, response.clone());
  return response;
}

async function networkFirst(request, path) {
  try {
    const response = await fetch(request);
    await keep(path, response.clone());
    return response;
  } catch {
    return (await cached(path)) || Response.error();
  }
}

// Each form's page and its definition (asked for as the API wants: with its header).
function formUrls(listing) {
  const forms = Array.isArray(listing) ? listing : listing.forms || listing.items || [];
  const urls = [];
  for (const form of forms) {
    urls.push({ url: filled(URLS.form_page, form.id), headers: {} });
    urls.push({ url: filled(URLS.form_definition, form.id), headers: HEADERS });
  }
  return urls;
}

// Every form of the user's commune: its page and its definition with the choices resolved.
async function precacheForms(cache, { carryOver = false } = {}) {
  const done = new Set();
  let listing = null;
  try {
    const response = await fetch(URLS.forms, { headers: HEADERS, cache: "no-store" });
    if (usable(response)) {
      listing = await response.clone().json();
      await cache.put(URLS.forms, response);
    }
  } catch { /* offline or logged out: keep what we had */ }
  if (listing) {
    await Promise.all(formUrls(listing).map(async ({ url, headers }) => {
      try {
        const response = await fetch(url, { headers, cache: "no-store" });
        if (usable(response)) {
          await cache.put(url, response);
          done.add(url);
        }
      } catch { /* carried over below */ }
    }));
  }
  if (carryOver) await carryOverForms(cache, done);
  return { forms: listing ? formUrls(listing).length / 2 : 0, fetched: done.size, online: Boolean(listing) };
}

// An update must never cost the forms already on the phone: copy what could not be fetched now.
async function carryOverForms(cache, done) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      const path = new URL(request.url).pathname;
      const wanted = isFormPage(path) || isEditPage(path) || isFormDefinition(path) || path === META_URL;
      if (wanted && !done.has(path) && !(await cache.match(path, { ignoreVary: true }))) {
        await cache.put(path, await old.match(request, { ignoreVary: true }));
      }
    }
  }
}

// After a login (or a new user on the same phone) fetch every form again; otherwise at most
// every 15 minutes, so that a page load costs one small request at most.
async function refresh(user) {
  const cache = await caches.open(CACHE);
  const metaResponse = await cache.match(META_URL);
  const meta = metaResponse ? await metaResponse.json() : {};
  if (meta.user === user && Date.now() - meta.at < REFRESH_AFTER_MS) {
    return { forms: meta.forms, fetched: 0, online: true, fresh: true };
  }
  const result = await precacheForms(cache);
  if (result.online) {
    // The outbox and offline pages too, so that they show this user's menu.
    try {
      await cache.addAll(SHELL.filter((url) => !url.startsWith(URLS.static)));
    } catch { /* offline again: the next refresh tries */ }
    const body = JSON.stringify({ user, at: Date.now(), forms: result.forms });
    await cache.put(META_URL, new Response(body, { headers: { "Content-Type": "application/json" } }));
  }
  return result;
}
