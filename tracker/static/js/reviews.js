/*
 * Review notes: nothing typed is lost.
 *
 * The draft form (form[data-autosave-key]) is saved by htmx as the user types
 * (hx-trigger with a delay, see templates/reviews/edit.html). This script
 * - keeps a copy of the form in localStorage from the first keystroke until the
 *   server has confirmed a save that includes it;
 * - on load, puts back a copy left by a save that never arrived (only if the
 *   note was not changed on the server since: data-autosave-base) and sends it;
 * - shows "unsaved" / "saved" / "failed" text in #save-status (app.js sets the
 *   pending/saved/failed classes and retries on network errors);
 * - warns before leaving the page while something is unsaved.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-key]");
  if (!form || !window.localStorage) {
    return;
  }
  var key = form.getAttribute("data-autosave-key");
  var base = form.getAttribute("data-autosave-base") || "";
  var status = document.getElementById("save-status");
  var edits = 0;
  var sentAt = 0;
  var savedAt = 0;
  var submitting = false;

  function values() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") {
        out.push([name, String(value)]);
      }
    });
    return out;
  }

  function keep() {
    try {
      window.localStorage.setItem(key, JSON.stringify({ base: base, values: values() }));
    } catch (e) {
      /* storage full or disabled: the server save still runs */
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      /* ignore */
    }
  }

  function say(text) {
    if (status && text) {
      status.textContent = text;
    }
  }

  function restore(saved) {
    var byName = {};
    saved.values.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "submit" || el.type === "button") {
        return;
      }
      var stored = byName[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = stored.indexOf(el.value) !== -1;
      } else {
        el.value = stored.length ? stored[0] : "";
      }
    });
  }

  function onEdit() {
    edits += 1;
    keep();
    say(form.getAttribute("data-unsaved-text"));
  }

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("submit", function () {
    submitting = true;
    keep();
  });

  form.addEventListener("htmx:beforeRequest", function (evt) {
    if (evt.detail.elt === form) {
      sentAt = edits;
    }
  });

  form.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.elt !== form) {
      return;
    }
    if (evt.detail.successful) {
      var newBase = evt.detail.xhr && evt.detail.xhr.getResponseHeader("X-Autosave-Base");
      if (newBase) {
        base = newBase;
        form.setAttribute("data-autosave-base", newBase);
      }
      savedAt = Math.max(savedAt, sentAt);
      if (savedAt >= edits) {
        forget();
      } else {
        keep();
      }
    } else {
      say(form.getAttribute("data-failed-text"));
    }
  });

  window.addEventListener("beforeunload", function (evt) {
    if (!submitting && edits > savedAt) {
      evt.preventDefault();
      evt.returnValue = "";
    }
  });

  var raw = null;
  try {
    raw = window.localStorage.getItem(key);
  } catch (e) {
    raw = null;
  }
  if (raw) {
    var saved = null;
    try {
      saved = JSON.parse(raw);
    } catch (e) {
      saved = null;
    }
    if (saved && saved.base === base && saved.values) {
      restore(saved);
      edits += 1;
      say(form.getAttribute("data-unsaved-text"));
      document.addEventListener("htmx:load", function send() {
        document.removeEventListener("htmx:load", send);
        window.htmx.trigger(form, "change");
      });
    } else {
      forget();
    }
  }
})();
