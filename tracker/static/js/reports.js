/*
 * Programme reports on the phone (templates/reports/new.html, and the president's home panel).
 * - Photos are made smaller before they leave the phone: each image is drawn on a canvas at most
 *   1600 px on its longer edge and sent as a JPEG (quality 0.82); videos are sent as they are.
 * - A report is put in the phone's queue (IndexedDB, with its photos) under a random key before it is
 *   sent. Sent and answered, it leaves the queue. Without network it stays there and is sent when the
 *   network returns (the "online" event, or the next page that loads this file): the server records a
 *   key once, so a report sent twice (an answer lost on the way) arrives once.
 * - Each send first fetches the form page for a fresh CSRF token (a report may wait for hours).
 * No library, no CDN.
 */
(function () {
  "use strict";

  var DB_NAME = "tracker-reports";
  var STORE = "queue";
  var MAX_EDGE = 1600;
  var QUALITY = 0.82;
  var form = document.getElementById("report-form");
  var status = document.getElementById("report-queue-status");
  var messages = form || document.querySelector("[data-report-queue]");
  var formUrl = messages ? messages.getAttribute("data-form-url") : null;
  var flushing = false;
  var retryTimer = null;
  var retryDelay = 3000;  // after a failed send: 3 s, then twice as long each time, up to a minute

  if (!window.indexedDB || !formUrl) {
    return;
  }

  function text(name) {
    return (messages && messages.getAttribute("data-" + name)) || "";
  }

  function say(message, kind, link) {
    if (!status) {
      return;
    }
    status.className = "report-queue-status flash flash-" + (kind || "info");
    status.textContent = message;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = " →";
      status.appendChild(a);
    }
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function queued() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function keep(item) { return withStore("readwrite", function (store) { store.put(item); }); }
  function forget(key) { return withStore("readwrite", function (store) { store.delete(key); }); }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* A photo drawn again at most MAX_EDGE px on its longer edge, as a JPEG blob; anything else as it is. */
  function shrink(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve({ name: file.name, blob: file });
    }
    return window.createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve({ name: file.name.replace(/\.[^.]*$/, "") + ".jpg", blob: blob || file });
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () {
      return { name: file.name, blob: file };  // the server checks it and says what is wrong
    });
  }

  function freshToken() {
    return fetch(formUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) {
        throw new Error("form " + response.status);
      }
      return response.text();
    }).then(function (html) {
      var found = /name="csrf_token"[^>]*value="([^"]+)"/.exec(html) || /value="([^"]+)"[^>]*name="csrf_token"/.exec(html);
      return found ? found[1] : "";
    });
  }

  /* Send one queued report: "sent" (with the report's URL), "refused" (with the reason), or a rejection
     when the network failed (the report stays queued). */
  function send(item) {
    return freshToken().then(function (token) {
      var data = new FormData();
      item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      data.set("csrf_token", token);
      data.set("client_key", item.key);
      item.files.forEach(function (file) { data.append("files", file.blob, file.name); });
      return fetch(formUrl, { method: "POST", body: data, credentials: "same-origin",
                              headers: { "Accept": "application/json" } });
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 201 || response.status === 200) {
          return { state: "sent", url: body.url };
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          return { state: "refused", reason: body.error || String(response.status) };
        }
        throw new Error("server " + response.status);
      });
    });
  }

  function flush(ownKey) {
    if (flushing) {
      return Promise.resolve(null);
    }
    flushing = true;
    var ownResult = null;
    return queued().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          return send(item).then(function (result) {
            if (item.key === ownKey) {
              ownResult = result;
            } else if (result.state === "sent") {
              say(text("sent-later"), "success", result.url);
            } else {
              say(text("refused") + " " + result.reason, "error");
            }
            return forget(item.key);
          });
        });
      }, Promise.resolve());
    }).then(function () {
      retryDelay = 3000;
    }).catch(function () {
      retryLater();  // no network (or the server is away): what is left stays queued and is tried again
    }).then(function () {
      flushing = false;
      return ownResult;
    });
  }

  /* The "online" event is not enough: it may come before requests pass again (or never, on a weak signal). */
  function retryLater() {
    if (retryTimer) {
      return;
    }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush(null);
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      if (!form.checkValidity || form.checkValidity()) {
        event.preventDefault();
      } else {
        return;
      }
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      var key = newKey();
      var fields = [];
      var input = form.querySelector("input[type=file]");
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string" && name !== "csrf_token" && name !== "client_key") {
          fields.push([name, value]);
        }
      });
      var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
      say(text("resizing"), "info");
      Promise.all(files.map(shrink)).then(function (shrunk) {
        return keep({ key: key, fields: fields, files: shrunk, created: Date.now() });
      }).then(function () {
        say(text("sending"), "info");
        if (navigator.onLine === false) {
          retryLater();
          return null;
        }
        return flush(key);
      }).then(function (result) {
        if (button) { button.disabled = false; }
        if (result && result.state === "sent") {
          window.location.assign(result.url);
        } else if (result && result.state === "refused") {
          say(text("refused") + " " + result.reason, "error");
        } else {
          form.reset();
          say(text("queued"), "warning");
        }
      });
    });
  }

  window.addEventListener("online", function () { flush(null); });
  if (navigator.onLine !== false) {
    flush(null);
  }
}());
