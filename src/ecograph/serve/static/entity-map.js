/* The small map of an entity page: drawn only when the entity, or a place it is linked to,
 * has coordinates (/api/explore/places). The map libraries (vendored d3, topojson-client)
 * and the basemap are loaded only then, from this server. */
(function () {
  "use strict";

  var section = document.getElementById("entity-map");
  if (!section) return;
  var base = document.body.dataset.base || "/";
  var lang = document.documentElement.lang === "it" ? "it" : "en";

  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = base + src;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(tag);
    });
  }
  function label(map, fallback) {
    map = map || {};
    return map[lang] || map.en || map.it || map[""] || fallback;
  }
  function slug(iri) { return String(iri).replace(/\/$/, "").split("/").pop(); }

  function draw(points, topology) {
    var svg = d3.select(section.querySelector("svg"));
    var width = 480, height = 300;
    var countries = topojson.feature(topology, topology.objects.countries);
    var lats = points.map(function (p) { return p.lat; }), longs = points.map(function (p) { return p.long; });
    /* A box a few degrees around the points, so that one point still shows its surroundings. */
    var box = {
      type: "MultiPoint",
      coordinates: [[d3.min(longs) - 6, d3.min(lats) - 4], [d3.max(longs) + 6, d3.max(lats) + 4]],
    };
    var projection = d3.geoMercator().fitExtent([[10, 10], [width - 10, height - 10]], box);
    var path = d3.geoPath(projection);
    svg.append("g").selectAll("path").data(countries.features).join("path").attr("class", "country").attr("d", path);
    var marks = svg.append("g").selectAll("g").data(points).join("g").attr("class", "point")
      .attr("transform", function (p) { return "translate(" + projection([p.long, p.lat]) + ")"; });
    marks.append("circle").attr("r", 5);
    /* Labels point inwards, so that one near the edge stays readable. */
    var right = function (p) { return projection([p.long, p.lat])[0] > width * 0.6; };
    marks.append("text").attr("x", function (p) { return right(p) ? -8 : 8; })
      .attr("text-anchor", function (p) { return right(p) ? "end" : "start"; })
      .attr("dy", "0.35em").text(function (p) { return label(p.label, slug(p.iri)); });
    var list = section.querySelector("ul");
    points.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = label(p.label, slug(p.iri)) + " (" + p.lat + ", " + p.long + ")" +
        (p.via ? " — " + (lang === "it" ? "coordinate di " : "coordinates of ") + slug(p.via) : "");
      list.appendChild(li);
    });
    section.hidden = false;
    section.dataset.drawn = String(points.length);
  }

  fetch(base + "api/explore/places?iri=" + encodeURIComponent(section.dataset.entity))
    .then(function (r) { return r.ok ? r.json() : { points: [] }; })
    .then(function (found) {
      if (!found.points.length) { section.dataset.drawn = "0"; return null; }
      return script("static/vendor/d3/dist/d3.min.js?v=7.9.2")
        .then(function () { return script("static/vendor/topojson-client/dist/topojson-client.min.js?v=3.1.0"); })
        .then(function () { return fetch(base + "static/vendor/world-atlas/countries-50m.json?v=2.0.2"); })
        .then(function (r) { return r.json(); })
        .then(function (topology) { draw(found.points, topology); });
    });
})();
