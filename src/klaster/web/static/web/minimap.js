// A small map highlighting a site's regions (from the bundled GeoJSON).
(function () {
  var el = document.getElementById("site-map");
  if (!el || !window.Plotly) return;
  var chosen = el.dataset.regions.split(",");
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
    var all = geo.features.map(function (f) { return f.properties.shapeISO; });
    Plotly.newPlot(el, [{type: "choropleth", geojson: geo, featureidkey: "properties.shapeISO", locations: all,
      z: all.map(function (iso) { return chosen.indexOf(iso) >= 0 ? 1 : 0; }), showscale: false,
      colorscale: [[0, "#e8eef6"], [1, "#2f6db5"]], hoverinfo: "skip", marker: {line: {color: "#fff", width: 0.3}}}],
      {margin: {l: 0, r: 0, t: 0, b: 0}, geo: {visible: false, center: {lon: 100, lat: 63},
        projection: {type: "conic conformal", rotation: {lon: 100}, parallels: [52, 64], scale: 14}}},
      {staticPlot: true, topojsonURL: "/static/web/"});
  });
})();
