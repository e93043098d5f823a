/* ecograph explore page: a map, a network and a timeline of the cross-border links.
 *
 * Everything it draws comes from /api/explore (aggregated on the server) and, for one link or
 * one ecosystem, /api/explore/link and /api/explore/node. The filters and the chosen view and
 * link live in the URL, so a view can be shared and a reload gives the same state. Libraries:
 * d3 and topojson-client, vendored (see docs/explore.md); the basemap is the vendored
 * world-atlas. No request leaves this server.
 */
(function () {
  "use strict";

  var base = document.body.dataset.base || "/";
  var lang = document.documentElement.lang === "it" ? "it" : "en";
  var other = lang === "it" ? "en" : "it";
  var WORDS = {
    en: {
      agreement: "agreement", mission: "mission", project: "project", event: "event",
      activity: "other activity", actual: "actual", prospectiveShort: "prospective", unplaced: "{n} links not on the map: an ecosystem without coordinates (see the network)", itemsShown: "{n} of {m} activities and agreements with a year: every {k}th in date order", prospective: "prospective (planned or under consideration)",
      links: "links", shown: "shown", items: "activities and agreements", loading: "Loading…",
      none: "No link matches these filters.", failed: "The data could not be loaded: ",
      evidence: "activities and agreements", actors: "actors", quotes: "Quotes", source: "source",
      noquote: "no quote", noyear: "year not given", nodate: "no date", close: "Close",
      linkOf: "Links of", actorsOf: "Actors", more: "more", width: "width: number of activities and agreements",
      dashed: "dashed: prospective", size: "size: number of actors", colourCountry: "colour: country",
      status: "status", sectors: "sectors", openLink: "open the link's page", located: "position: mean of the places within it",
      undatedNone: "Every item shown has a year.", noDated: "No activity or agreement shown here has a year: see the list below.", startDate: "start", endDate: "end", date: "date", signedDate: "signed",
      months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    },
    it: {
      agreement: "accordo", mission: "missione", project: "progetto", event: "evento",
      activity: "altra attività", actual: "avvenuto", prospectiveShort: "prospettico", unplaced: "{n} collegamenti non sulla mappa: un ecosistema senza coordinate (vedi la rete)", itemsShown: "{n} di {m} attività e accordi con un anno: uno ogni {k} in ordine di data", prospective: "prospettico (previsto o in valutazione)",
      links: "collegamenti", shown: "mostrati", items: "attività e accordi", loading: "Caricamento…",
      none: "Nessun collegamento corrisponde ai filtri.", failed: "Impossibile caricare i dati: ",
      evidence: "attività e accordi", actors: "attori", quotes: "Citazioni", source: "fonte",
      noquote: "nessuna citazione", noyear: "anno non indicato", nodate: "nessuna data", close: "Chiudi",
      linkOf: "Collegamenti di", actorsOf: "Attori", more: "altri", width: "spessore: numero di attività e accordi",
      dashed: "tratteggio: prospettico", size: "dimensione: numero di attori", colourCountry: "colore: paese",
      status: "stato", sectors: "settori", openLink: "apri la pagina del collegamento", located: "posizione: media dei luoghi che contiene",
      undatedNone: "Tutti gli elementi mostrati hanno un anno.", noDated: "Nessuna attività o accordo mostrato ha un anno: vedi l'elenco sotto.", startDate: "inizio", endDate: "fine", date: "data", signedDate: "firmato",
      months: ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    },
  };
  var T = WORDS[lang];
  /* Okabe–Ito colours, darkened where needed for 3:1 contrast against the map's land and sea. */
  var KIND_COLOURS = { agreement: "#0060a0", mission: "#b34a00", project: "#00765a", event: "#9c3d82", activity: "#555555" };
  var KIND_ORDER = ["agreement", "mission", "project", "event", "activity"];
  var FILTERS = ["country", "region", "sector", "kind", "status", "from", "to", "level"];

  var state = { asked: 0, data: null, drawn: {}, filters: {}, view: "map", link: null, node: null, world: null, zoom: null };
  window.exploreTimings = {};

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function label(map, fallback) {
    map = map || {};
    return map[lang] || map.en || map.it || map[""] || fallback || "";
  }
  function otherLabel(map) {
    map = map || {};
    var first = label(map);
    var alt = map[other];
    return alt && alt !== first ? alt : "";
  }
  function slug(iri) { return String(iri || "").replace(/\/$/, "").split("/").pop(); }
  function localHref(iri) {
    var canonical = document.body.dataset.iriBase || "";
    if (iri && canonical && iri.indexOf(canonical) === 0) return base + iri.slice(canonical.length);
    return iri;
  }
  function dominantKind(kinds) {
    var best = "activity", count = -1;
    KIND_ORDER.forEach(function (k) { if ((kinds[k] || 0) > count) { best = k; count = kinds[k] || 0; } });
    return best;
  }
  function dateWords(d) {
    var v = d.value, m;
    if (d.datatype === "gMonthDay" && (m = /^--(\d\d)-(\d\d)/.exec(v))) {
      return +m[2] + " " + T.months[+m[1] - 1] + " (" + T.noyear + ")";
    }
    if (d.datatype === "gYearMonth" && (m = /^(\d{4})-(\d\d)/.exec(v))) return T.months[+m[2] - 1] + " " + m[1];
    if (d.datatype === "date" && (m = /^(\d{4})-(\d\d)-(\d\d)/.exec(v))) return +m[3] + " " + T.months[+m[2] - 1] + " " + m[1];
    return v;
  }
  function datesText(item) {
    if (!item.dates.length) return T.nodate;
    return item.dates.map(function (d) { return (T[d.property] || d.property) + " " + dateWords(d); }).join(", ");
  }

  /* ------------------------------------------------------------------ URL state */

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.filters = {};
    FILTERS.forEach(function (name) {
      state.filters[name] = params.get(name) || (name === "level" ? "region" : "");
      var field = $("f-" + name);
      if (field) field.value = state.filters[name];
    });
    state.view = ["map", "network", "timeline"].indexOf(params.get("view")) >= 0 ? params.get("view") : "map";
    state.link = params.get("link");
    state.node = params.get("node");
  }
  function readForm() {
    /* The filters as the form shows them (a select's options arrive with the data, so the
       URL's values are kept in state.filters until then). */
    FILTERS.forEach(function (name) { state.filters[name] = $("f-" + name).value; });
  }
  function apiParams() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      if (state.filters[name]) params.set(name, state.filters[name]);
    });
    if (params.get("level") === "region") params.delete("level");
    return params;
  }
  function writeUrl() {
    var params = apiParams();
    if (state.view !== "map") params.set("view", state.view);
    if (state.link) params.set("link", state.link);
    if (state.node) params.set("node", state.node);
    if (lang === "it") params.set("lang", "it");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    $("f-view").value = state.view;
  }

  /* ------------------------------------------------------------------ data */

  function getJson(path) {
    return fetch(base + path, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) return r.text().then(function (t) { throw new Error(r.status + " " + t.slice(0, 200)); });
      return r.json();
    });
  }
  function load() {
    $("explore-summary").textContent = T.loading;
    var t0 = performance.now(), asked = ++state.asked;
    return getJson("api/explore?" + apiParams().toString()).then(function (data) {
      if (asked !== state.asked) return; /* a later change of filters has asked again */
      window.exploreTimings.fetch = performance.now() - t0;
      state.data = data;
      fillOptions(data);
      draw();
      if (state.link) openLink(state.link, false);
      else if (state.node) openNode(state.node, false);
    }).catch(function (error) {
      $("explore-summary").textContent = T.failed + error.message;
    });
  }
  function fillOptions(data) {
    function fill(id, entries) {
      var select = $(id), keep = state.filters[id.slice(2)] || "";
      while (select.options.length > 1) select.remove(1);
      entries.forEach(function (e) { select.add(new Option(e[1], e[0])); });
      select.value = keep;
    }
    fill("f-country", data.countries.map(function (c) { return [c.code || c.iri, label(c.label, c.code)]; })
      .sort(function (a, b) { return a[1].localeCompare(b[1]); }));
    fill("f-region", data.regions.map(function (r) { return [slug(r.iri), label(r.label, slug(r.iri))]; })
      .sort(function (a, b) { return a[1].localeCompare(b[1]); }));
    fill("f-sector", data.sectors.map(function (s) { return [s.slug, label(s.label, s.slug)]; })
      .sort(function (a, b) { return a[1].localeCompare(b[1]); }));
    fill("f-kind", data.kinds.map(function (k) { return [k, T[k]]; }));
  }

  /* ------------------------------------------------------------------ drawing */

  function nodeName(id) {
    var node = state.data.nodes.find(function (n) { return n.id === id; });
    return node ? label(node.label, slug(id)) : slug(id);
  }
  function linkName(link) {
    return nodeName(link.between[0]) + " — " + nodeName(link.between[1]);
  }
  function linkAria(link) {
    return linkName(link) + ": " + link.evidence + " " + T.evidence + ", " + T[link.status].split(" (")[0];
  }

  function draw() {
    var data = state.data;
    $("explore-summary").textContent = data.links.length
      ? data.totals.links + " " + T.links + " (" + data.totals.links_shown + " " + T.shown + "), " + data.totals.items + " " + T.items
      : T.none;
    /* Only the view on screen is drawn now; the others when their tab is first shown, so
       that no single task draws all three (the page stays responsive at 1M). */
    state.drawn = {};
    showView(state.view, false);
    drawLegend();
    document.body.dataset.exploreReady = "1";
  }

  function drawView(view) {
    var t0 = performance.now();
    ({ map: drawMap, network: drawNetwork, timeline: drawTimeline })[view](state.data);
    window.exploreTimings[view] = performance.now() - t0;
    state.drawn[view] = true;
    highlight();
  }

  var widthScale = function (data) {
    var max = d3.max(data.links, function (l) { return l.evidence; }) || 1;
    return d3.scaleSqrt().domain([1, max]).range([1.5, 9]);
  };

  function linkInteractions(selection) {
    selection
      .attr("tabindex", 0)
      .attr("role", "button")
      .attr("aria-label", linkAria)
      .on("click", function (event, l) { openLink(l.id, true); })
      .on("keydown", function (event, l) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); openLink(l.id, true); }
      })
      .on("mouseenter focus", function (event, l) { $("map-hover").textContent = linkAria(l); })
      .on("mouseleave blur", function () { $("map-hover").textContent = ""; });
    selection.append("title").text(linkAria);
  }

  function drawMap(data) {
    var svg = d3.select("#map");
    svg.selectAll("*").remove();
    var width = 960, height = 540;
    var placed = data.nodes.filter(function (n) { return n.lat !== null && n.long !== null; });
    var points = { type: "MultiPoint", coordinates: placed.map(function (n) { return [n.long, n.lat]; }) };
    var projection = d3.geoNaturalEarth1();
    if (placed.length > 1) projection.fitExtent([[60, 40], [width - 60, height - 40]], points);
    else projection.fitSize([width, height], { type: "Sphere" });
    var path = d3.geoPath(projection);
    var root = svg.append("g").attr("class", "zoom-root");
    root.append("path").attr("class", "sphere").attr("d", path({ type: "Sphere" }));
    if (state.world) {
      root.append("g").attr("class", "countries").selectAll("path")
        .data(state.world).join("path").attr("class", "country").attr("d", path);
    }
    var position = {};
    placed.forEach(function (n) { position[n.id] = projection([n.long, n.lat]); });
    var width_ = widthScale(data);
    var drawable = data.links.filter(function (l) { return position[l.between[0]] && position[l.between[1]]; });
    var arcs = root.append("g").attr("class", "arcs").selectAll("path")
      .data(drawable.slice().sort(function (a, b) { return b.evidence - a.evidence; }))
      .join("path")
      .attr("class", function (l) { return "arc kind-" + dominantKind(l.kinds) + (l.status === "prospective" ? " prospective" : ""); })
      .attr("data-id", function (l) { return l.id; })
      .attr("d", function (l) {
        var a = position[l.between[0]], b = position[l.between[1]];
        /* A prospective link bends the other way, so that it never hides an actual one. */
        var dx = b[0] - a[0], dy = b[1] - a[1], bend = l.status === "prospective" ? -0.25 : 0.25;
        var mx = (a[0] + b[0]) / 2 - dy * bend, my = (a[1] + b[1]) / 2 + dx * bend;
        return "M" + a[0] + "," + a[1] + "Q" + mx + "," + my + " " + b[0] + "," + b[1];
      })
      .attr("stroke", function (l) { return KIND_COLOURS[dominantKind(l.kinds)]; })
      .attr("stroke-width", function (l) { return width_(l.evidence); });
    linkInteractions(arcs);
    if (drawable.length < data.links.length) {
      svg.append("text").attr("class", "empty-note").attr("x", 12).attr("y", height - 12)
        .text(T.unplaced.replace("{n}", data.links.length - drawable.length));
    }
    var maxActors = d3.max(placed, function (n) { return n.actors; }) || 1;
    var radius = d3.scaleSqrt().domain([0, maxActors]).range([2.5, 10]);
    var nodes = root.append("g").attr("class", "points").selectAll("g")
      .data(placed).join("g").attr("class", "point")
      .attr("transform", function (n) { return "translate(" + position[n.id] + ")"; });
    nodes.append("circle").attr("r", function (n) { return radius(n.actors); })
      .attr("class", function (n) { return n.located === "places" ? "approximate" : null; });
    nodes.append("title").text(function (n) {
      return label(n.label) + " (" + n.actors + " " + T.actors + ")" + (n.located === "places" ? " — " + T.located : "");
    });
    nodes.attr("tabindex", 0).attr("role", "button")
      .attr("aria-label", function (n) { return label(n.label) + ", " + n.actors + " " + T.actors; })
      .on("click", function (event, n) { openNode(n.id, true); })
      .on("keydown", function (event, n) { if (event.key === "Enter") openNode(n.id, true); });
    var zoom = d3.zoom().scaleExtent([1, 24]).on("zoom", function (event) {
      root.attr("transform", event.transform);
      root.selectAll(".arc").attr("stroke-width", function (l) { return width_(l.evidence) / Math.sqrt(event.transform.k); });
      root.selectAll(".point").attr("transform", function (n) {
        return "translate(" + position[n.id] + ") scale(" + 1 / Math.sqrt(event.transform.k) + ")";
      });
    });
    svg.call(zoom);
    state.zoom = { zoom: zoom, svg: svg };
  }

  function countryColour(data) {
    var countries = data.countries.map(function (c) { return c.iri; });
    return d3.scaleOrdinal().domain(countries).range(d3.schemeTableau10);
  }

  function drawNetwork(data) {
    var svg = d3.select("#network");
    svg.selectAll("*").remove();
    var width = 960, height = 600;
    var ids = {};
    data.links.forEach(function (l) { ids[l.between[0]] = 1; ids[l.between[1]] = 1; });
    var nodes = data.nodes.filter(function (n) { return ids[n.id]; }).map(function (n) { return Object.assign({}, n); });
    var edges = data.links.map(function (l) { return Object.assign({}, l, { source: l.between[0], target: l.between[1] }); });
    var maxActors = d3.max(nodes, function (n) { return n.actors; }) || 1;
    var radius = d3.scaleSqrt().domain([0, maxActors]).range([4, 22]);
    var colour = countryColour(data);
    var simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(edges).id(function (n) { return n.id; }).distance(70))
      .force("charge", d3.forceManyBody().strength(-120))
      .force("collide", d3.forceCollide(function (n) { return radius(n.actors) + 2; }))
      .force("x", d3.forceX(width / 2).strength(0.06))
      .force("y", d3.forceY(height / 2).strength(0.08))
      .stop();
    /* A fixed number of steps, then one drawing: no animation keeps the page responsive. */
    var steps = Math.min(300, Math.ceil(Math.log(simulation.alphaMin()) / Math.log(1 - simulation.alphaDecay())));
    for (var i = 0; i < steps; i++) simulation.tick();
    var xs = d3.extent(nodes, function (n) { return n.x; }), ys = d3.extent(nodes, function (n) { return n.y; });
    var scale = Math.min((width - 80) / Math.max(1, xs[1] - xs[0]), (height - 80) / Math.max(1, ys[1] - ys[0]), 2.5);
    var offsetX = (width - (xs[1] - xs[0]) * scale) / 2, offsetY = (height - (ys[1] - ys[0]) * scale) / 2;
    function fx(n) { return offsetX + (n.x - xs[0]) * scale; }
    function fy(n) { return offsetY + (n.y - ys[0]) * scale; }
    var width_ = widthScale(data);
    var root = svg.append("g");
    var lines = root.append("g").attr("class", "edges").selectAll("path").data(edges).join("path")
      .attr("class", function (l) { return "edge kind-" + dominantKind(l.kinds) + (l.status === "prospective" ? " prospective" : ""); })
      .attr("data-id", function (l) { return l.id; })
      .attr("d", function (l) {
        /* Straight for an actual link, curved for a prospective one (both may join a pair). */
        var x1 = fx(l.source), y1 = fy(l.source), x2 = fx(l.target), y2 = fy(l.target);
        if (l.status !== "prospective") return "M" + x1 + "," + y1 + "L" + x2 + "," + y2;
        var mx = (x1 + x2) / 2 - (y2 - y1) * 0.2, my = (y1 + y2) / 2 + (x2 - x1) * 0.2;
        return "M" + x1 + "," + y1 + "Q" + mx + "," + my + " " + x2 + "," + y2;
      })
      .attr("stroke", function (l) { return KIND_COLOURS[dominantKind(l.kinds)]; })
      .attr("stroke-width", function (l) { return width_(l.evidence); });
    linkInteractions(lines);
    var groups = root.append("g").attr("class", "network-nodes").selectAll("g").data(nodes).join("g")
      .attr("class", "network-node").attr("transform", function (n) { return "translate(" + fx(n) + "," + fy(n) + ")"; })
      .attr("tabindex", 0).attr("role", "button")
      .attr("aria-label", function (n) { return label(n.label) + ", " + n.actors + " " + T.actors; })
      .on("click", function (event, n) { openNode(n.id, true); })
      .on("keydown", function (event, n) { if (event.key === "Enter") openNode(n.id, true); });
    groups.append("circle").attr("r", function (n) { return radius(n.actors); }).attr("fill", function (n) { return colour(n.country); });
    groups.append("title").text(function (n) { return label(n.label) + " (" + n.actors + " " + T.actors + ")"; });
    groups.filter(function (n) { return radius(n.actors) >= 9 || nodes.length <= 40; }).append("text")
      .attr("dy", function (n) { return -radius(n.actors) - 3; }).attr("text-anchor", "middle")
      .text(function (n) { return label(n.label); });
    svg.call(d3.zoom().scaleExtent([0.5, 12]).on("zoom", function (event) { root.attr("transform", event.transform); }));
  }

  function itemSpan(item) {
    /* The period a date stands for: a year is the whole year, a month the whole month. */
    var spans = [];
    item.dates.forEach(function (d) {
      var m;
      if (d.datatype === "date" && (m = /^(\d{4})-(\d\d)-(\d\d)/.exec(d.value))) {
        var day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
        spans.push([day, new Date(day.getTime() + 86400000)]);
      } else if (d.datatype === "gYearMonth" && (m = /^(\d{4})-(\d\d)/.exec(d.value))) {
        spans.push([new Date(Date.UTC(+m[1], +m[2] - 1, 1)), new Date(Date.UTC(+m[1], +m[2], 1))]);
      } else if (d.datatype === "gYear" && (m = /^(\d{4})/.exec(d.value))) {
        spans.push([new Date(Date.UTC(+m[1], 0, 1)), new Date(Date.UTC(+m[1] + 1, 0, 1))]);
      }
    });
    if (!spans.length) return null;
    return [d3.min(spans, function (s) { return s[0]; }), d3.max(spans, function (s) { return s[1]; })];
  }

  function drawTimeline(data) {
    var svg = d3.select("#timeline");
    svg.selectAll("*").remove();
    var width = 960, height = 320, left = 130, right = 20, top = 20, bottom = 30;
    var dated = [], undated = [];
    data.items.forEach(function (item) {
      var span = item.year === null ? null : itemSpan(item);
      if (span) dated.push({ item: item, span: span }); else undated.push(item);
    });
    var lanes = KIND_ORDER.filter(function (k) { return dated.some(function (d) { return d.item.kind === k; }); });
    var x = d3.scaleUtc()
      .domain(dated.length ? [d3.min(dated, function (d) { return d.span[0]; }), d3.max(dated, function (d) { return d.span[1]; })] : [new Date(Date.UTC(2015, 0, 1)), new Date(Date.UTC(2025, 0, 1))])
      .nice().range([left, width - right]);
    var y = d3.scaleBand().domain(lanes).range([top, height - bottom]).padding(0.15);
    if (dated.length) {
      svg.append("g").attr("class", "axis").attr("transform", "translate(0," + (height - bottom) + ")").call(d3.axisBottom(x).ticks(8));
      svg.append("g").attr("class", "axis lanes").attr("transform", "translate(" + left + ",0)")
        .call(d3.axisLeft(y).tickFormat(function (k) { return T[k]; }));
    } else {
      svg.append("text").attr("class", "empty-note").attr("x", width / 2).attr("y", height / 2)
        .attr("text-anchor", "middle").text(T.noDated);
    }
    var marks = svg.append("g").attr("class", "timeline-items").selectAll("rect").data(dated).join("rect")
      .attr("class", function (d) { return "timeline-item kind-" + d.item.kind; })
      .attr("x", function (d) { return x(d.span[0]); })
      .attr("width", function (d) { return Math.max(3, x(d.span[1]) - x(d.span[0])); })
      .attr("y", function (d, i) { return y(d.item.kind) + (i % 4) * y.bandwidth() / 4; })
      .attr("height", Math.max(3, y.bandwidth() / 4 - 2))
      .attr("fill", function (d) { return KIND_COLOURS[d.item.kind]; })
      .attr("tabindex", 0).attr("role", "button")
      .attr("aria-label", function (d) { return label(d.item.label, slug(d.item.iri)) + ": " + datesText(d.item); })
      .on("click", function (event, d) { openLink(d.item.links[0], true); })
      .on("keydown", function (event, d) { if (event.key === "Enter") openLink(d.item.links[0], true); });
    marks.append("title").text(function (d) { return label(d.item.label, slug(d.item.iri)) + " — " + datesText(d.item); });
    if (dated.length < data.totals.items_with_year) {
      svg.append("text").attr("class", "empty-note").attr("x", width - right).attr("y", 12).attr("text-anchor", "end")
        .text(T.itemsShown.replace("{n}", dated.length).replace("{m}", data.totals.items_with_year).replace("{k}", data.totals.items_every));
    }
    var list = $("undated-list");
    list.textContent = "";
    if (!undated.length) list.appendChild(el("li", { class: "hint" }, T.undatedNone));
    undated.forEach(function (item) {
      var li = el("li", { class: "undated-item" });
      var button = el("button", { type: "button", class: "linklike" }, label(item.label, slug(item.iri)));
      button.addEventListener("click", function () { openLink(item.links[0], true); });
      li.appendChild(button);
      li.appendChild(el("span", { class: "hint" }, " · " + T[item.kind] + " · " + datesText(item)));
      list.appendChild(li);
    });
  }

  function drawLegend() {
    var legend = $("legend");
    legend.textContent = "";
    var list = el("ul");
    KIND_ORDER.forEach(function (k) {
      var li = el("li");
      var swatch = el("span", { class: "swatch", style: "background:" + KIND_COLOURS[k], "aria-hidden": "true" });
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(T[k]));
      list.appendChild(li);
    });
    [T.width, T.dashed, T.size].forEach(function (t) { list.appendChild(el("li", { class: "hint" }, t)); });
    legend.appendChild(list);
    if (state.view === "network" && state.data) {
      var colour = countryColour(state.data), countries = el("ul", { "aria-label": T.colourCountry });
      var shown = {};
      state.data.nodes.forEach(function (n) { shown[n.country] = 1; });
      state.data.countries.filter(function (c) { return shown[c.iri]; }).forEach(function (c) {
        var li = el("li");
        li.appendChild(el("span", { class: "dot", style: "background:" + colour(c.iri), "aria-hidden": "true" }));
        li.appendChild(document.createTextNode(label(c.label, c.code)));
        countries.appendChild(li);
      });
      legend.appendChild(countries);
    }
  }

  function showView(view, focus) {
    state.view = view;
    ["map", "network", "timeline"].forEach(function (v) {
      var tab = $("tab-" + v), panel = $("view-" + v), on = v === view;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panel.hidden = !on;
      if (on && focus) tab.focus();
    });
    if (state.data && !state.drawn[view]) drawView(view);
    writeUrl();
  }

  /* ------------------------------------------------------------------ side panel */

  function panelHeader(panel, title, href) {
    panel.textContent = "";
    var close = el("button", { type: "button", class: "panel-close", "aria-label": T.close }, "×");
    close.addEventListener("click", function () { state.link = null; state.node = null; writeUrl(); panel.textContent = ""; highlight(); });
    panel.appendChild(close);
    var h = el("h2");
    if (href) h.appendChild(el("a", { href: href }, title)); else h.textContent = title;
    panel.appendChild(h);
  }

  function highlight() {
    d3.selectAll(".arc, .edge").classed("selected", function (l) { return l.id === state.link; });
  }

  function openLink(id, focus) {
    if (!id) return;
    state.link = id; state.node = null; writeUrl(); highlight();
    var panel = $("explore-panel");
    panel.textContent = T.loading;
    getJson("api/explore/link?iri=" + encodeURIComponent(id)).then(function (detail) {
      var names = detail.between.map(function (b) { return nodeName(b); });
      panelHeader(panel, names.join(" — "), detail.iri ? localHref(detail.iri) : null);
      panel.appendChild(el("p", { class: "status-" + detail.status }, T.status + ": " + T[detail.status]));
      var list = el("ol", { class: "panel-items" });
      detail.items.forEach(function (item) {
        var li = el("li", { class: "panel-item" });
        var head = el("h3");
        head.appendChild(el("a", { href: localHref(item.iri) }, label(item.label, slug(item.iri))));
        var alt = otherLabel(item.label);
        if (alt) head.appendChild(el("small", { class: "alt", lang: other }, " " + alt));
        li.appendChild(head);
        li.appendChild(el("p", { class: "meta" }, T[item.kind] + " · " + datesText(item) + (item.status ? " · " + item.status.replace(/-/g, " ") : "")));
        if (!item.quotes.length) li.appendChild(el("p", { class: "hint" }, T.noquote));
        item.quotes.forEach(function (q) {
          var figure = el("figure", { class: "quote" });
          figure.appendChild(el("blockquote", { lang: "it", cite: q.source || "" }, q.text));
          if (q.source) {
            var cap = el("figcaption");
            cap.appendChild(document.createTextNode(T.source + ": "));
            cap.appendChild(el("a", { href: localHref(q.source) }, q.source_title || slug(q.source)));
            figure.appendChild(cap);
          }
          li.appendChild(figure);
        });
        list.appendChild(li);
      });
      panel.appendChild(list);
      if (focus) panel.focus();
    }).catch(function (error) { panel.textContent = T.failed + error.message; });
  }

  function openNode(id, focus) {
    state.node = id; state.link = null; writeUrl(); highlight();
    var panel = $("explore-panel");
    var node = state.data.nodes.find(function (n) { return n.id === id; });
    var links = state.data.links.filter(function (l) { return l.between.indexOf(id) >= 0; });
    panelHeader(panel, node ? label(node.label) : slug(id), node && node.level !== "country" ? localHref(id) : localHref(id));
    if (node) panel.appendChild(el("p", { class: "meta" }, T.actors + ": " + node.actors));
    panel.appendChild(el("h3", {}, T.linkOf + " " + (node ? label(node.label) : slug(id))));
    var ul = el("ul", { class: "panel-links" });
    links.forEach(function (l) {
      var li = el("li");
      var b = el("button", { type: "button", class: "linklike" }, linkName(l) + (l.status === "prospective" ? " (" + T.prospectiveShort + ")" : ""));
      b.addEventListener("click", function () { openLink(l.id, true); });
      li.appendChild(b);
      li.appendChild(el("span", { class: "hint" }, " · " + l.evidence + " " + T.evidence));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
    var actorsHead = el("h3", {}, T.actorsOf);
    panel.appendChild(actorsHead);
    var actors = el("ul", { class: "panel-actors" });
    panel.appendChild(actors);
    getJson("api/explore/node?iri=" + encodeURIComponent(id)).then(function (detail) {
      detail.actors.forEach(function (a) {
        var li = el("li");
        li.appendChild(el("a", { href: localHref(a.iri) }, label(a.label, slug(a.iri))));
        actors.appendChild(li);
      });
      if (detail.more) actors.appendChild(el("li", { class: "hint" }, "+ " + detail.more + " " + T.more));
    }).catch(function (error) { actors.appendChild(el("li", {}, T.failed + error.message)); });
    if (focus) panel.focus();
  }

  /* ------------------------------------------------------------------ start */

  function start() {
    readUrl();
    var form = $("explore-filters");
    function refilter() { readForm(); state.link = null; state.node = null; writeUrl(); load(); }
    form.addEventListener("submit", function (event) { event.preventDefault(); refilter(); });
    FILTERS.forEach(function (name) { $("f-" + name).addEventListener("change", refilter); });
    $("f-reset").addEventListener("click", function () {
      FILTERS.forEach(function (name) { $("f-" + name).value = name === "level" ? "region" : ""; });
      refilter();
    });
    document.querySelectorAll(".explore-tabs [role=tab]").forEach(function (tab) {
      tab.addEventListener("click", function () { showView(tab.dataset.view, false); drawLegend(); });
      tab.addEventListener("keydown", function (event) {
        var order = ["map", "network", "timeline"], i = order.indexOf(state.view);
        if (event.key === "ArrowRight") { showView(order[(i + 1) % 3], true); drawLegend(); }
        if (event.key === "ArrowLeft") { showView(order[(i + 2) % 3], true); drawLegend(); }
      });
    });
    $("zoom-in").addEventListener("click", function () { if (state.zoom) state.zoom.svg.transition().call(state.zoom.zoom.scaleBy, 1.6); });
    $("zoom-out").addEventListener("click", function () { if (state.zoom) state.zoom.svg.transition().call(state.zoom.zoom.scaleBy, 1 / 1.6); });
    $("zoom-reset").addEventListener("click", function () { if (state.zoom) state.zoom.svg.transition().call(state.zoom.zoom.transform, d3.zoomIdentity); });
    var t0 = performance.now();
    var world = fetch(base + "static/vendor/world-atlas/countries-50m.json?v=2.0.2").then(function (r) { return r.json(); })
      .then(function (topology) {
        state.world = topojson.feature(topology, topology.objects.countries).features;
        window.exploreTimings.basemap = performance.now() - t0;
      });
    world.then(load, function (error) { $("explore-summary").textContent = T.failed + error.message; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
