// Draws every <div id="chart-NAME"> from the figures in <script id="charts-data">.
(function () {
  var node = document.getElementById("charts-data");
  if (!node || !window.Plotly) return;
  var figures = JSON.parse(node.textContent);
  Object.keys(figures).forEach(function (name) {
    var el = document.getElementById("chart-" + name);
    if (!el) return;
    Plotly.newPlot(el, figures[name].data, figures[name].layout,
      {responsive: true, displaylogo: false, locale: "ru", modeBarButtonsToRemove: ["sendDataToCloud"]});
  });
})();
