/*
 * Attendance roster: filter by name as you type, and scan QR passes with the
 * phone camera. The browser's BarcodeDetector is used where it exists; else the
 * vendored jsQR library (vendor/jsqr/jsQR.js) is loaded on first use. A scan
 * only fills the pass-code form and submits it. With IndexedDB, every mark (the
 * one-tap "Present" and the person's panel) and the pass codes go through the
 * offline queue (below); without it, htmx posts them (marking is an upsert, so a
 * repeated scan is harmless). Offline, "More" builds the panel on the phone.
 */
(function () {
  "use strict";

  var SAME_CODE_PAUSE_MS = 4000;
  var FRAME_INTERVAL_MS = 200;

  /* ---------------------------------------------------------------- */
  /* Filter the roster by name                                        */
  /* ---------------------------------------------------------------- */
  function filterRoster(input) {
    var needle = input.value.trim().toLowerCase();
    document.querySelectorAll("[data-roster-group]").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll(".att-row[data-search]").forEach(function (row) {
        var show = !needle || row.getAttribute("data-search").indexOf(needle) !== -1;
        row.hidden = !show;
        if (show) {
          visible += 1;
        }
      });
      group.hidden = visible === 0;
    });
  }

  document.addEventListener("input", function (evt) {
    if (evt.target instanceof HTMLInputElement && evt.target.hasAttribute("data-roster-filter")) {
      filterRoster(evt.target);
    }
  });

  /* ---------------------------------------------------------------- */
  /* Keyboard and screen reader                                       */
  /* ---------------------------------------------------------------- */
  // After a mark, htmx replaces the whole row: put the focus back on the same control (by id) or,
  // when it is gone (a button of the closed panel), on the row's "More" button, so that a keyboard
  // or screen reader user goes on from the row and not from the top of the page.
  var rowFocus = null;

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var target = evt.detail.target;
    var active = document.activeElement;
    if (target && target.classList && target.classList.contains("att-row") && active && target.contains(active)) {
      rowFocus = { rowId: target.id, controlId: active.id || "" };
    }
  });

  document.addEventListener("htmx:afterSettle", function (evt) {
    var target = evt.detail.target;
    if (!rowFocus || !target || target.id !== rowFocus.rowId) {
      return;
    }
    var row = document.getElementById(rowFocus.rowId);
    var controlId = rowFocus.controlId;
    rowFocus = null;
    if (!row) {
      return;
    }
    if (!row.contains(document.activeElement)) {
      var control = controlId ? document.getElementById(controlId) : null;
      if (!control || !row.contains(control)) {
        control = row.querySelector(".att-more") || row.querySelector("button") || row;
      }
      control.focus({ preventScroll: true });
    }
    // The whole row (its name too) in view, below the sticky counts (the row's scroll-margin-top).
    row.scrollIntoView({ block: "nearest" });
    announce(row);
  });

  // One live region for the outcome of a mark ("प्रवीण शर्मा: उपस्थित ✓ सहेजा गया"): a region that is
  // itself swapped in is not reliably read out.
  function announce(row) {
    var live = document.getElementById("att-live");
    var name = row.querySelector(".att-name");
    var state = row.querySelector(".att-state");
    var saved = row.querySelector(".save-status");
    if (live && name && state) {
      live.textContent = [name.textContent.trim() + ":", state.textContent.trim(), saved ? saved.textContent.trim() : ""]
        .join(" ").trim();
    }
  }

  // "More" opens and closes the row's panel (without JS it is a plain link-like GET to the person's page).
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    if (elt && elt.classList && elt.classList.contains("att-more") && elt.getAttribute("aria-expanded") === "true") {
      evt.preventDefault();
      var panel = document.getElementById(elt.getAttribute("aria-controls"));
      if (panel) {
        panel.innerHTML = "";
      }
      elt.setAttribute("aria-expanded", "false");
    }
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    var elt = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    if (elt && elt.classList && elt.classList.contains("att-more")) {
      elt.setAttribute("aria-expanded", "true");
    }
  });

  document.addEventListener("keydown", function (evt) {
    var target = evt.target;
    // Links that look like buttons also answer to Space, as buttons do.
    if ((evt.key === " " || evt.key === "Spacebar") && target instanceof HTMLAnchorElement &&
        target.getAttribute("role") === "button") {
      evt.preventDefault();
      target.click();
    }
    // Enter in the representative search looks up names; it must not submit the "represented" mark.
    if (evt.key === "Enter" && target instanceof HTMLInputElement && target.hasAttribute("data-rep-search")) {
      evt.preventDefault();
      if (window.htmx) {
        window.htmx.trigger(target, "search");
      }
    }
  });

  // The sticky counts box must not cover the focused row: scroll-padding follows its real height.
  function fitStickyPadding() {
    var counts = document.getElementById("roster-counts");
    if (counts) {
      var sticky = window.getComputedStyle(counts).position === "sticky";
      document.documentElement.style.setProperty("--att-sticky-height", sticky ? (counts.offsetHeight + 12) + "px" : "0px");
    }
  }
  window.addEventListener("resize", fitStickyPadding);
  document.addEventListener("htmx:afterSettle", fitStickyPadding);

  /* ---------------------------------------------------------------- */
  /* QR scanner                                                       */
  /* ---------------------------------------------------------------- */
  function Scanner(section) {
    this.section = section;
    this.video = section.querySelector("[data-scan-video]");
    this.form = section.querySelector("[data-scan-form]");
    this.input = this.form.querySelector("input[name=code]");
    this.startButton = section.querySelector("[data-scan-start]");
    this.stopButton = section.querySelector("[data-scan-stop]");
    this.stream = null;
    this.decode = null;
    this.timer = null;
    this.lastCode = "";
    this.lastAt = 0;
    this.canvas = document.createElement("canvas");
  }

  Scanner.prototype.message = function (text) {
    var region = this.section.querySelector("#scan-result");
    if (region) {
      region.textContent = text;
    }
  };

  Scanner.prototype.loadDecoder = function () {
    var self = this;
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") === -1) {
          return self.loadJsQR();
        }
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        self.decode = function () {
          return detector.detect(self.video).then(function (codes) {
            return codes.length ? codes[0].rawValue : null;
          });
        };
      }, function () {
        return self.loadJsQR();
      });
    }
    return this.loadJsQR();
  };

  Scanner.prototype.loadJsQR = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      function ready() {
        var context = self.canvas.getContext("2d", { willReadFrequently: true });
        self.decode = function () {
          var w = self.video.videoWidth;
          var h = self.video.videoHeight;
          if (!w || !h) {
            return Promise.resolve(null);
          }
          self.canvas.width = w;
          self.canvas.height = h;
          context.drawImage(self.video, 0, 0, w, h);
          var found = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
          return Promise.resolve(found ? found.data : null);
        };
        resolve();
      }
      if (window.jsQR) {
        ready();
        return;
      }
      var script = document.createElement("script");
      script.src = self.section.getAttribute("data-jsqr-src");
      script.onload = ready;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  };

  Scanner.prototype.start = function () {
    var self = this;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        self.stream = stream;
        self.video.srcObject = stream;
        self.video.hidden = false;
        self.startButton.hidden = true;
        self.stopButton.hidden = false;
        return self.video.play().then(function () {
          return self.loadDecoder();
        });
      })
      .then(function () {
        self.tick();
      })
      .catch(function () {
        self.stop();
        self.message(self.section.getAttribute("data-msg-no-camera"));
        self.input.focus();
      });
  };

  Scanner.prototype.tick = function () {
    var self = this;
    if (!self.stream || !self.decode) {
      return;
    }
    self.decode().then(function (code) {
      if (code) {
        self.found(code);
      }
    }, function () { /* a frame that could not be read */ }).then(function () {
      if (self.stream) {
        self.timer = window.setTimeout(function () { self.tick(); }, FRAME_INTERVAL_MS);
      }
    });
  };

  Scanner.prototype.found = function (code) {
    var now = Date.now();
    if (code === this.lastCode && now - this.lastAt < SAME_CODE_PAUSE_MS) {
      return;
    }
    this.lastCode = code;
    this.lastAt = now;
    if (navigator.vibrate) {
      navigator.vibrate(80);
    }
    this.input.value = code;
    if (typeof this.form.requestSubmit === "function") {
      this.form.requestSubmit();
    } else {
      this.form.submit();
    }
  };

  Scanner.prototype.stop = function () {
    if (this.timer) {
      window.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) { track.stop(); });
      this.stream = null;
    }
    this.video.hidden = true;
    this.startButton.hidden = false;
    this.stopButton.hidden = true;
  };

  function setUpScanner(section) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return; // no camera API (or not https): the typed code still works
    }
    var scanner = new Scanner(section);
    scanner.startButton.hidden = false;
    scanner.startButton.addEventListener("click", function () { scanner.start(); });
    scanner.stopButton.addEventListener("click", function () { scanner.stop(); });
    // After each answer, clear the typed code for the next person.
    document.body.addEventListener("htmx:afterRequest", function (evt) {
      if (evt.detail.elt === scanner.form && evt.detail.successful) {
        scanner.input.value = "";
      }
    });
  }


  /* ---------------------------------------------------------------- */
  /* The offline queue: marks and pass codes kept on the phone        */
  /* ---------------------------------------------------------------- */
  // Every mark (a "Present" tap, a state of the person's panel) and every pass code goes first into a queue in IndexedDB (vendor/idb-keyval),
  // with an id made here (a UUID), then the queue is sent in order, in batches, to the roster's sync
  // endpoint (POST …/sync, JSON): right away, on the "online" event, when the page opens and every 20 s.
  // The server writes each id once (tracker/attendance/sync.py), so sending again is always safe.
  // A 401 (sign-in expired) keeps the queue; it is sent after the coordinator signs in again.
  // window.trackerQueue lets tests (and the service worker's page) read the queue.
  var BATCH_SIZE = 100; // tracker.attendance.sync.BATCH_SIZE
  var SYNC_EVERY_MS = 20000;
  var RECENT_SHOWN = 20;

  function Queue(panel) {
    this.panel = panel;
    this.url = panel.getAttribute("data-sync-url");
    this.store = window.idbKeyval.createStore("tracker-attendance-queue", "items");
    this.recent = []; // saved items, shown for a while (not kept on the phone)
    this.syncing = null;
    this.signedOut = false;
    this.seq = 0;
  }

  Queue.prototype.msg = function (name, values) {
    var text = this.panel.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  };

  Queue.prototype.all = function () {
    // IndexedDB returns the keys sorted: the order of the taps.
    return window.idbKeyval.entries(this.store).then(function (entries) {
      return entries.map(function (entry) { return entry[1]; });
    });
  };

  Queue.prototype.waiting = function () {
    return this.all().then(function (items) {
      return items.filter(function (item) { return item.state === "waiting"; });
    });
  };

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  Queue.prototype.add = function (fields) {
    var now = Date.now();
    this.seq = (this.seq + 1) % 10000;
    var item = Object.assign({
      key: "q" + String(now).padStart(15, "0") + "-" + String(this.seq).padStart(4, "0"),
      client_id: uuid(), url: this.url, marked_at: new Date(now).toISOString(), state: "waiting", reason: ""
    }, fields);
    var self = this;
    return window.idbKeyval.set(item.key, item, this.store).then(function () {
      self.render();
      self.sync();
      return item;
    });
  };

  Queue.prototype.dismiss = function (key) {
    var self = this;
    return window.idbKeyval.del(key, this.store).then(function () { self.render(); });
  };

  Queue.prototype.sync = function () {
    var self = this;
    if (!self.syncing) {
      self.syncing = self.sendAll().catch(function () { /* offline: the next try sends it */ })
        .then(function () {
          self.syncing = null;
          return self.render();
        });
    }
    return self.syncing;
  };

  Queue.prototype.sendAll = function () {
    var self = this;
    return self.waiting().then(function (items) {
      if (!items.length) {
        return null;
      }
      var url = items[0].url;
      var batch = items.filter(function (item) { return item.url === url; }).slice(0, BATCH_SIZE);
      return self.send(url, batch).then(function (more) {
        return more ? self.sendAll() : null;
      });
    });
  };

  Queue.prototype.send = function (url, batch) {
    var self = this;
    var body = JSON.stringify({ items: batch.map(function (item) {
      return { client_id: item.client_id, kind: item.kind, person_id: item.person_id, status: item.status,
        code: item.code, marked_at: item.marked_at, late_time: item.late_time,
        represented_by_person_id: item.represented_by_person_id, represented_by_name: item.represented_by_name };
    }) });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.status === 401 || response.type === "opaqueredirect") {
        self.signedOut = true;
        return false;
      }
      self.signedOut = false;
      if (!response.ok) {
        // A batch the server refused as a whole says why in JSON: each item shows it. Anything else (a
        // stale CSRF token after signing in elsewhere, a server error) keeps the items waiting.
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
        return !json ? false : response.json().then(function (refusal) {
          return refusal.error ? self.settle(batch, batch.map(function (item) {
            return { client_id: item.client_id, state: "refused", reason: refusal.error };
          })) : false;
        });
      }
      return response.json().then(function (answer) {
        var counts = document.getElementById("roster-counts");
        if (counts && answer.counts_html) {
          counts.outerHTML = answer.counts_html; // rendered (and escaped) by the server's template
        }
        return self.settle(batch, answer.items || []).then(function (result) {
          replaceRows(answer.rows || {});
          return result;
        });
      });
    });
  };

  Queue.prototype.settle = function (batch, answers) {
    var self = this;
    var byId = {};
    batch.forEach(function (item) { byId[item.client_id] = item; });
    return Promise.all(answers.map(function (answer) {
      var item = byId[answer.client_id];
      if (!item) {
        return null;
      }
      showRow(answer);
      if (item.kind === "pass") {
        self.scanMessage(answer);
      }
      if (answer.state === "saved") {
        item.state = "saved";
        item.status_title = answer.status_title;
        self.recent.unshift(item);
        self.recent = self.recent.slice(0, RECENT_SHOWN);
        return window.idbKeyval.del(item.key, self.store);
      }
      item.state = "refused";
      item.reason = answer.reason;
      return window.idbKeyval.set(item.key, item, self.store);
    })).then(function () { return true; });
  };

  // The answer to a pass, as the scan form's answer looks (templates/attendance/_scan_result.html).
  Queue.prototype.scanMessage = function (answer) {
    var region = document.getElementById("scan-result");
    if (!region) {
      return;
    }
    var box = document.createElement("div");
    region.textContent = "";
    if (answer.state === "saved") {
      box.className = "att-scan-message " + (answer.already ? "is-repeat" : "is-ok");
      box.setAttribute("role", "status");
      var name = document.createElement("strong");
      name.className = "att-scan-name";
      name.textContent = answer.name;
      var district = document.createElement("span");
      district.textContent = answer.district ? " " + answer.district : "";
      var message = document.createElement("span");
      message.textContent = " " + (answer.already ? "" : "✓ ") + answer.message;
      box.append(name, district, message);
    } else {
      box.className = "att-scan-message is-error";
      box.setAttribute("role", "alert");
      var cross = document.createElement("strong");
      cross.textContent = "✗";
      box.append(cross, " " + answer.reason);
    }
    region.appendChild(box);
  };

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  // The row shows the person's final state (another phone's later mark may have won).
  function showRow(answer) {
    var row = answer.person_id ? document.getElementById("att-" + answer.person_id) : null;
    if (!row) {
      return;
    }
    var pending = row.querySelector(".save-status");
    if (pending) {
      pending.remove();
    }
    var note = document.createElement("span");
    if (answer.state === "saved" && answer.status) {
      Array.prototype.slice.call(row.classList).forEach(function (name) {
        if (name.indexOf("is-") === 0) {
          row.classList.remove(name);
        }
      });
      row.classList.add("is-" + answer.status);
      var state = row.querySelector(".att-state");
      if (state) {
        state.textContent = "";
        var badge = document.createElement("span");
        badge.className = "badge badge-" + (BADGE_KINDS[answer.status] || "muted");
        badge.textContent = answer.status_title;
        state.appendChild(badge);
      }
      note.className = "save-status saved";
      note.textContent = "✓ " + (document.getElementById("att-queue").getAttribute("data-msg-saved") || "");
    } else {
      note.className = "save-status failed";
      note.textContent = answer.reason || "";
    }
    row.querySelector(".att-who").appendChild(note);
  }

  // After a short batch the server sends the saved rows as the roster renders them (with their undo):
  // swapped in like an htmx answer, the focus kept on the same control.
  function replaceRows(rows) {
    Object.keys(rows).forEach(function (personId) {
      var row = document.getElementById("att-" + personId);
      if (!row) {
        return;
      }
      var active = document.activeElement;
      var controlId = active && row.contains(active) ? active.id || "" : null;
      var holder = document.createElement("ul");
      holder.innerHTML = rows[personId]; // rendered (and escaped) by the server's template
      var fresh = holder.firstElementChild;
      if (!fresh) {
        return;
      }
      row.replaceWith(fresh);
      if (window.htmx) {
        window.htmx.process(fresh);
      }
      if (controlId !== null) {
        var control = (controlId && document.getElementById(controlId)) || fresh.querySelector(".att-more") || fresh;
        control.focus({ preventScroll: true });
        fresh.scrollIntoView({ block: "nearest" }); // below the sticky counts, as after an htmx swap
        announce(fresh);
      }
    });
  }

  var BADGE_KINDS = { present: "success", late: "warning", excused: "info", absent: "danger", represented: "info" };

  function markRowWaiting(queue, personId) {
    var row = document.getElementById("att-" + personId);
    if (!row) {
      return;
    }
    var old = row.querySelector(".save-status");
    if (old) {
      old.remove();
    }
    var note = document.createElement("span");
    note.className = "save-status pending";
    note.textContent = queue.msg("waiting-one");
    row.querySelector(".att-who").appendChild(note);
  }

  Queue.prototype.render = function () {
    var self = this;
    return self.all().then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "waiting"; }).length;
      self.panel.querySelector("[data-queue-count]").textContent = self.msg("count", { count: waiting });
      self.panel.classList.toggle("has-waiting", waiting > 0);
      var signIn = self.panel.querySelector("[data-queue-signin]");
      signIn.hidden = !self.signedOut;
      var list = self.panel.querySelector("[data-queue-list]");
      list.textContent = "";
      items.concat(self.recent).forEach(function (item) {
        list.appendChild(self.line(item));
        // after a reload (offline, from the phone's copy) the row says again that its mark is waiting
        var row = item.state === "waiting" && item.person_id && document.getElementById("att-" + item.person_id);
        if (row && !row.querySelector(".save-status.pending")) {
          markRowWaiting(self, item.person_id);
        }
      });
    });
  };

  Queue.prototype.line = function (item) {
    var self = this;
    var li = document.createElement("li");
    li.className = "att-queue-item is-" + item.state;
    li.setAttribute("data-state", item.state);
    var what = document.createElement("span");
    what.className = "att-queue-what";
    var status = item.kind === "mark" ? self.msg("status-" + item.status) : "";
    what.textContent = item.kind === "pass" ? self.msg("pass", { code: item.code })
      : (item.name || "") + (status ? " · " + status : "");
    li.appendChild(what);
    var state = document.createElement("span");
    state.className = "att-queue-state";
    state.textContent = item.state === "refused" ? self.msg("refused", { reason: item.reason })
      : item.state === "saved" ? self.msg("saved") + (item.status_title ? ": " + item.status_title : "")
        : self.msg("waiting-one");
    li.appendChild(state);
    if (item.state === "refused") {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary outline att-queue-dismiss";
      button.textContent = self.msg("dismiss");
      button.addEventListener("click", function () { self.dismiss(item.key); });
      li.appendChild(button);
    }
    return li;
  };

  function formPersonId(form) {
    var row = form.closest(".att-row");
    return row ? parseInt(row.id.replace("att-", ""), 10) : null;
  }

  // A mark's fields as the form would post them: the status, and from the person's panel the arrival
  // time (a late) and the representative (chosen from the directory or typed). Null: not to be queued.
  function markFields(queue, form) {
    var data = new FormData(form);
    var personId = formPersonId(form);
    var nameEl = document.getElementById("att-name-" + personId);
    var fields = { kind: "mark", person_id: personId, status: String(data.get("status") || ""),
      name: nameEl ? nameEl.textContent.trim() : "" };
    var late = String(data.get("late_time") || "");
    var repId = parseInt(data.get("represented_by_person_id"), 10);
    var repName = String(data.get("represented_by_name") || "").trim();
    if (late) {
      fields.late_time = late;
    }
    if (repId > 0) {
      fields.represented_by_person_id = repId;
    }
    if (repName) {
      fields.represented_by_name = repName;
    }
    if (fields.status === "represented" && !fields.represented_by_person_id && !repName) {
      var input = form.querySelector("input[name=represented_by_name]");
      if (input) {
        input.setCustomValidity(queue.msg("need-rep"));
        input.reportValidity();
        input.addEventListener("input", function () { input.setCustomValidity(""); }, { once: true });
      }
      return null;
    }
    return fields;
  }

  // The person's panel closes after a mark from it (as the row's swap closes it online); the focus goes
  // back to the row's "More".
  function closePanel(form) {
    var panel = form.closest(".att-panel");
    if (!panel) {
      return;
    }
    var more = document.querySelector('[aria-controls="' + panel.id + '"]');
    var hadFocus = panel.contains(document.activeElement);
    panel.textContent = "";
    if (more) {
      more.setAttribute("aria-expanded", "false");
      if (hadFocus) {
        more.focus({ preventScroll: true });
        more.closest(".att-row").scrollIntoView({ block: "nearest" }); // the panel's height is gone
      }
    }
  }

  // "More" without network: the panel is built on the phone from the roster's <template>, the person's id
  // and name put in (the name as text). Its marks go into the queue like the server's panel's.
  function offlinePanel(button) {
    var template = document.getElementById("att-panel-offline");
    var panel = document.getElementById(button.getAttribute("aria-controls") || "");
    if (!template || !panel) {
      return;
    }
    var personId = panel.id.replace("panel-", "");
    var nameEl = document.getElementById("att-name-" + personId);
    var content = template.content.cloneNode(true);
    content.querySelectorAll("*").forEach(function (el) {
      Array.prototype.forEach.call(el.attributes, function (attr) {
        if (attr.value.indexOf("__pid__") !== -1) {
          el.setAttribute(attr.name, attr.value.split("__pid__").join(personId));
        }
      });
    });
    content.querySelectorAll("[data-panel-name]").forEach(function (el) {
      el.textContent = nameEl ? nameEl.textContent.trim() : "";
    });
    var late = content.querySelector("input[name=late_time]");
    if (late) {
      late.value = wallClock(template.getAttribute("data-zone"));
    }
    panel.textContent = "";
    panel.appendChild(content);
    button.setAttribute("aria-expanded", "true");
  }

  // The time now ("HH:MM") on the office's clock (the zone the server reads a typed arrival time in),
  // whatever zone the phone is set to.
  function wallClock(zone) {
    var now = new Date();
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-GB", { timeZone: zone || undefined, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
        .formatToParts(now).forEach(function (part) { parts[part.type] = part.value; });
      return parts.hour + ":" + parts.minute;
    } catch (err) {
      return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
    }
  }

  function isMore(elt) {
    return elt && elt.classList && elt.classList.contains("att-more");
  }

  function setUpQueue(panel) {
    if (!window.idbKeyval || !window.indexedDB || !window.fetch || !window.Promise) {
      return null; // the forms go by htmx (online only), as before
    }
    var queue = new Queue(panel);
    panel.hidden = false;
    // Capture phase: before htmx sees the submit. Every mark (the one-tap "Present" and the person's
    // panel: late with its time, excused, absent, represented) and every pass code is queued.
    document.addEventListener("submit", function (evt) {
      var form = evt.target;
      if (form.hasAttribute("data-queue-mark") && formPersonId(form)) {
        evt.preventDefault();
        evt.stopPropagation();
        var fields = markFields(queue, form);
        if (!fields) {
          return;
        }
        queue.add(fields);
        closePanel(form);
        markRowWaiting(queue, fields.person_id);
      } else if (form.hasAttribute("data-scan-form")) {
        var input = form.querySelector("input[name=code]");
        var code = (input.value || "").trim();
        evt.preventDefault();
        evt.stopPropagation();
        if (!code) {
          return;
        }
        queue.add({ kind: "pass", code: code });
        input.value = "";
        var region = document.getElementById("scan-result");
        if (region) {
          region.textContent = navigator.onLine === false ? queue.msg("pass-waiting", { code: code }) : "";
        }
      }
    }, true);
    // "More" offline: no request (the phone knows it has no network), or a request that failed.
    document.addEventListener("htmx:beforeRequest", function (evt) {
      var elt = evt.detail.elt;
      if (isMore(elt) && navigator.onLine === false && elt.getAttribute("aria-expanded") !== "true") {
        evt.preventDefault();
        offlinePanel(elt);
      }
    });
    document.addEventListener("htmx:sendError", function (evt) {
      if (isMore(evt.detail.elt)) {
        offlinePanel(evt.detail.elt);
      }
    });
    window.addEventListener("online", function () { queue.sync(); });
    window.setInterval(function () { queue.sync(); }, SYNC_EVERY_MS);
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().catch(function () { /* the browser decides */ });
    }
    window.trackerQueue = {
      count: function () { return queue.waiting().then(function (items) { return items.length; }); },
      items: function () { return queue.all(); },
      sync: function () { return queue.sync(); }
    };
    queue.render();
    queue.sync();
    return queue;
  }

  function init() {
    fitStickyPadding();
    document.querySelectorAll("[data-queue-panel]").forEach(setUpQueue);
    // A ?q= search was already filtered by the server (phonetically): the typed filter starts afresh.
    document.querySelectorAll(".att-scanner").forEach(setUpScanner);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
