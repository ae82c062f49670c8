// Enhances the "where" question with a map (no tile server): clicking inside
// the borough's outline fills in the latitude and longitude fields. Without
// JavaScript the fields are there to type into, as is the street name.
(function () {
  "use strict";
  var data = document.getElementById("reports-where-borough");
  var holder = document.getElementById("reports-where-map");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!data || !holder || !lat || !lon || !window.L) return;
  holder.hidden = false;
  var map = L.map(holder, { zoomSnap: 0.25, attributionControl: false });
  var outline = L.geoJSON(JSON.parse(data.textContent), {
    style: { color: "#0b0c0c", weight: 2, fillColor: "#a6cee3", fillOpacity: 0.4 }
  }).addTo(map);
  map.fitBounds(outline.getBounds(), { padding: [8, 8] });
  var marker = null;
  function place(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) marker.setLatLng(latlng);
    else marker = L.circleMarker(latlng, { radius: 8, color: "#d4351c" }).addTo(map);
  }
  map.on("click", function (e) { place(e.latlng); });
  if (lat.value && lon.value) place(L.latLng(Number(lat.value), Number(lon.value)));
})();
