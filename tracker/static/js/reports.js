/*
 * Programme reports on the phone (templates/reports/new.html, and the president's home panel).
 * - Photos are made smaller before they leave the phone: each image is drawn on a canvas at most
 *   1600 px on its longer edge and sent as a JPEG (quality 0.82); videos are sent as they are.
 * - A report is put in the phone's queue (IndexedDB, with its photos) under a random key before it is
 *   sent. Sent and answered, it leaves the queue. Without network it stays there and is sent when the
 *   network returns (the "online" event, or the next page that loads this file): the server records a
 *   key once, so a report sent twice (an answer lost on the way) arrives once.
 * - Each send first fetches the form page for a fresh CSRF token (a report may wait for hours).
 * - The photos and videos go first, each in pieces of 64 KiB (POST /files/uploads, then PATCH at the offset,
 *   then POST …/finish; docs/api.md "Resumable uploads"). Where each upload is kept with the queued report;
 *   after a break the phone asks the server how much arrived (GET) and goes on from there, not from zero.
 *   The report itself is then posted with the keys of the stored files.
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
  var uploadUrl = (messages && messages.getAttribute("data-upload-url")) || "/files/uploads";
  var PIECE = 64 * 1024;
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

  function json(response) {
    return response.json().catch(function () { return {}; });
  }

  /* A refusal the phone cannot mend by sending again (4xx other than a timeout or "too many"). */
  function refusal(response, body) {
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      return { state: "refused", reason: body.error || String(response.status) };
    }
    throw new Error("server " + response.status);
  }

  function progress(item) {
    var total = 0;
    var done = 0;
    item.files.forEach(function (file, index) {
      var state = item.uploads[index] || {};
      total += file.blob.size;
      done += state.file ? file.blob.size : (state.offset || 0);
    });
    if (total) {
      say(text("uploading") + " " + Math.floor(100 * done / total) + "%", "info");
    }
  }

  /* The pieces of one file from `offset` on; `resumed`: the first piece goes on after a break. */
  function sendPieces(item, index, state, token, offset, resumed) {
    var blob = item.files[index].blob;
    if (offset >= blob.size) {
      return Promise.resolve(offset);
    }
    var headers = { "Upload-Offset": String(offset), "X-CSRFToken": token,
                    "Content-Type": "application/octet-stream", "Accept": "application/json" };
    if (resumed && offset > 0) {
      headers["Upload-Resumed"] = "1";
    }
    return fetch(state.url, { method: "PATCH", body: blob.slice(offset, offset + PIECE), headers: headers,
                              credentials: "same-origin" }).then(function (response) {
      return json(response).then(function (body) {
        if (response.ok || (response.status === 409 && typeof body.offset === "number" && !body.finished)) {
          state.offset = body.offset;  // a 409 says where the server is: go on from there
          progress(item);
          return sendPieces(item, index, state, token, body.offset, response.status === 409);
        }
        return refusal(response, body);
      });
    });
  }

  /* One file of the report sent in pieces: the key of the stored file, or a refusal. */
  function uploadFile(item, index, token) {
    item.uploads = item.uploads || [];
    var state = item.uploads[index] || (item.uploads[index] = { clientKey: item.key + "-" + index });
    var file = item.files[index];
    if (state.file) {
      return Promise.resolve(state.file);
    }
    var headers = { "X-CSRFToken": token, "Accept": "application/json" };
    var begun;
    if (state.url) {  // sent in part before a break: how much arrived?
      begun = fetch(state.url, { credentials: "same-origin", cache: "no-store", headers: headers })
        .then(function (response) {
          if (response.status === 404) {  // forgotten by the server (too old): start again
            state.url = null;
            return uploadFile(item, index, token).then(function (key) { return { done: key }; });
          }
          return json(response).then(function (body) {
            return response.ok ? { offset: body.offset, resumed: true } : refusal(response, body);
          });
        });
    } else {
      headers["Content-Type"] = "application/json";
      begun = fetch(uploadUrl, { method: "POST", credentials: "same-origin", headers: headers,
                                 body: JSON.stringify({ size: file.blob.size, name: file.name,
                                                        client_key: state.clientKey }) })
        .then(function (response) {
          return json(response).then(function (body) {
            if (!response.ok) {
              return refusal(response, body);
            }
            state.url = body.url;
            return keep(item).then(function () { return { offset: body.offset, resumed: body.offset > 0 }; });
          });
        });
    }
    return begun.then(function (start) {
      if (start.state || start.done) {
        return start.done || start;
      }
      return sendPieces(item, index, state, token, start.offset, start.resumed).then(function () {
        delete headers["Content-Type"];
        return fetch(state.url + "/finish", { method: "POST", credentials: "same-origin", headers: headers });
      }).then(function (response) {
        return json(response).then(function (body) {
          if (!response.ok) {
            return refusal(response, body);
          }
          state.file = body.file;
          return keep(item).then(function () { return body.file; });
        });
      });
    });
  }

  /* The report's files one after the other: their keys, or the first refusal. */
  function uploadAll(item, token) {
    var keys = [];
    return item.files.reduce(function (chain, file, index) {
      return chain.then(function (refused) {
        if (refused) {
          return refused;
        }
        return uploadFile(item, index, token).then(function (result) {
          if (typeof result === "string") {
            keys.push(result);
            return null;
          }
          return { state: "refused", reason: item.files[index].name + ": " + result.reason };
        });
      });
    }, Promise.resolve(null)).then(function (refused) {
      return refused || keys;
    });
  }

  /* Send one queued report: "sent" (with the report's URL), "refused" (with the reason), or a rejection
     when the network failed (the report stays queued, with how far its files got). */
  function send(item) {
    var token;
    return freshToken().then(function (fresh) {
      token = fresh;
      if (item.files.length) {
        progress(item);
      }
      return uploadAll(item, token);
    }).then(function (keys) {
      if (!Array.isArray(keys)) {
        return keys;  // a file was refused: so is the report
      }
      var data = new FormData();
      item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      data.set("csrf_token", token);
      data.set("client_key", item.key);
      data.set("uploaded_files", keys.join(" "));
      return fetch(formUrl, { method: "POST", body: data, credentials: "same-origin",
                              headers: { "Accept": "application/json" } });
    }).then(function (response) {
      if (response.state) {
        return response;
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 201 || response.status === 200) {
          return { state: "sent", url: body.url };
        }
        return refusal(response, body);
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
        return keep({ key: key, fields: fields, files: shrunk, uploads: [], created: Date.now() });
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
