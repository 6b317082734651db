/*
 * The phone's copy of pages for a hall without network (tracker/core/offline.py says what is kept).
 * - A page that may be kept (<body data-service-worker="/sw.js?scope=…" data-service-worker-scope="/attendance/">)
 *   registers the service worker with the scope of its part of the site: /attendance/ (rosters, passes)
 *   or /agenda (the agenda and its sessions). No other page is ever controlled by a worker; a worker
 *   registered for the whole site ("/") by an older version of this file is unregistered.
 * - A page that may be kept (<html data-served>) asks the browser to keep the site's storage
 *   (persistent storage: Android then does not evict the pages and the queue of marks) and, when no
 *   worker controlled it yet (just after signing in), asks the worker to keep it once it is ready.
 * - A button [data-keep-offline='["/url", ...]'] keeps all those pages with one tap (a whole
 *   meeting); its status element [data-keep-status] says how many were kept.
 * - Signing out (form.logout-form) and any page shown signed out (<body data-forget-pages>) delete
 *   the kept pages: a shared phone shows nothing of the last user. Signing out also unregisters the
 *   workers (the next user's first kept page registers them again).
 */
(function () {
  "use strict";

  var body = document.body;
  /* Pages opened before the worker took control, to keep once it is ready (sessionStorage, see below). */
  var PENDING = "tracker-keep-pending";
  var pagesCache = body.getAttribute("data-forget-pages");

  function forgetPages(name) {
    if (!window.caches || !name) {
      return Promise.resolve();
    }
    return window.caches.delete(name).catch(function () { return false; });
  }

  if (pagesCache) {
    forgetPages(pagesCache);
  }

  var workers = "serviceWorker" in navigator ? navigator.serviceWorker : null;

  /* Unregister the workers whose scope is in ``scopes`` (full URLs), or all of them. */
  function unregister(scopes) {
    if (!workers || !workers.getRegistrations) {
      return Promise.resolve();
    }
    return workers.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.filter(function (registration) {
        return !scopes || scopes.indexOf(registration.scope) >= 0;
      }).map(function (registration) {
        return registration.unregister();
      }));
    }).catch(function () { return null; });
  }

  unregister([window.location.origin + "/"]);  // the whole site: an older version's scope

  /* Signing out: the kept pages are deleted and the workers unregistered before the form goes. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("logout-form") || form.__forgotten) {
      return;
    }
    event.preventDefault();
    form.__forgotten = true;
    try {
      window.sessionStorage.removeItem(PENDING);
    } catch (e) { /* private mode: nothing was listed */ }
    var name = body.getAttribute("data-pages-cache") || "tracker-pages";
    function go() { form.submit(); }
    Promise.all([forgetPages(name), unregister(null)]).then(go, go);
  });

  var workerUrl = body.getAttribute("data-service-worker");
  var scope = body.getAttribute("data-service-worker-scope");
  if (!workerUrl || !scope || !workers) {
    return;
  }

  function askPersistentStorage() {
    if (!navigator.storage || !navigator.storage.persist) {
      return Promise.resolve(false);
    }
    return navigator.storage.persisted().then(function (already) {
      return already || navigator.storage.persist();
    }).catch(function () { return false; });
  }

  function keep(urls) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        function answered(event) {
          if (event.data && event.data.type === "kept") {
            navigator.serviceWorker.removeEventListener("message", answered);
            resolve(event.data);
          }
        }
        navigator.serviceWorker.addEventListener("message", answered);
        registration.active.postMessage({ type: "keep", urls: urls });
      });
    });
  }

  workers.register(workerUrl, { scope: scope }).catch(function () { return null; });

  /* Pages opened before the worker took control (the first minute after signing in) are listed in the
     tab's sessionStorage and kept as soon as the worker is ready, even if the person moved on. */

  function pending() {
    try {
      return JSON.parse(window.sessionStorage.getItem(PENDING) || "[]");
    } catch (e) {
      return [];
    }
  }

  function setPending(urls) {
    try {
      if (urls.length) {
        window.sessionStorage.setItem(PENDING, JSON.stringify(urls));
      } else {
        window.sessionStorage.removeItem(PENDING);
      }
    } catch (e) { /* private mode: the page is kept only while it stays open */ }
  }

  /* Whether this page came through the worker (which kept it): a page whose load began before the
     worker was active is not, even if the worker controls it by now. */
  function loadedThroughWorker() {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    if (entries.length && typeof entries[0].workerStart === "number") {
      return entries[0].workerStart > 0;
    }
    return !!navigator.serviceWorker.controller;
  }

  if (document.documentElement.hasAttribute("data-served")) {
    askPersistentStorage();
    var here = window.location.href.split("#")[0];
    var list = pending();
    if (!loadedThroughWorker() && list.indexOf(here) < 0) {
      list.push(here);
      setPending(list);
    }
  }
  var waiting = pending();
  if (waiting.length) {
    keep(waiting).then(function () {
      setPending(pending().filter(function (url) { return waiting.indexOf(url) < 0; }));
    });
  }

  var keepButton = document.querySelector("[data-keep-offline]");
  if (keepButton) {
    var status = document.querySelector("[data-keep-status]");
    keepButton.hidden = false;
    keepButton.addEventListener("click", function () {
      var urls = JSON.parse(keepButton.getAttribute("data-keep-offline") || "[]");
      keepButton.setAttribute("aria-busy", "true");
      askPersistentStorage().then(function () {
        return keep(urls);
      }).then(function (result) {
        keepButton.removeAttribute("aria-busy");
        if (status) {
          var text = result.failed ? status.getAttribute("data-failed") : status.getAttribute("data-done");
          status.textContent = text.replace("{kept}", String(result.kept)).replace("{failed}", String(result.failed));
        }
      });
    });
  }
})();
