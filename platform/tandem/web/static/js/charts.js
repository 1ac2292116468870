/* Draws every <canvas data-chart="ID"> from the JSON payload in <script id="ID">, the same
   payload the data table beside it was rendered from (see the chart macro in _macros.html). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var palette = ["#1f5fbf", "#b3541e", "#1d6b3a", "#6b3fa0"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var payload = JSON.parse(source.textContent);
    var axes = { x: { title: { display: !!payload.x_label, text: payload.x_label || "" } } };
    var datasets = payload.datasets.map(function (ds, i) {
      var axis = ds.axis || "y";
      if (!axes[axis]) {
        axes[axis] = { position: axis === "y" ? "left" : "right", beginAtZero: axis === "y" && payload.y_min === 0,
                       title: { display: true, text: ds.label },
                       grid: { drawOnChartArea: axis === "y" } };
        if (axis === "y" && payload.y_max !== undefined) { axes[axis].max = payload.y_max; }
        if (axis === "y" && payload.y_min !== undefined) { axes[axis].min = payload.y_min; }
      }
      return { label: ds.label, data: ds.data, yAxisID: axis, borderColor: palette[i % palette.length],
               backgroundColor: palette[i % palette.length], borderWidth: 2, pointRadius: 3, tension: 0,
               spanGaps: true };
    });
    new Chart(canvas, {
      type: payload.type || "line",
      data: { labels: payload.labels, datasets: datasets },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: axes,
                 plugins: { legend: { display: datasets.length > 1 } } }
    });
  });
})();
