/* Dashboard pages: after Refresh, follow the build's progress by polling its status in the API
   (GET /api/v1/dashboards/builds/<id> with the session cookie) until it is done or failed.
   Without JavaScript the page shows the status it was rendered with. */
(function () {
  "use strict";
  /* A chart's data table that is wider than its box scrolls: let the keyboard reach it too. */
  document.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (wrap) {
    var caption = wrap.querySelector("caption");
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    }
  });

  var box = document.getElementById("build-status");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector(".build-text");
  var reload = box.querySelector(".build-reload");
  var delay = 1000, tries = 0;

  function say(build) {
    box.dataset.status = build.status;
    if (build.status === "queued") {
      text.textContent = "Queued: waiting for a worker.";
    } else if (build.status === "running") {
      text.textContent = "Running: " + build.progress + "% done.";
    } else if (build.status === "done") {
      var made = build.result && build.result.snapshots !== undefined ? build.result.snapshots : "all";
      text.textContent = "Done: " + made + " dashboards rebuilt.";
    } else {
      text.textContent = "Failed: " + (build.error || "no reason was recorded") +
        ". The figures shown are from the previous build.";
    }
    if (bar) { bar.value = build.status === "done" ? 100 : build.progress; }
    if (reload) { reload.hidden = build.status !== "done"; }
  }

  function poll() {
    tries += 1;
    fetch(box.dataset.buildUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (build) {
        if (!build) { return; }
        say(build);
        if (build.status === "queued" || build.status === "running") { later(); }
      })
      .catch(later);
  }

  function later() {
    // Every second at first, then less often; give up after about ten minutes.
    if (tries > 200) { return; }
    setTimeout(poll, tries < 30 ? delay : 5 * delay);
  }

  poll();
})();
