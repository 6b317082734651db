/*
 * Tracker's service worker (hand-written, no library; served by the app at /sw.js, see
 * tracker/core/offline.py). It is registered twice, scoped to /attendance/ and to /agenda: it controls
 * only those pages (and the files they load); the two share the origin's caches. It keeps on the phone:
 * - the pages the server marks with the header X-Tracker-Offline (today's and tomorrow's rosters, the
 *   signed-in person's agenda and pass), fetched from the network first; without network the kept
 *   copy is shown, its <html data-served> set to "cache" so that the page shows its "offline copy
 *   from <time>" note;
 * - the static files with their content hash in the URL (?v=...), from the phone first.
 * Nothing else is stored. Signing out deletes the kept pages (offline.js); so does a page that answers
 * with the sign-in page. The settings below are filled in by the server.
 */
"use strict";

var CONFIG = /*CONFIG*/{};
var PAGES = CONFIG.pagesCache;
var STATIC = "tracker-static-" + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return cache.addAll(CONFIG.precache);
  }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("tracker-static-") === 0 && name !== STATIC;
    }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(prune).then(function () {
    return self.clients.claim();
  }));
});

function sameOrigin(url) {
  return url.origin === self.location.origin;
}

function isPage(request, url) {
  return request.method === "GET" && request.mode === "navigate" && sameOrigin(url) &&
    CONFIG.prefixes.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; });
}

function isVersionedStatic(request, url) {
  return request.method === "GET" && sameOrigin(url) && url.pathname.indexOf(CONFIG.staticPrefix) === 0 &&
    url.searchParams.has("v");
}

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (isPage(event.request, url)) {
    event.respondWith(networkFirst(event.request));
  } else if (isVersionedStatic(event.request, url)) {
    event.respondWith(cacheFirst(event.request));
  }
});

var KEPT_UNTIL = "X-Tracker-Kept-Until";  /* on the kept copy: the phone's time it may be kept until */

function expired(response) {
  var until = Number(response.headers.get(KEPT_UNTIL) || 0);
  return !(until > Date.now());
}

/* The copy to keep: the page, with the phone's time it may be kept until (the server gives seconds). */
function copyToKeep(response) {
  var seconds = Number(response.headers.get(CONFIG.header) || 0);
  var headers = new Headers({ "Content-Type": response.headers.get("Content-Type") || "text/html" });
  headers.set(KEPT_UNTIL, String(Date.now() + seconds * 1000));
  return response.clone().blob().then(function (body) {
    return new Response(body, { status: 200, headers: headers });
  });
}

function signedOut(response) {
  return response.redirected && new URL(response.url).pathname === CONFIG.loginPath;
}

/* Keep (or drop) the page the network answered; resolves when the cache is up to date. */
function remember(url, response) {
  if (signedOut(response)) {
    return caches.delete(PAGES);
  }
  return caches.open(PAGES).then(function (cache) {
    if (response.ok && response.headers.get(CONFIG.header) && !response.redirected) {
      return copyToKeep(response).then(function (copy) { return cache.put(url, copy); });
    }
    if (response.status < 500) {
      return cache.delete(url);  // no longer to be kept (or no longer this user's)
    }
    return undefined;
  });
}

function offlineCopy(cached) {
  return cached.text().then(function (html) {
    var headers = new Headers({ "Content-Type": "text/html; charset=utf-8" });
    return new Response(html.replace('data-served="network"', 'data-served="cache"'), { headers: headers });
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    return remember(request.url, response).then(function () { return response; }, function () { return response; });
  }, function (error) {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(request.url);
    }).then(function (cached) {
      if (!cached || expired(cached)) {
        throw error;
      }
      return offlineCopy(cached);
    });
  });
}

function cacheFirst(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (cached) {
      return cached || fetch(request).then(function (response) {
        if (response.ok) {
          cache.put(request, response.clone());
        }
        return response;
      });
    });
  });
}

/* Drop the kept pages whose time is over. */
function prune() {
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (request) {
        return cache.match(request).then(function (response) {
          return response && expired(response) ? cache.delete(request) : undefined;
        });
      }));
    });
  });
}

/* From a page: {type: "keep", urls: [...]} fetches and keeps those pages (one tap keeps a whole
   meeting); the answer {type: "kept", kept: n, failed: m} goes back to the page. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) {
    return;
  }
  var kept = 0;
  var failed = 0;
  var work = Promise.all(data.urls.map(function (href) {
    var url = new URL(href, self.location.origin);
    if (!sameOrigin(url)) {
      return undefined;
    }
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      return remember(url.href, response).then(function () {
        if (response.ok && response.headers.get(CONFIG.header)) {
          kept += 1;
        } else {
          failed += 1;
        }
      });
    }, function () {
      failed += 1;
    });
  })).then(prune).then(function () {
    if (event.source) {
      event.source.postMessage({ type: "kept", kept: kept, failed: failed });
    }
  });
  event.waitUntil(work);
});
