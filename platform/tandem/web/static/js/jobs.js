/* Tandem's one poller for background jobs: a page that follows a job loads this file.
   Without JavaScript each page shows what it was rendered with (and its own "Check again" link).

   A job box is kept up to date by polling the job's JSON status with the session cookie: every
   second at first, then every five, not while the tab is hidden, and no longer than about ten
   minutes; a 404 or a sign-out stops it and leaves the page as it is.
     #build-status[data-build-url] (dashboards, GET /api/v1/dashboards/builds/<id>): the text and
       bar follow the build; "Show the new figures" appears when it is done, so the figures on
       screen never change under the reader.
     [data-job-url][data-job-status] (a match run, GET /api/v1/jobs/<id>): the bar follows the
       progress, and the page reloads as soon as the status differs from the one it was rendered
       with, so the server renders what came of it. */
(function () {
  "use strict";
  if (!window.fetch) { return; }

  /* Poll `url` until the job is done or failed; `show(job)` returns false to stop early. */
  function follow(url, show) {
    var tries = 0;
    function poll() {
      if (document.hidden) {
        document.addEventListener("visibilitychange", poll, { once: true });
        return;
      }
      tries += 1;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) {
          if (!job || show(job) === false) { return; }
          if (job.status === "queued" || job.status === "running") { later(); }
        })
        .catch(later);
    }
    function later() {
      if (tries > 200) { return; }
      setTimeout(poll, tries < 30 ? 1000 : 5000);
    }
    poll();
  }

  var build = document.getElementById("build-status");
  if (build && build.dataset.buildUrl) {
    var bar = build.querySelector("progress");
    var text = build.querySelector(".build-text");
    var reload = build.querySelector(".build-reload");
    follow(build.dataset.buildUrl, function (job) {
      build.dataset.status = job.status;
      if (job.status === "queued") {
        text.textContent = "Queued: waiting for a worker.";
      } else if (job.status === "running") {
        text.textContent = "Running: " + job.progress + "% done.";
      } else if (job.status === "done") {
        var made = job.result && job.result.snapshots !== undefined ? job.result.snapshots : "all";
        text.textContent = "Done: " + made + " dashboards rebuilt.";
      } else {
        text.textContent = "Failed: " + (job.error || "no reason was recorded") +
          ". The figures shown are from the previous build.";
      }
      if (bar) { bar.value = job.status === "done" ? 100 : job.progress; }
      if (reload) { reload.hidden = job.status !== "done"; }
    });
  }

  document.querySelectorAll("[data-job-url][data-job-status]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector(".job-progress");
    follow(box.dataset.jobUrl, function (job) {
      if (job.status !== box.dataset.jobStatus) {
        window.location.reload();
        return false;
      }
      if (bar) { bar.value = job.progress; }
      if (text) { text.textContent = job.progress + "% done"; }
    });
  });
})();
