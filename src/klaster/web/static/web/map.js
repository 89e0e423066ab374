// The choropleth: shapes from the bundled GeoJSON, figures from the page's JSON endpoint; offline.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.Plotly) return;
  var metric = el.dataset.metric, mode = el.dataset.mode, label = el.dataset.label;
  // Chukotka crosses 180°, so fitting bounds would show the whole globe: frame Russia explicitly.
  var GEO = {visible: false, projection: {type: "conic conformal", rotation: {lon: 100}, parallels: [52, 64],
             scale: 14}, center: {lon: 100, lat: 63}};
  function fmt(v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString("ru-RU"); }
  Promise.all([fetch(el.dataset.geojson).then(function (r) { return r.json(); }),
               fetch(el.dataset.url).then(function (r) { return r.json(); })]).then(function (res) {
    var geo = res[0];
    var shaped = {};
    geo.features.forEach(function (f) { shaped[f.properties.shapeISO] = true; });
    // Regions with no shape in the file are listed beside the map, not drawn as empty paths.
    var regions = res[1].regions.filter(function (r) { return shaped[r.iso_code]; });
    var key = mode === "per100k" ? metric + "_per100k" : metric;
    var trace = {
      type: "choropleth", geojson: geo, featureidkey: "properties.shapeISO",
      locations: regions.map(function (r) { return r.iso_code; }),
      z: regions.map(function (r) { return r[key] === null ? 0 : r[key]; }),
      customdata: regions.map(function (r) { return r.code; }),
      text: regions.map(function (r) {
        return "<b>" + r.name + "</b><br>" + r.federal_district + " ФО<br>Площадок: " + fmt(r.sites) +
          "<br>Участников: " + fmt(r.participants) + "<br>Проектов: " + fmt(r.projects) +
          "<br>Население: " + fmt(r.population);
      }),
      hoverinfo: "text", colorscale: [[0, "#eef3fa"], [0.35, "#9cc3ef"], [1, "#1d4e89"]], marker: {line: {color: "#ffffff", width: 0.5}},
      colorbar: {title: {text: label + (mode === "per100k" ? "<br>на 100 тыс." : "")}}
    };
    var layout = {
      margin: {l: 0, r: 0, t: 0, b: 0}, paper_bgcolor: "white", separators: ", ",
      geo: GEO
    };
    Plotly.newPlot(el, [trace], layout, {responsive: true, displaylogo: false, locale: "ru",
                                          topojsonURL: "/static/web/"});
    el.on("plotly_click", function (ev) {
      var code = ev.points[0].customdata;
      window.location.href = el.dataset.regionUrl.replace("/00/", "/" + code + "/");
    });
  }).catch(function (err) { el.textContent = "Не удалось загрузить карту: " + err; });
})();
