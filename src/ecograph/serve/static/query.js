// The query page: a SPARQL editor (CodeMirror, with completion of prefixes and of the ontology's
// terms from /api/terms), the answer of /sparql shown as a table, a bar chart, a map or a
// network, a share link that keeps the query and the view, and downloads in the formats /sparql
// negotiates. Every value is written with textContent or setAttribute, never as HTML.
(function () {
  "use strict";
  const base = document.body.dataset.base || "/";
  const iriBase = document.body.dataset.iriBase || "";
  const ontology = "https://w3id.org/ecograph/ontology#";
  const SVG = "http://www.w3.org/2000/svg";
  const words = JSON.parse(document.getElementById("page-words").textContent || "{}");
  const catalogue = JSON.parse(document.getElementById("catalogue-data").textContent || "{}");
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query-text");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const tabs = Array.from(document.querySelectorAll(".result-tabs [data-view]"));
  const shareButton = document.getElementById("share");
  const shareLine = document.getElementById("share-line");
  const shareUrl = document.getElementById("share-url");
  const downloads = document.getElementById("downloads");
  const downloadLinks = document.getElementById("download-links");
  const opened = new URLSearchParams(window.location.search);

  let terms = { prefixes: {}, terms: [] };
  let coordinates = null; // IRI -> [lat, long], fetched when a map may be drawn
  let world = null; // the basemap's countries, fetched with the first map
  let answer = null; // { kind: "select"|"ask"|"graph", vars, rows }
  let view = opened.get("view") || (catalogue[opened.get("name")] || {}).view || "table";
  let ranText = null;

  // ------------------------------------------------------------------------------ editor
  let editor = null;
  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "sparql",
      lineNumbers: true,
      matchBrackets: true,
      indentUnit: 2,
      viewportMargin: Infinity,
      extraKeys: {
        "Ctrl-Space": "autocomplete",
        "Ctrl-Enter": () => run(),
        "Cmd-Enter": () => run(),
        // Esc gives Tab back to the page, so that the editor never traps the keyboard.
        Esc: (cm) => cm.setOption("extraKeys", Object.assign({}, cm.getOption("extraKeys"), { Tab: false, "Shift-Tab": false })),
      },
      hintOptions: { hint: sparqlHint, completeSingle: false },
    });
    editor.on("focus", (cm) => {
      const keys = Object.assign({}, cm.getOption("extraKeys"));
      delete keys.Tab;
      delete keys["Shift-Tab"];
      cm.setOption("extraKeys", keys);
    });
    editor.on("inputRead", (cm, change) => {
      if (change.origin !== "+input" || cm.state.completionActive) return;
      const typed = change.text[change.text.length - 1];
      if (/[\w:]$/.test(typed)) {
        const word = wordBefore(cm);
        if (word.text.length >= 2 || word.text.endsWith(":")) cm.showHint();
      }
    });
    editor.getInputField().setAttribute("aria-label", textarea.labels[0] ? textarea.labels[0].textContent.trim() : "SPARQL");
    editor.getWrapperElement().id = "query-editor";
  }
  function getText() {
    return editor ? editor.getValue() : textarea.value;
  }
  function setText(text) {
    if (editor) editor.setValue(text);
    else textarea.value = text;
  }

  function wordBefore(cm) {
    const cursor = cm.getCursor();
    const line = cm.getLine(cursor.line).slice(0, cursor.ch);
    const match = /[\w:.-]*$/.exec(line);
    const text = match ? match[0].replace(/^\.+/, "") : "";
    return { text: text, line: line, from: window.CodeMirror.Pos(cursor.line, cursor.ch - text.length), to: cursor };
  }

  function label(term) {
    const lang = document.documentElement.lang === "it" ? "it" : "en";
    return term.label[lang] || term.label.en || term.label.it || "";
  }

  // Completion: after PREFIX, the prefix declarations; in a name with a colon, the terms of
  // that prefix (the ontology's, by local name or label); otherwise prefixes and terms whose
  // local name or label starts with what was typed.
  function sparqlHint(cm) {
    const word = wordBefore(cm);
    const typed = word.text;
    const list = [];
    if (/\bPREFIX\s+[\w-]*$/i.test(word.line)) {
      for (const [name, namespace] of Object.entries(terms.prefixes)) {
        if (name.startsWith(typed.replace(/:$/, ""))) {
          list.push({ text: name + ": <" + namespace + ">", displayText: name + ": <" + namespace + ">" });
        }
      }
      return { list: list, from: word.from, to: word.to };
    }
    const colon = typed.indexOf(":");
    const wanted = (colon >= 0 ? typed.slice(colon + 1) : typed).toLowerCase();
    const prefix = colon >= 0 ? typed.slice(0, colon) : null;
    if (prefix === null) {
      for (const name of Object.keys(terms.prefixes)) {
        if (name.startsWith(wanted)) list.push({ text: name + ":", displayText: name + ":  <" + terms.prefixes[name] + ">" });
      }
    }
    if (prefix === null || terms.prefixes[prefix] === ontology) {
      const shown = prefix === null ? "eco" : prefix;
      for (const term of terms.terms) {
        const local = term.curie.slice(4);
        const name = label(term);
        const hit = local.toLowerCase().startsWith(wanted) || name.toLowerCase().startsWith(wanted) ||
          (wanted.length >= 3 && local.toLowerCase().includes(wanted));
        if (hit) {
          list.push({
            text: shown + ":" + local,
            displayText: shown + ":" + local + "  — " + name + " (" + (words[term.kind] || term.kind) + ")",
          });
        }
      }
    }
    return { list: list.slice(0, 60), from: word.from, to: word.to };
  }

  // ------------------------------------------------------------------------------ helpers
  function el(tag, attrs, content) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }
  function svgEl(tag, attrs, content) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }
  function localHref(iri) {
    if (iri.startsWith(ontology)) return base + "ontology#" + iri.slice(ontology.length);
    return iriBase && iri.startsWith(iriBase) ? base + iri.slice(iriBase.length) : iri;
  }
  function shortIri(iri) {
    if (iri.startsWith(ontology)) return "eco:" + iri.slice(ontology.length);
    if (iriBase && iri.startsWith(iriBase + "id/")) return "ecoid:" + iri.slice(iriBase.length + 3);
    return iri;
  }
  function isNumber(term) {
    return term && term.type === "literal" && term.datatype &&
      /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/.test(term.datatype) &&
      isFinite(Number(term.value));
  }
  function text(term) {
    if (!term) return "";
    return term.type === "uri" ? shortIri(term.value) : term.value;
  }

  // ------------------------------------------------------------------------------ views
  // Which columns a view can draw, or null when it cannot.
  function columns(kind) {
    if (!answer || answer.kind === "ask") return null;
    const vars = answer.vars;
    const rows = answer.rows;
    if (kind === "table") return {};
    if (!rows.length) return null;
    const all = (v, test) => rows.every((r) => !r[v] || test(r[v])) && rows.some((r) => r[v]);
    const numeric = vars.filter((v) => all(v, isNumber));
    const iris = vars.filter((v) => all(v, (t) => t.type === "uri" || t.type === "bnode"));
    const labels = vars.filter((v) => !numeric.includes(v) && all(v, (t) => t.type === "literal"));
    if (kind === "bar") {
      const value = numeric[0];
      const name = labels[0] || iris[0];
      return value && name ? { value: value, name: name, iri: iris[0] } : null;
    }
    if (kind === "map") {
      const lat = numericOrDecimal(vars.find((v) => /^(lat|latitude)$/i.test(v) || /lat$/i.test(v)));
      const lon = numericOrDecimal(vars.find((v) => /^(long|lon|lng|longitude)$/i.test(v) || /(long|lng)$/i.test(v)));
      if (lat && lon) return { lat: lat, lon: lon, name: labels[0] || iris[0], iri: iris[0], size: numeric.find((v) => v !== lat && v !== lon) };
      if (!coordinates) return null;
      const place = iris.find((v) => rows.some((r) => r[v] && coordinates[r[v].value]));
      return place ? { place: place, name: labelFor(place, labels) || labels[0], size: numeric[0] } : null;
    }
    if (kind === "network") {
      if (answer.kind === "graph") {
        return rows.some((r) => r.object.type !== "literal") ? { source: "subject", target: "object", predicate: "predicate" } : null;
      }
      if (iris.length < 2) return null;
      return { source: iris[0], target: iris[1], sourceName: labelFor(iris[0], labels), targetName: labelFor(iris[1], labels), weight: numeric[0] };
    }
    return null;
  }
  function numericOrDecimal(v) {
    if (!v || !answer.rows.some((r) => r[v])) return null;
    return answer.rows.every((r) => !r[v] || isFinite(Number(r[v].value))) ? v : null;
  }
  // The label column that goes with an IRI column: ?xLabel for ?x, else none.
  function labelFor(v, labels) {
    return labels.find((l) => l.toLowerCase() === (v + "label").toLowerCase()) || null;
  }

  function note(message) {
    results.appendChild(el("p", { class: "view-note" }, message));
  }

  function drawTable() {
    const table = el("table", { class: "results" });
    const head = el("tr");
    answer.vars.forEach((v) => head.appendChild(el("th", { scope: "col" }, v)));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    answer.rows.forEach((row) => {
      const tr = el("tr");
      answer.vars.forEach((v) => tr.appendChild(cell(row[v])));
      body.appendChild(tr);
    });
    table.appendChild(body);
    results.appendChild(table);
  }
  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.appendChild(el("a", { href: localHref(term.value), title: term.value }, shortIri(term.value)));
      td.className = "iri";
    } else if (term.type === "bnode") {
      td.appendChild(el("code", {}, "_:" + term.value));
    } else {
      const span = el("span", term.datatype ? { title: term.datatype } : {}, term.value);
      if (term["xml:lang"]) span.setAttribute("lang", term["xml:lang"]);
      td.appendChild(span);
      if (term["xml:lang"]) td.appendChild(el("small", { class: "lang" }, term["xml:lang"]));
      if (isNumber(term)) td.className = "num";
    }
    return td;
  }

  function linked(parent, iri, child) {
    if (!iri) {
      parent.appendChild(child);
      return child;
    }
    const a = svgEl("a", { href: localHref(iri) });
    a.appendChild(child);
    parent.appendChild(a);
    return a;
  }

  function drawBar(spec) {
    const MOST = 60;
    const bars = answer.rows
      .filter((r) => r[spec.value] && r[spec.name])
      .map((r) => ({ name: text(r[spec.name]), value: Number(r[spec.value].value), iri: spec.iri && r[spec.iri] ? r[spec.iri].value : null }))
      .sort((a, b) => b.value - a.value)
      .slice(0, MOST);
    const width = 960;
    const left = 260;
    const row = 22;
    const height = bars.length * row + 30;
    const max = Math.max(...bars.map((b) => b.value), 0) || 1;
    const svg = svgEl("svg", { class: "chart bar-chart", viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": spec.value + " by " + spec.name });
    svg.appendChild(svgEl("text", { x: left, y: 14, class: "axis" }, spec.value + " (max " + max + ")"));
    bars.forEach((b, i) => {
      const y = 22 + i * row;
      const g = svgEl("g");
      const name = b.name.length > 38 ? b.name.slice(0, 37) + "…" : b.name;
      g.appendChild(svgEl("text", { x: left - 8, y: y + 14, "text-anchor": "end" }, name));
      const w = Math.max(1, ((width - left - 80) * Math.max(b.value, 0)) / max);
      const rect = svgEl("rect", { class: "bar", x: left, y: y + 2, width: w.toFixed(1), height: row - 6 });
      rect.appendChild(svgEl("title", {}, b.name + ": " + b.value));
      linked(g, b.iri, rect);
      g.appendChild(svgEl("text", { class: "value", x: (left + w + 6).toFixed(1), y: y + 14 }, String(b.value)));
      svg.appendChild(g);
    });
    results.appendChild(svg);
    results.dataset.drawn = "bar";
    return bars.length + " " + words.bars + (answer.rows.length > bars.length ? " (" + words.shown + ", " + answer.rows.length + " " + words.rows + ")" : "");
  }

  async function basemap() {
    if (!world) {
      const response = await fetch(base + "static/vendor/world-atlas/countries-50m.json?v=2.0.2");
      const topology = await response.json();
      world = window.topojson.feature(topology, topology.objects.countries).features;
    }
    return world;
  }

  async function drawMap(spec) {
    const points = [];
    answer.rows.forEach((r) => {
      let lat;
      let lon;
      let iri = null;
      if (spec.place) {
        if (!r[spec.place] || !coordinates[r[spec.place].value]) return;
        iri = r[spec.place].value;
        [lat, lon] = coordinates[iri];
      } else {
        if (!r[spec.lat] || !r[spec.lon]) return;
        lat = Number(r[spec.lat].value);
        lon = Number(r[spec.lon].value);
        iri = spec.iri && r[spec.iri] ? r[spec.iri].value : null;
      }
      const name = spec.name && r[spec.name] ? text(r[spec.name]) : iri ? shortIri(iri) : lat + ", " + lon;
      const size = spec.size && r[spec.size] ? Number(r[spec.size].value) : null;
      points.push({ lat: lat, lon: lon, iri: iri, name: name, size: size });
    });
    const countries = await basemap();
    const width = 960;
    const height = 520;
    const d3 = window.d3;
    const projection = d3.geoNaturalEarth1();
    const feature = { type: "MultiPoint", coordinates: points.map((p) => [p.lon, p.lat]) };
    const spread = new Set(points.map((p) => p.lon.toFixed(1) + "," + p.lat.toFixed(1))).size;
    if (spread > 1) projection.fitExtent([[50, 40], [width - 50, height - 40]], feature);
    else projection.fitSize([width, height], { type: "Sphere" });
    const path = d3.geoPath(projection);
    const svg = svgEl("svg", { class: "chart map", viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": words.points });
    svg.appendChild(svgEl("path", { class: "sphere", d: path({ type: "Sphere" }) || "" }));
    const land = svgEl("g");
    countries.forEach((c) => {
      const d = path(c);
      if (d) land.appendChild(svgEl("path", { class: "country", d: d }));
    });
    svg.appendChild(land);
    const sizes = points.map((p) => p.size).filter((s) => s !== null && isFinite(s));
    const most = Math.max(...sizes, 1);
    const dots = svgEl("g");
    points
      .sort((a, b) => (b.size || 0) - (a.size || 0))
      .forEach((p) => {
        const xy = projection([p.lon, p.lat]);
        if (!xy) return;
        const r = p.size !== null && sizes.length ? 4 + 14 * Math.sqrt(Math.max(p.size, 0) / most) : 6;
        const circle = svgEl("circle", { class: "point", cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: r.toFixed(1) });
        circle.appendChild(svgEl("title", {}, p.name + (p.size !== null ? ": " + p.size : "")));
        linked(dots, p.iri, circle);
      });
    svg.appendChild(dots);
    results.appendChild(svg);
    results.dataset.drawn = "map";
    return points.length + " " + words.points;
  }

  function drawNetwork(spec) {
    const MOST = 300;
    const nodes = new Map();
    const edges = [];
    function node(term, name, second) {
      const key = term.type + ":" + term.value;
      if (!nodes.has(key)) {
        if (nodes.size >= MOST) return null;
        nodes.set(key, { id: key, iri: term.type === "uri" ? term.value : null, name: name || text(term), degree: 0, second: second });
      }
      return nodes.get(key);
    }
    answer.rows.forEach((r) => {
      const s = r[spec.source];
      const t = r[spec.target];
      if (!s || !t || t.type === "literal") return;
      const a = node(s, spec.sourceName && r[spec.sourceName] ? r[spec.sourceName].value : null, false);
      const b = node(t, spec.targetName && r[spec.targetName] ? r[spec.targetName].value : null, true);
      if (!a || !b || a === b) return;
      a.degree += 1;
      b.degree += 1;
      const how = spec.predicate ? text(r[spec.predicate]) : spec.weight && r[spec.weight] ? spec.weight + " " + r[spec.weight].value : "";
      const weight = !spec.predicate && spec.weight && r[spec.weight] ? Number(r[spec.weight].value) : 1;
      edges.push({ source: a.id, target: b.id, how: how, weight: isFinite(weight) ? weight : 1 });
    });
    const list = Array.from(nodes.values());
    const width = 960;
    const height = 600;
    const d3 = window.d3;
    // The layout runs to the end before anything is drawn (a fixed number of ticks): no
    // animation keeps the page responsive, and the picture is the same on every run.
    const simulation = d3.forceSimulation(list)
      .force("link", d3.forceLink(edges).id((d) => d.id).distance(60))
      .force("charge", d3.forceManyBody().strength(-120))
      .force("center", d3.forceCenter(width / 2, height / 2))
      .force("collide", d3.forceCollide(12))
      .stop();
    for (let i = 0; i < 300; i += 1) simulation.tick();
    const xs = list.map((n) => n.x);
    const ys = list.map((n) => n.y);
    const pad = 40;
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = Math.min((width - 2 * pad) / Math.max(x1 - x0, 1), (height - 2 * pad) / Math.max(y1 - y0, 1), 3);
    const dx = (width - (x1 - x0) * scale) / 2;
    const dy = (height - (y1 - y0) * scale) / 2;
    const at = (n) => [dx + (n.x - x0) * scale, dy + (n.y - y0) * scale];
    const svg = svgEl("svg", { class: "chart network", viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": list.length + " " + words.nodes });
    const heaviest = Math.max(...edges.map((e) => e.weight), 1);
    const lines = svgEl("g");
    edges.forEach((e) => {
      const [ax, ay] = at(e.source);
      const [bx, by] = at(e.target);
      const stroke = (1 + 5 * Math.sqrt(Math.max(e.weight, 0) / heaviest)).toFixed(1);
      const line = svgEl("line", { class: "edge", x1: ax.toFixed(1), y1: ay.toFixed(1), x2: bx.toFixed(1), y2: by.toFixed(1), "stroke-width": stroke });
      line.appendChild(svgEl("title", {}, e.source.name + " — " + e.target.name + (e.how ? " (" + e.how + ")" : "")));
      lines.appendChild(line);
    });
    svg.appendChild(lines);
    const dots = svgEl("g");
    list.forEach((n) => {
      const [x, y] = at(n);
      const g = svgEl("g");
      const circle = svgEl("circle", { class: "node" + (n.second ? " second" : ""), cx: x.toFixed(1), cy: y.toFixed(1), r: (4 + Math.min(10, Math.sqrt(n.degree) * 2)).toFixed(1) });
      circle.appendChild(svgEl("title", {}, n.name));
      linked(g, n.iri, circle);
      if (n.degree > 1 || list.length <= 40) {
        const name = n.name.length > 28 ? n.name.slice(0, 27) + "…" : n.name;
        g.appendChild(svgEl("text", { class: "node-label", x: (x + 9).toFixed(1), y: (y + 4).toFixed(1) }, name));
      }
      dots.appendChild(g);
    });
    svg.appendChild(dots);
    // The legend: which column each colour of node comes from (the subject and the object of
    // a graph's triples), and what the width of an edge says.
    const legend = svgEl("g", { class: "legend" });
    [[spec.source, ""], [spec.target, " second"]].forEach(([name, extra], i) => {
      legend.appendChild(svgEl("circle", { class: "node" + extra, cx: 16, cy: 16 + i * 18, r: 6 }));
      legend.appendChild(svgEl("text", { x: 28, y: 20 + i * 18 }, "?" + name));
    });
    if (!spec.predicate && spec.weight) legend.appendChild(svgEl("text", { x: 10, y: 58 }, "— ?" + spec.weight));
    svg.appendChild(legend);
    results.appendChild(svg);
    results.dataset.drawn = "network";
    return list.length + " " + words.nodes + ", " + edges.length + " " + words.edges;
  }

  async function show(wanted) {
    const available = {};
    for (const key of ["table", "bar", "map", "network"]) available[key] = columns(key);
    tabs.forEach((tab) => {
      const key = tab.dataset.view;
      tab.disabled = !available[key];
      tab.title = available[key] ? "" : words["no-" + key] || words.unavailable;
    });
    view = available[wanted] ? wanted : "table";
    results.replaceChildren();
    delete results.dataset.drawn;
    let summary = "";
    try {
      if (view === "bar") summary = drawBar(available.bar);
      else if (view === "map") summary = await drawMap(available.map);
      else if (view === "network") summary = drawNetwork(available.network);
    } catch (e) {
      // A view that cannot be drawn (the basemap did not load, say) leaves the table.
      results.replaceChildren();
      summary = "";
      view = "table";
      note(words.unavailable);
    }
    if (view === "table") {
      drawTable();
      results.dataset.drawn = "table";
    }
    tabs.forEach((tab) => {
      const on = tab.dataset.view === view;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
    });
    if (wanted !== view && wanted !== "table") note(words["no-" + wanted] || words.unavailable);
    remember();
    return summary;
  }

  // ------------------------------------------------------------------------------ running
  function shareLink() {
    const params = new URLSearchParams();
    params.set("query", ranText !== null ? ranText : getText());
    if (view && view !== "table") params.set("view", view);
    const lang = new URLSearchParams(window.location.search).get("lang");
    if (lang) params.set("lang", lang);
    return window.location.origin + base.replace(/^https?:\/\/[^/]+/, "") + "query?" + params.toString();
  }
  function remember() {
    const link = shareLink();
    history.replaceState(null, "", link);
    shareUrl.value = link;
  }

  function downloadsFor(kind) {
    const formats = kind === "graph"
      ? [["Turtle", "ttl"], ["N-Triples", "nt"], ["JSON-LD", "jsonld"]]
      : [["CSV", "csv"], ["TSV", "tsv"], ["JSON", "json"]];
    downloadLinks.replaceChildren();
    formats.forEach(([name, key]) => {
      const href = base + "sparql?" + new URLSearchParams({ query: ranText, format: key }).toString();
      downloadLinks.appendChild(el("a", { href: href, download: "result." + (key === "json" ? "srj.json" : key), "data-format": key }, name));
    });
    downloads.hidden = kind === "ask";
  }

  function parseTerm(token) {
    if (token.startsWith("<")) return { type: "uri", value: token.slice(1, -1) };
    if (token.startsWith("_:")) return { type: "bnode", value: token.slice(2) };
    const match = /^("(?:[^"\\]|\\.)*")(?:@([\w-]+)|\^\^<([^>]*)>)?$/.exec(token);
    if (!match) return { type: "literal", value: token };
    let value;
    try {
      value = JSON.parse(match[1].replace(/\\U([0-9A-Fa-f]{8})/g, (_, h) => String.fromCodePoint(parseInt(h, 16)).replace(/"/g, '\\"')));
    } catch (e) {
      value = match[1].slice(1, -1);
    }
    const term = { type: "literal", value: value };
    if (match[2]) term["xml:lang"] = match[2];
    if (match[3]) term.datatype = match[3];
    return term;
  }
  function parseNTriples(body) {
    const rows = [];
    const line = /^(<[^>]*>|_:\S+)\s+(<[^>]*>)\s+(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)\s*\.\s*$/;
    body.split("\n").forEach((l) => {
      const m = line.exec(l.trim());
      if (m) rows.push({ subject: parseTerm(m[1]), predicate: parseTerm(m[2]), object: parseTerm(m[3]) });
    });
    return rows;
  }

  async function errorText(response) {
    const body = await response.text();
    try {
      const parsed = JSON.parse(body);
      return parsed.message || parsed.detail || parsed.error || body;
    } catch (e) {
      return body;
    }
  }

  async function run(event, wantedView) {
    if (event) event.preventDefault();
    const query = getText();
    status.className = "";
    status.textContent = words.running;
    const started = performance.now();
    let response;
    try {
      response = await fetch(base + "sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json, application/n-triples;q=0.9" },
        body: new URLSearchParams({ query: query }),
      });
    } catch (e) {
      status.className = "error";
      status.textContent = words.unreachable;
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      status.className = "error";
      status.textContent = words.error + " " + response.status + ": " + (await errorText(response));
      results.replaceChildren();
      downloads.hidden = true;
      answer = null;
      return;
    }
    ranText = query;
    const type = response.headers.get("Content-Type") || "";
    let count;
    if (type.includes("sparql-results+json")) {
      const data = await response.json();
      if (typeof data.boolean === "boolean") {
        answer = { kind: "ask", vars: [], rows: [] };
        results.replaceChildren(el("p", { class: "notice" }, words.answer + ": " + data.boolean));
        results.dataset.drawn = "ask";
        status.textContent = "ASK " + words.in + " " + seconds + " s";
        tabs.forEach((tab) => { tab.disabled = true; tab.setAttribute("aria-selected", "false"); });
        downloadsFor("ask");
        remember();
        return;
      }
      answer = { kind: "select", vars: data.head.vars || [], rows: data.results.bindings || [] };
      count = answer.rows.length + " " + (answer.rows.length === 1 ? words.row : words.rows);
    } else {
      answer = { kind: "graph", vars: ["subject", "predicate", "object"], rows: parseNTriples(await response.text()) };
      count = answer.rows.length + " " + words.triples;
    }
    if (!coordinates && answer.rows.some((r) => Object.values(r).some((t) => t && t.type === "uri"))) {
      try {
        coordinates = (await (await fetch(base + "api/coordinates")).json()).coordinates || {};
      } catch (e) {
        coordinates = {};
      }
    }
    downloadsFor(answer.kind);
    const summary = await show(wantedView || view);
    status.textContent = count + " " + words.in + " " + seconds + " s" + (summary ? " · " + summary : "");
  }

  // ------------------------------------------------------------------------------ wiring
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", async () => {
      if (tab.disabled) return;
      const summary = await show(tab.dataset.view);
      if (summary) status.textContent = summary;
    });
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const step = event.key === "ArrowRight" ? 1 : -1;
      for (let i = 1; i <= tabs.length; i += 1) {
        const next = tabs[(index + step * i + tabs.length * i) % tabs.length];
        if (!next.disabled) {
          next.focus();
          next.click();
          break;
        }
      }
    });
  });
  document.querySelectorAll("[data-query-name]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const entry = catalogue[link.dataset.queryName];
      if (!entry) return;
      event.preventDefault();
      setText(entry.text);
      document.querySelectorAll(".catalogue li").forEach((li) => li.classList.remove("selected"));
      link.closest("li").classList.add("selected");
      view = entry.view || "table";
      run(null, view);
    });
  });
  form.addEventListener("submit", (event) => run(event));
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
  shareButton.addEventListener("click", async () => {
    const link = shareLink();
    shareUrl.value = link;
    shareLine.hidden = false;
    shareUrl.focus();
    shareUrl.select();
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = words.copied;
    } catch (e) {
      status.textContent = words.copy;
    }
  });
  fetch(base + "api/terms")
    .then((r) => (r.ok ? r.json() : { prefixes: {}, terms: [] }))
    .then((found) => { terms = found; })
    .catch(() => {});
  if (opened.has("name") || opened.has("query")) run(null, view);
})();
