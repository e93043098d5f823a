// The query page: posts the SPARQL to /sparql and shows the answer as a table.
// Every value is written with textContent, never as HTML.
(function () {
  "use strict";
  const base = document.body.dataset.base || "/";
  const iriBase = document.body.dataset.iriBase || "";
  const form = document.getElementById("query-form");
  const text = document.getElementById("query-text");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const download = document.getElementById("download-csv");
  const catalogue = JSON.parse(document.getElementById("catalogue-data").textContent || "{}");
  let lastKind = "select";

  function el(tag, attrs, content) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }

  function localHref(iri) {
    if (iri.startsWith(ontology)) return base + "ontology#" + iri.slice(ontology.length);
    return iriBase && iri.startsWith(iriBase) ? base + iri.slice(iriBase.length) : iri;
  }

  // Short forms for the project's own IRIs; the full IRI stays in the link's title.
  const ontology = "https://w3id.org/ecograph/ontology#";
  function shortIri(iri) {
    if (iri.startsWith(ontology)) return "eco:" + iri.slice(ontology.length);
    if (iriBase && iri.startsWith(iriBase + "id/")) return "ecoid:" + iri.slice(iriBase.length + 3);
    return iri;
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
      if (term.datatype && /#(integer|decimal|double|int)$/.test(term.datatype)) td.className = "num";
    }
    return td;
  }

  function showTable(data) {
    const vars = data.head.vars || [];
    const rows = data.results.bindings || [];
    const table = el("table", { class: "results" });
    const head = el("tr");
    vars.forEach((v) => head.appendChild(el("th", { scope: "col" }, v)));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    rows.forEach((row) => {
      const tr = el("tr");
      vars.forEach((v) => tr.appendChild(cell(row[v])));
      body.appendChild(tr);
    });
    table.appendChild(body);
    results.replaceChildren(table);
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  async function post(accept) {
    return fetch(base + "sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
      body: new URLSearchParams({ query: text.value }),
    });
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

  async function run(event) {
    if (event) event.preventDefault();
    status.className = "";
    status.textContent = "Running…";
    download.disabled = true;
    const started = performance.now();
    let response;
    try {
      response = await post("application/sparql-results+json, text/turtle;q=0.9, */*;q=0.1");
    } catch (e) {
      status.className = "error";
      status.textContent = "The server could not be reached.";
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      status.className = "error";
      status.textContent = "Error " + response.status + ": " + (await errorText(response));
      results.replaceChildren();
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("sparql-results+json")) {
      const data = await response.json();
      if (typeof data.boolean === "boolean") {
        lastKind = "ask";
        results.replaceChildren(el("p", { class: "notice" }, "Answer: " + data.boolean));
        status.textContent = "ASK answered in " + seconds + " s";
      } else {
        lastKind = "select";
        status.textContent = showTable(data) + " in " + seconds + " s";
      }
    } else {
      lastKind = "graph";
      const body = await response.text();
      results.replaceChildren(el("pre", {}, body));
      status.textContent = "Graph in " + seconds + " s";
    }
    download.textContent = lastKind === "graph" ? "Download Turtle" : "Download CSV";
    download.disabled = lastKind === "ask";
  }

  async function save() {
    const graph = lastKind === "graph";
    const response = await post(graph ? "text/turtle" : "text/csv");
    if (!response.ok) {
      status.className = "error";
      status.textContent = "Error " + response.status + ": " + (await errorText(response));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: graph ? "results.ttl" : "results.csv" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  document.querySelectorAll("[data-query-name]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const name = link.dataset.queryName;
      if (!(name in catalogue)) return;
      event.preventDefault();
      text.value = catalogue[name];
      document.querySelectorAll(".catalogue li").forEach((li) => li.classList.remove("selected"));
      link.closest("li").classList.add("selected");
      history.replaceState(null, "", base + "query?name=" + encodeURIComponent(name));
      run();
    });
  });
  form.addEventListener("submit", run);
  const opened = new URLSearchParams(window.location.search);
  if (opened.has("name") || opened.has("query")) run();
  download.addEventListener("click", save);
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
})();
