/* Tandem's small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  /* Live SMART hints: a form with data-smart-check posts its fields (debounced) to the SMART
     check endpoint with the session cookie and the CSRF token, and shows the result. */
  function smartPayload(form) {
    var data = {}, numbers = (form.dataset.smartNumbers || "").split(" ");
    (form.dataset.smartFields || "").split(" ").forEach(function (name) {
      var el = form.elements[name];
      if (!name || !el) { return; }
      var value = el.type === "checkbox" ? el.checked : String(el.value).trim();
      if (value === "") { return; }
      if (numbers.indexOf(name) >= 0) {
        value = Number(value);
        if (!isFinite(value)) { return; }
      }
      data[name] = value;
    });
    return data;
  }

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) { el.className = cls; }
    return el;
  }

  function showSmart(box, result) {
    box.replaceChildren();
    box.appendChild(text("p", "SMART score: " + result.score + " of 5" + (result.is_smart ? " (SMART)" : ""), "smart-score"));
    var list = document.createElement("ul");
    result.criteria.forEach(function (c) {
      var item = text("li", (c.ok ? "✓ " : "✗ ") + c.label + (c.ok ? "" : ": " + c.hints.join(" ")));
      item.dataset.criterion = c.key;
      item.dataset.ok = c.ok ? "true" : "false";
      list.appendChild(item);
    });
    box.appendChild(list);
    var problems = Object.keys(result.problems || {});
    if (problems.length) {
      box.appendChild(text("p", "Before saving: " + problems.map(function (k) {
        return k.replace(/_/g, " ") + " " + result.problems[k].join(", ");
      }).join("; "), "error"));
    }
  }

  document.querySelectorAll("form[data-smart-check]").forEach(function (form) {
    var box = document.getElementById(form.dataset.smartTarget);
    var timer = null, seq = 0;
    function check() {
      var mine = ++seq;
      fetch(form.dataset.smartCheck, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json",
                   "X-CSRFToken": csrf ? csrf.content : "" },
        body: JSON.stringify(smartPayload(form))
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (result) { if (result && mine === seq) { showSmart(box, result); } })
        .catch(function () { /* hints are a help, not a requirement: the server checks on save */ });
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
  });

  /* A measure switch: show the numeric fields only for numeric goals. */
  document.querySelectorAll("[data-measure-switch]").forEach(function (select) {
    var target = document.getElementById(select.dataset.measureSwitch);
    function sync() { if (target) { target.hidden = select.value === "binary"; } }
    select.addEventListener("change", sync);
    sync();
  });

  /* A data table wider than its box (a phone, a long breakdown) becomes a focusable, named
     scrolling region, so a keyboard user can scroll it too. Only when it overflows: a region
     that cannot scroll would be one more tab stop for nothing. */
  document.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (wrap) {
    var caption = wrap.querySelector("caption");
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    }
  });

  /* After a refused form, move focus to its error summary so it is read out first. */
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
