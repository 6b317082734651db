/*
 * Meetings pages: small enhancements, no inline scripts (CSP: script-src 'self').
 * - [data-print] buttons (hidden until this script runs) print the page.
 * - [data-copy-target="ID"] buttons (hidden until this script runs) copy the value of the input
 *   #ID and say so in the next [role=status] element (texts from data-copied / data-copy-failed).
 */
(function () {
  "use strict";

  function say(button, text) {
    var status = button.parentNode && button.parentNode.querySelector("[role=status]");
    if (status) {
      status.textContent = text || "";
    }
  }

  function fallbackCopy(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    var done = function () { say(button, button.getAttribute("data-copied")); };
    var failed = function () {
      if (fallbackCopy(input)) {
        done();
      } else {
        say(button, button.getAttribute("data-copy-failed"));
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, failed);
    } else {
      failed();
    }
  }

  function bind(selector, action) {
    document.querySelectorAll(selector).forEach(function (button) {
      if (button.dataset.bound) {
        return;  // the page may run this script more than once
      }
      button.dataset.bound = "1";
      button.hidden = false;
      button.addEventListener("click", function () { action(button); });
    });
  }

  function init() {
    bind("[data-print]", function () { window.print(); });
    bind("[data-copy-target]", copy);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
