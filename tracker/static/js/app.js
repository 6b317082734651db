/*
 * Tracker front-end behaviour. Loaded with `defer` after htmx; no inline
 * scripts anywhere (CSP: script-src 'self').
 *
 * - CSRF: every htmx request carries the token from
 *   <meta name="csrf-token"> as the X-CSRFToken header.
 * - data-confirm="message" on a form, a submit button, a link or an htmx
 *   element asks confirm() first; cancelling stops the action.
 * - htmx failures: the element that made the request gets class "failed",
 *   and the message from <body data-error-message="..."> (translated server
 *   side) is shown in the flash region. Network errors and 502/503/504 are
 *   retried a few times for GET requests and for elements that opt in with
 *   data-save-state (idempotent inline saves), never for other writes.
 * - data-save-state on an htmx element: class "pending" while its request
 *   runs, "saved" after success, "failed" after failure.
 * - data-autosubmit on a select (or any input) submits its form on change.
 */
(function () {
  "use strict";

  var RETRY_DELAYS_MS = [3000, 10000, 30000];
  var ERROR_FLASH_ID = "htmx-error-flash";
  var STATE_CLASSES = ["pending", "saved", "failed"];
  var HX_VERB_ATTRS = ["hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete",
    "data-hx-get", "data-hx-post", "data-hx-put", "data-hx-patch", "data-hx-delete"];

  var retryCounts = new WeakMap();
  var retryTimers = new WeakMap();
  var waitingForOnline = new Set();

  document.documentElement.classList.add("js");

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  function isHtmxElement(el) {
    if (!el || !el.hasAttribute) {
      return false;
    }
    for (var i = 0; i < HX_VERB_ATTRS.length; i++) {
      if (el.hasAttribute(HX_VERB_ATTRS[i])) {
        return true;
      }
    }
    return false;
  }

  function isSubmitControl(el) {
    if (!el || !el.form) {
      return false;
    }
    var tag = el.tagName;
    var type = (el.getAttribute("type") || "").toLowerCase();
    if (tag === "BUTTON") {
      return type === "" || type === "submit";
    }
    return tag === "INPUT" && (type === "submit" || type === "image");
  }

  /* ---------------------------------------------------------------- */
  /* Flash region                                                     */
  /* ---------------------------------------------------------------- */
  function flashRegion() {
    var region = document.getElementById("flashes");
    if (!region) {
      region = document.createElement("div");
      region.id = "flashes";
      region.className = "flashes";
      region.setAttribute("aria-live", "polite");
      var main = document.getElementById("main") || document.body;
      main.insertBefore(region, main.firstChild);
    }
    return region;
  }

  function showErrorMessage() {
    var message = document.body.getAttribute("data-error-message");
    if (!message) {
      return;
    }
    var region = flashRegion();
    var existing = document.getElementById(ERROR_FLASH_ID);
    if (existing) {
      // Re-announce: screen readers only read changed text.
      existing.textContent = "";
    } else {
      existing = document.createElement("div");
      existing.id = ERROR_FLASH_ID;
      existing.className = "flash flash-error";
      existing.setAttribute("role", "alert");
      region.appendChild(existing);
    }
    existing.textContent = message;
  }

  function clearErrorMessage() {
    var existing = document.getElementById(ERROR_FLASH_ID);
    if (existing && existing.parentNode) {
      existing.parentNode.removeChild(existing);
    }
  }

  function setState(el, state) {
    if (!el || !el.classList) {
      return;
    }
    STATE_CLASSES.forEach(function (cls) {
      el.classList.remove(cls);
    });
    if (state) {
      el.classList.add(state);
    }
  }

  function wantsSaveState(el) {
    return !!(el && el.hasAttribute && el.hasAttribute("data-save-state"));
  }

  /* ---------------------------------------------------------------- */
  /* data-confirm                                                     */
  /* ---------------------------------------------------------------- */
  // Forms (native or htmx-driven): ask on submit. The submitter's message
  // wins over the form's, so a form with both asks once.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var submitter = evt.submitter || null;
    var message = null;
    if (submitter && submitter.hasAttribute("data-confirm") && !isHtmxElement(submitter)) {
      message = submitter.getAttribute("data-confirm");
    } else if (form.hasAttribute("data-confirm")) {
      message = form.getAttribute("data-confirm");
    }
    if (message && !window.confirm(message)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  // Links, htmx buttons and other non-submit controls: ask on click.
  document.addEventListener("click", function (evt) {
    var el = evt.target instanceof Element ? evt.target.closest("[data-confirm]") : null;
    if (!el || el instanceof HTMLFormElement) {
      return;
    }
    // Plain submit buttons are asked in the submit handler above.
    if (isSubmitControl(el) && !isHtmxElement(el)) {
      return;
    }
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  /* ---------------------------------------------------------------- */
  /* htmx requests of a form go to the form's own address             */
  /* ---------------------------------------------------------------- */
  // htmx sends every request of a form to the formaction of the submit
  // button last clicked or focused. A form that autosaves with hx-post and
  // has a "Sign off" button with formaction would send its autosave there:
  // past the confirmation. Only a real submit may use the button's address.
  document.addEventListener("htmx:configRequest", function (evt) {
    var elt = evt.detail.elt;
    var trigger = evt.detail.triggeringEvent;
    if (!(elt instanceof HTMLFormElement) || (trigger && trigger.type === "submit")) {
      return;
    }
    var verbs = ["post", "put", "patch", "delete", "get"];
    for (var i = 0; i < verbs.length; i++) {
      var own = elt.getAttribute("hx-" + verbs[i]) || elt.getAttribute("data-hx-" + verbs[i]);
      if (own) {
        evt.detail.path = own;
        evt.detail.verb = verbs[i];
        return;
      }
    }
  });

  /* ---------------------------------------------------------------- */
  /* data-autosubmit                                                  */
  /* ---------------------------------------------------------------- */
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (!(el instanceof Element) || !el.hasAttribute("data-autosubmit")) {
      return;
    }
    var form = el.form;
    if (!form) {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      // Fires the submit event, so data-confirm and htmx still apply.
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  /* ---------------------------------------------------------------- */
  /* htmx                                                             */
  /* ---------------------------------------------------------------- */
  document.addEventListener("htmx:configRequest", function (evt) {
    var token = csrfToken();
    if (token) {
      evt.detail.headers["X-CSRFToken"] = token;
    }
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var el = evt.detail.elt;
    if (!el || !el.classList) {
      return;
    }
    el.classList.remove("failed");
    el.classList.remove("saved");
    if (wantsSaveState(el)) {
      el.classList.add("pending");
    }
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var el = evt.detail.elt;
    if (!el || !el.classList) {
      return;
    }
    el.classList.remove("pending");
    if (evt.detail.successful) {
      retryCounts.delete(el);
      clearErrorMessage();
      if (wantsSaveState(el) && document.contains(el)) {
        setState(el, "saved");
      }
    }
  });

  function requestConfig(detail) {
    return detail.requestConfig || (detail.responseInfo && detail.responseInfo.requestConfig) || null;
  }

  function retryable(el, detail, isSendError) {
    if (!window.htmx || !el || !document.contains(el)) {
      return false;
    }
    var cfg = requestConfig(detail);
    if (!cfg || !cfg.verb || !cfg.path) {
      return false;
    }
    if (!isSendError) {
      var status = detail.xhr ? detail.xhr.status : 0;
      if (status !== 502 && status !== 503 && status !== 504) {
        return false;
      }
    }
    // Only idempotent requests: a repeated POST could create twice.
    return cfg.verb.toLowerCase() === "get" || wantsSaveState(el);
  }

  function reissue(el, cfg) {
    retryTimers.delete(el);
    waitingForOnline.delete(el);
    if (!document.contains(el)) {
      return;
    }
    // Values are gathered again from the element, so the latest input is sent.
    window.htmx.ajax(cfg.verb, cfg.path, { source: el });
  }

  function scheduleRetry(el, detail) {
    var cfg = requestConfig(detail);
    var count = retryCounts.get(el) || 0;
    if (count >= RETRY_DELAYS_MS.length || retryTimers.has(el)) {
      return;
    }
    retryCounts.set(el, count + 1);
    if (navigator.onLine === false) {
      waitingForOnline.add(el);
      el.__trackerRetryCfg = { verb: cfg.verb, path: cfg.path };
      return;
    }
    var timer = window.setTimeout(function () {
      reissue(el, cfg);
    }, RETRY_DELAYS_MS[count]);
    retryTimers.set(el, timer);
  }

  window.addEventListener("online", function () {
    waitingForOnline.forEach(function (el) {
      var cfg = el.__trackerRetryCfg;
      delete el.__trackerRetryCfg;
      if (cfg) {
        reissue(el, cfg);
      }
    });
    waitingForOnline.clear();
  });

  function onFailure(evt, isSendError) {
    var el = evt.detail.elt;
    setState(el, "failed");
    showErrorMessage();
    if (retryable(el, evt.detail, isSendError)) {
      scheduleRetry(el, evt.detail);
    }
  }

  document.addEventListener("htmx:responseError", function (evt) {
    onFailure(evt, false);
  });

  document.addEventListener("htmx:sendError", function (evt) {
    onFailure(evt, true);
  });

  document.addEventListener("htmx:timeout", function (evt) {
    onFailure(evt, true);
  });
})();
