// The search page: asks /api/search and lists what it finds, written with textContent only.
(function () {
  "use strict";
  const base = document.body.dataset.base || "/";
  const iriBase = document.body.dataset.iriBase || "";
  const input = document.getElementById("search-q");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");

  function localHref(iri) {
    return iriBase && iri.startsWith(iriBase) ? base + iri.slice(iriBase.length) : iri;
  }

  function pick(value) {
    if (typeof value === "string") return value;
    if (value && typeof value === "object") {
      const langs = (navigator.languages || ["en"]).map((l) => l.split("-")[0]);
      for (const l of [...langs, "en", "it"]) if (value[l]) return value[l];
      const first = Object.values(value)[0];
      return Array.isArray(first) ? first[0] : first;
    }
    return "";
  }

  function entries(data) {
    if (Array.isArray(data)) return data;
    for (const key of ["results", "hits", "items", "entities"]) {
      if (data && Array.isArray(data[key])) return data[key];
    }
    return [];
  }

  async function search(q) {
    list.replaceChildren();
    if (!q.trim()) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    const response = await fetch(base + "api/search?q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      status.textContent = "Search failed (" + response.status + ").";
      return;
    }
    const found = entries(await response.json());
    status.textContent = found.length ? found.length + " found" : "Nothing found for “" + q + "”.";
    for (const item of found) {
      const iri = item.iri || item.id || item["@id"] || item.entity || "";
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = localHref(iri);
      a.textContent = pick(item.label || item.name) || iri;
      li.appendChild(a);
      const kind = item.kind || item.type || "";
      if (kind) {
        const small = document.createElement("span");
        small.className = "kind";
        small.textContent = Array.isArray(kind) ? kind.join(", ") : kind;
        li.appendChild(small);
      }
      list.appendChild(li);
    }
  }

  search(input.value);
})();
