// Enhances a server-drawn SVG map with Leaflet (pan and zoom, no tile server).
// Without JavaScript the SVG stays, with every area a link.
(function () {
  "use strict";
  var data = document.getElementById("csphub-map-features");
  var holder = document.getElementById("csphub-map-leaflet");
  var fallback = document.getElementById("csphub-map-static");
  if (!data || !holder || !window.L) return;
  var features = JSON.parse(data.textContent);
  holder.hidden = false;
  fallback.hidden = true;
  var map = L.map(holder, { zoomSnap: 0.25, attributionControl: false });
  var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
    style: function (f) {
      return {
        color: f.properties.stroke,
        weight: f.properties.weight,
        fillColor: f.properties.fill === "none" ? "#000" : f.properties.fill,
        fillOpacity: f.properties.fill === "none" ? 0 : 0.85,
        interactive: Boolean(f.properties.href)
      };
    },
    onEachFeature: function (f, l) {
      if (!f.properties.href) return;
      l.bindTooltip(f.properties.label, { sticky: true });
      l.on("click", function () { window.location.href = f.properties.href; });
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [8, 8] });
})();
