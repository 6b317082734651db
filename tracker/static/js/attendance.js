/*
 * Attendance roster: filter by name as you type, and scan QR passes with the
 * phone camera. The browser's BarcodeDetector is used where it exists; else the
 * vendored jsQR library (vendor/jsqr/jsQR.js) is loaded on first use. A scan
 * only fills the pass-code form and submits it: htmx posts it (marking is an
 * upsert on the server, so a repeated scan is harmless) and shows the answer.
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

  function init() {
    fitStickyPadding();
    // A ?q= search was already filtered by the server (phonetically): the typed filter starts afresh.
    document.querySelectorAll(".att-scanner").forEach(setUpScanner);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
