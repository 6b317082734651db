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
 * - warns before leaving the page while something is unsaved (typed action-item
 *   rows count as unsaved until the form is submitted: the autosave ignores them).
 *
 * Action-item rows ([data-item-rows]): the page has a few blank rows and works
 * without this script; "add another item" adds a row here (up to data-max-rows).
 * A restored offline copy adds the rows it needs before filling them in.
 */
(function () {
  "use strict";

  var rowsBox = document.querySelector("[data-item-rows]");

  function itemRows() {
    return rowsBox ? rowsBox.querySelectorAll("[data-item-row]") : [];
  }

  /* Add a blank row after the last one, numbered next (names new_items-<i>-<field>). */
  function addItemRow() {
    var rows = itemRows();
    var max = parseInt(rowsBox.getAttribute("data-max-rows") || "20", 10);
    if (!rows.length || rows.length >= max) {
      return null;
    }
    var last = rows[rows.length - 1];
    var index = rows.length;
    var row = last.cloneNode(true);
    var pattern = /new_items-\d+-/g;
    var next = "new_items-" + index + "-";
    row.classList.remove("has-errors");
    Array.prototype.forEach.call(row.querySelectorAll(".field-errors"), function (el) {
      el.parentNode.removeChild(el);
    });
    Array.prototype.forEach.call(row.querySelectorAll("[id], [for], [name], [aria-describedby]"), function (el) {
      ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) {
          value = value.replace(pattern, next);
          if (attr === "aria-describedby") {
            value = value.split(" ").filter(function (id) {
              return id.slice(-6) !== "-error";
            }).join(" ");
          }
          if (value) {
            el.setAttribute(attr, value);
          } else {
            el.removeAttribute(attr);
          }
        }
      });
      el.removeAttribute("aria-invalid");
      if (el.tagName === "SELECT") {
        var chosen = last.querySelector("select[name$='-owner_id']");
        el.value = chosen ? chosen.value : el.value;
      } else if (el.tagName === "INPUT" || el.tagName === "TEXTAREA") {
        el.value = "";
      }
    });
    var legend = row.querySelector("legend[data-legend]");
    if (legend) {
      legend.textContent = legend.getAttribute("data-legend").replace("__n__", String(index + 1));
    }
    last.parentNode.insertBefore(row, last.nextSibling);
    if (itemRows().length >= max && addButton) {
      addButton.hidden = true;
    }
    return row;
  }

  var addButton = rowsBox && rowsBox.querySelector("[data-add-item-row]");
  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var row = addItemRow();
      var first = row && row.querySelector("input, textarea");
      if (first) {
        first.focus();
      }
    });
  }

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

  /* submitted: the copy made as the form is sent (its items are then created with the note). */
  function keep(submitted) {
    try {
      window.localStorage.setItem(key, JSON.stringify({ base: base, values: values(), submitted: !!submitted }));
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

  var ITEM_NAME = /^new_items-/;

  /* Put a copy back; onlyItems: just the action-item rows (the rest of the copy is outdated). */
  function restore(saved, onlyItems) {
    var byName = {};
    var rowsNeeded = 0;
    saved.values.forEach(function (pair) {
      if (onlyItems && !ITEM_NAME.test(pair[0])) {
        return;
      }
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
      var match = /^new_items-(\d+)-/.exec(pair[0]);
      if (match) {
        rowsNeeded = Math.max(rowsNeeded, parseInt(match[1], 10) + 1);
      }
    });
    while (rowsBox && itemRows().length < rowsNeeded && addItemRow()) {
      /* add the rows the copy has values for */
    }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "submit" || el.type === "button") {
        return;
      }
      if (onlyItems && !ITEM_NAME.test(el.name)) {
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

  /* Typed action-item rows are saved only by a submit (never by the autosave): keep them until then. */
  function itemsPending() {
    return Array.prototype.some.call(form.querySelectorAll("[data-item-row] input[name$='-title'], " +
        "[data-item-row] input[name$='-due_on']"), function (el) {
      return el.value.trim() !== "";
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
    keep(true);
  });

  form.addEventListener("htmx:beforeRequest", function (evt) {
    if (evt.detail.elt !== form) {
      return;
    }
    if (submitting) {
      /* The form is being sent: an autosave still waiting for its delay would only race it. */
      evt.preventDefault();
      return;
    }
    sentAt = edits;
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
      if (savedAt >= edits && !itemsPending()) {
        forget();
      } else {
        keep();
      }
    } else {
      say(form.getAttribute("data-failed-text"));
    }
  });

  window.addEventListener("beforeunload", function (evt) {
    if (!submitting && (edits > savedAt || itemsPending())) {
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
      restore(saved, false);
      edits += 1;
      say(form.getAttribute("data-unsaved-text"));
      document.addEventListener("htmx:load", function send() {
        document.removeEventListener("htmx:load", send);
        window.htmx.trigger(form, "change");
      });
    } else if (saved && saved.values && !saved.submitted && rowsBox) {
      /* The note changed on the server since (e.g. the autosave went through as the page was
         left), but typed action-item rows are never autosaved: put those back, and only those. */
      restore(saved, true);
      if (itemsPending()) {
        keep(false);
        say(form.getAttribute("data-unsaved-text"));
      } else {
        forget();
      }
    } else {
      forget();
    }
  }
})();
