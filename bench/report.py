"""Markdown tables from the raw results of :mod:`bench.run`, and the README section.

Rendering is kept apart from measuring so that the tables can be redrawn from a saved
``latest.json`` (``python -m bench.report bench/results/latest.json``) without re-measuring.
Every ratio is "peer ÷ ecograph" for times (above 1: ecograph is faster) and "ecograph ÷ peer"
for throughputs (above 1: ecograph serves more), so that bigger is always better for ecograph.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

README_HEADING = "## Benchmark"
NA = "—"


def seconds(value: float | None, capped: float | None = None) -> str:
    if value is None:
        return f"> {capped:.0f} s (cap)" if capped else NA
    if value < 0.001:
        return f"{value * 1000:.2f} ms"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 100:
        return f"{value:.1f} s"
    return f"{value:.0f} s"


def memory(kb: int | None) -> str:
    if not kb:
        return NA
    mib = kb / 1024
    return f"{mib / 1024:.2f} GiB" if mib >= 1024 else f"{mib:.0f} MiB"


def ratio(numerator: float | None, denominator: float | None, at_least: bool = False) -> str:
    """``numerator ÷ denominator`` as "3.2×"; "> 3.2×" when the numerator is only a bound.

    A bound below 1 says nothing about who is ahead (the peer stopped before the end), so it
    is shown as not known rather than as a ratio that reads like a loss.
    """
    if numerator is None or denominator is None or denominator <= 0:
        return NA
    value = numerator / denominator
    if at_least and value < 1:
        return NA
    text = f"{value:.2f}×" if value < 10 else f"{value:.0f}×"
    return f"> {text}" if at_least else text


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [_row(header), _row(["---"] * len(header))]
    lines += [_row(r) for r in rows]
    return lines


def _scales(results: dict[str, Any]) -> dict[str, Any]:
    scales: dict[str, Any] = results.get("scales", {})
    return scales


def build_section(results: dict[str, Any]) -> list[str]:
    rows = []
    steps = []
    footnote = False
    for scale, entry in _scales(results).items():
        build = entry.get("build")
        if not build:
            continue
        eco, peer = build["ecograph"], build["peer"]
        cap = eco.get("cap")
        label = f"{scale} ({entry['triples']:,} triples in, {eco.get('quads') or 0:,} out)"
        eco_capped, peer_capped = eco.get("capped"), peer.get("capped")
        total_eco = 0.0
        total_peer = 0.0
        eco_complete = peer_complete = True
        for name, title, peer_name in (
            ("parse", "parse", "parse"),
            ("reason", "reason", "reason"),
            ("derive", "derive links", None),
            ("validate", "validate", "validate"),
            ("publish", "publish", "publish"),
        ):
            e = eco.get(name)
            e_cap = cap if e is None and (eco_capped or "").split(".")[0] == name else None
            p = peer.get(peer_name) if peer_name else None
            p_cap = None
            if (
                peer_name
                and p is None
                and peer_capped in {peer_name} | ({"reason"} if peer_name == "reason" else set())
            ):
                p_cap = cap
            if peer_name and p is None and peer.get("fallback_capped") == peer_name:
                p_cap = cap
            # A phase stopped at the cap counts as the cap: the total is then a lower bound.
            total_eco += e if e is not None else (e_cap or 0.0)
            eco_complete &= e is not None
            if peer_name:
                total_peer += p if p is not None else (p_cap or 0.0)
                peer_complete &= p is not None
            peer_text = seconds(p, p_cap) if peer_name else NA
            note = ""
            if peer_name and any(n.startswith(name) for n in peer.get("notes", [])):
                note = " ¹"
            rows.append(
                [
                    label,
                    title,
                    seconds(e, e_cap),
                    peer_text + note,
                    ratio(p if p is not None else p_cap, e, at_least=p is None)
                    if peer_name
                    else NA,
                ]
            )
            label = ""
        rows.append(
            [
                "",
                "**total**",
                f"**{seconds(total_eco)}**" + ("" if eco_complete else " +"),
                f"**{seconds(total_peer)}**" + ("" if peer_complete else " +"),
                ratio(total_peer, total_eco, at_least=not peer_complete) if eco_complete else NA,
            ]
        )
        eco_peak = eco.get("peak_rss_kb") or 0
        rows.append(
            [
                "",
                "peak memory",
                memory(eco_peak),
                memory(peer.get("peak_rss_kb")) + ("" if peer_complete else " +"),
                ratio(peer.get("peak_rss_kb"), eco_peak, at_least=not peer_complete),
            ]
        )
        capped_steps = eco.get("capped_steps") or []
        steps.append(
            [scale]
            + [
                seconds(eco.get(f"validate.{s}"), cap if f"validate.{s}" in capped_steps else None)
                for s in ("declared", "dangling", "quotes", "duplicates", "shacl")
            ]
        )
        footnote = footnote or bool(peer.get("notes"))
    if not rows:
        return []
    lines = ["### Build", ""]
    lines += _table(
        [
            "scale",
            "phase",
            "ecograph",
            "obvious path (rdflib, owlrl, pyshacl)",
            "obvious ÷ ecograph",
        ],
        rows,
    )
    lines += [
        "",
        '"+": a phase did not finish under the cap; the total counts it at the cap, so it is'
        " a lower bound (and so is the ratio)."
        + (
            " ¹ measured in a later run that skipped the phases that hit the cap (owlrl"
            " included, so on the asserted graph, without the closure)."
            if footnote
            else ""
        ),
        "",
        "Where ecograph's validation time goes (the checks run side by side on the build's"
        " threads, so their seconds add up to more than the validate phase):",
        "",
    ]
    lines += _table(
        ["scale", "declared terms", "dangling IRIs", "quotes", "duplicates", "SHACL"],
        steps,
    )
    return lines


def queries_section(results: dict[str, Any]) -> list[str]:
    scales = {s: e["queries"] for s, e in _scales(results).items() if e.get("queries")}
    if not scales:
        return []
    names: list[str] = sorted({n for q in scales.values() for n in q["oxigraph"]["queries"]})
    header = ["query"]
    for scale in scales:
        header += [f"{scale} pyoxigraph", f"{scale} rdflib", "rdflib ÷ pyoxigraph"]
    rows = []
    for name in names:
        row = [f"`{name}`"]
        for engines in scales.values():
            ox = engines["oxigraph"]["queries"].get(name, {})
            rl = engines["rdflib"]["queries"].get(name, {})
            rows_note = ""
            if ox.get("rows") is not None and rl.get("rows") is not None:
                rows_note = f" ({ox['rows']} rows)" if ox["rows"] == rl["rows"] else " (rows ≠)"
            row += [
                seconds(ox.get("seconds"), ox.get("capped")) + rows_note,
                seconds(rl.get("seconds"), rl.get("capped")),
                ratio(
                    rl.get("seconds") if rl.get("seconds") is not None else rl.get("capped"),
                    ox.get("seconds"),
                    at_least=rl.get("seconds") is None,
                ),
            ]
        rows.append(row)
    load = ["*load the published graph*"]
    for engines in scales.values():
        load += [
            seconds(engines["oxigraph"].get("load_seconds")),
            seconds(engines["rdflib"].get("load_seconds")),
            ratio(engines["rdflib"].get("load_seconds"), engines["oxigraph"].get("load_seconds")),
        ]
    rows.append(load)
    lines = ["### Catalogue queries (median time per query)", ""]
    lines += _table(header, rows)
    lines += [
        "",
        "pyoxigraph opens the persisted store that `publish` wrote; rdflib parses the published "
        "N-Triples dump. Parametrised queries are bound to generated entities "
        "(`manifest.json`, `query_params`).",
    ]
    return lines


def _cell(cell: dict[str, Any] | None) -> str:
    if not cell:
        return NA
    if not cell.get("requests"):
        if cell.get("timeouts"):
            return "timeout"
        return "errors" if cell.get("errors") else NA
    p50, p99 = cell.get("p50_ms"), cell.get("p99_ms")
    text = f"{cell['rps']:.0f}/s ({p50:.1f} / {p99:.1f} ms)"
    if cell.get("errors") or cell.get("timeouts"):
        text += f" ⚠ {cell.get('errors', 0)} errors, {cell.get('timeouts', 0)} timeouts"
    return text


def _rps(cell: dict[str, Any] | None) -> float | None:
    if not cell or not cell.get("requests"):
        return None
    value: float = cell["rps"]
    return value


def http_section(results: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    cold_rows = []
    for scale, entry in _scales(results).items():
        web = entry.get("http")
        if not web:
            continue
        cold = web.get("cold_start", {})
        cold_rows.append(
            [
                scale,
                seconds(cold.get("ecograph")),
                seconds(cold.get("oxigraph serve (first start)")),
                seconds(cold.get("rdflib-endpoint (first start)")),
            ]
        )
        servers = web.get("servers")
        if not servers:
            continue
        eco = servers.get("ecograph", {})
        oxi = servers.get("oxigraph serve", {})
        rdf = servers.get("rdflib-endpoint", {})
        rows = []
        for kind in ("lookup", "join", "aggregate", "path"):
            for n in web.get("clients", []):
                key = f"{kind}/{n}"
                rows.append(
                    [
                        f"`/sparql` {kind}",
                        str(n),
                        _cell(eco.get(key)),
                        _cell(oxi.get(key)),
                        _cell(rdf.get(key)),
                        ratio(_rps(eco.get(key)), _rps(oxi.get(key))),
                        ratio(_rps(eco.get(key)), _rps(rdf.get(key))),
                    ]
                )
        for kind, title in (
            ("trivial", "trivial route `/api/queries`"),
            ("entity", "`/id/…` JSON-LD"),
        ):
            for n in web.get("clients", []):
                rows.append([title, str(n), _cell(eco.get(f"{kind}/{n}")), NA, NA, NA, NA])
        lines += [f"### HTTP at {scale}: requests/s (p50 / p99 latency)", ""]
        lines += _table(
            [
                "request",
                "clients",
                "ecograph",
                "oxigraph serve",
                "rdflib-endpoint",
                "ecograph ÷ oxigraph",
                "ecograph ÷ rdflib-endpoint",
            ],
            rows,
        )
        lines.append("")
    if cold_rows:
        lines += ["### Cold start until the first answer (persisted store)", ""]
        lines += _table(
            ["scale", "ecograph serve --store", "oxigraph serve", "rdflib-endpoint"], cold_rows
        )
    return lines


PAGE_KINDS = ("home", "entity", "link", "search", "query", "explore")
#: The issue's targets for every kind of page at 1M: warm (p50) and cold (first request).
PAGE_WARM_TARGET = 0.2
PAGE_COLD_TARGET = 1.0


def _page_cold(pages: dict[str, Any], kind: str) -> float | None:
    cell = (pages.get("cold") or {}).get(kind) or {}
    value = cell.get("seconds")
    return None if value is None or cell.get("status") != 200 else float(value)


def _page_warm(pages: dict[str, Any], kind: str) -> float | None:
    cell = (pages.get("warm") or {}).get(kind) or {}
    if not cell.get("requests") or cell.get("errors") or cell.get("timeouts"):
        return None
    return float(cell["p50_ms"]) / 1000


def pages_section(results: dict[str, Any]) -> list[str]:
    """Each kind of page: the first request on a fresh server, and a warm load cell."""
    rows = []
    scales = [(s, e["pages"]) for s, e in _scales(results).items() if e.get("pages")]
    if not scales:
        return []
    for kind in PAGE_KINDS:
        row = [kind]
        for _, pages in scales:
            cold = (pages.get("cold") or {}).get(kind) or {}
            cpu = cold.get("cpu_seconds")
            row.append(
                seconds(cold.get("seconds")) + ("" if cpu is None else f" (CPU {seconds(cpu)})")
                if cold.get("status") == 200
                else (cold.get("error") or f"status {cold.get('status')}")
            )
            warm = (pages.get("warm") or {}).get(kind)
            row.append(_cell(warm))
            cpu = (warm or {}).get("cpu_ms_per_request")
            row.append(NA if cpu is None else f"{cpu:.1f} ms")
        rows.append(row)
    header = ["page"]
    for scale, _ in scales:
        header += [
            f"{scale} cold (first request)",
            f"{scale} warm: requests/s (p50 / p99)",
            f"{scale} warm: CPU per request",
        ]
    return [
        "### Pages: the first request on a fresh server, then warm (one client)",
        "",
        *_table(header, rows),
    ]


def _build_total(eco: dict[str, Any]) -> tuple[float | None, str]:
    """The build's wall time over all phases (``None`` if one hit the cap) and how it reads,
    with the peak memory."""
    required = [eco.get(k) for k in ("parse", "reason", "derive", "validate", "publish")]
    known = sum(p for p in required if p is not None)
    complete = all(p is not None for p in required)
    text = seconds(known) if complete else f"> {seconds(known)} (a phase hit the cap)"
    return (known if complete else None), f"{text}, {memory(eco.get('peak_rss_kb') or 0)}"


def targets_section(results: dict[str, Any]) -> list[str]:
    """The issue's targets, met or missed, with the numbers that decide."""
    rows: list[list[str]] = []
    scales = _scales(results)

    def verdict(ok: bool | None) -> str:
        return NA if ok is None else ("met" if ok else "**missed**")

    big = scales.get("1m")
    if big and big.get("build"):
        eco = big["build"]["ecograph"]
        total, measured = _build_total(eco)
        peak = eco.get("peak_rss_kb") or 0
        rows.append(
            [
                "build 1M ≤ 60 s, ≤ 4 GB",
                measured,
                verdict(total is not None and total <= 60 and peak <= 4 * 2**20),
            ]
        )
        peer = big["build"]["peer"]
        v_eco, v_peer = eco.get("validate"), peer.get("validate")
        bound = v_peer if v_peer is not None else peer.get("cap")
        rows.append(
            [
                "validation ≥ 4× faster than pyshacl at 1M",
                f"ecograph {seconds(v_eco, eco.get('cap'))}, pyshacl "
                f"{seconds(v_peer, peer.get('cap'))}",
                verdict(None if v_eco is None else (bound or 0) / v_eco >= 4),
            ]
        )
    huge = scales.get("10m")
    if huge and huge.get("build"):
        total, measured = _build_total(huge["build"]["ecograph"])
        rows.append(
            [
                "build 10M ≤ 15 min, with a persisted (on-disk) store",
                measured,
                verdict(total is not None and total <= 15 * 60),
            ]
        )
    for scale in ("100k", "1m"):
        entry = scales.get(scale, {})
        servers = (entry.get("http") or {}).get("servers")
        if not servers:
            continue
        eco = servers.get("ecograph", {})
        oxi = servers.get("oxigraph serve", {})
        rdf = servers.get("rdflib-endpoint", {})
        for kind in ("aggregate", "path"):
            for n in entry["http"].get("clients") or []:
                key = f"{kind}/{n}"
                e, o, r = _rps(eco.get(key)), _rps(oxi.get(key)), _rps(rdf.get(key))
                rows.append(
                    [
                        f"{scale} {kind} ×{n}: ≥ 0.8× oxigraph serve, ≥ 50× rdflib-endpoint",
                        f"{ratio(e, o)} / {ratio(e, r)}",
                        verdict(
                            None
                            if e is None or o is None
                            else (e / o >= 0.8 and (r is None or e / r >= 50))
                        ),
                    ]
                )
        for n in entry["http"].get("clients") or []:
            e, t = _rps(eco.get(f"lookup/{n}")), _rps(eco.get(f"trivial/{n}"))
            rows.append(
                [
                    f"{scale} lookup ×{n} ≥ 0.7× trivial route",
                    ratio(e, t),
                    verdict(None if e is None or t is None else e / t >= 0.7),
                ]
            )
        worst: float | None = None
        for kind in ("lookup", "join", "aggregate", "path"):
            e_cell, o_cell = eco.get(f"{kind}/8") or {}, oxi.get(f"{kind}/8") or {}
            if e_cell.get("p99_ms") and o_cell.get("p99_ms"):
                value = e_cell["p99_ms"] / o_cell["p99_ms"]
                worst = value if worst is None else max(worst, value)
        rows.append(
            [
                f"{scale} p99 at 8 clients ≤ 2× oxigraph serve (worst request)",
                NA if worst is None else f"{worst:.1f}×",
                verdict(None if worst is None else worst <= 2),
            ]
        )
        if scale == "1m":
            best = max((_rps(eco.get(f"entity/{n}")) or 0 for n in (1, 8)), default=0)
            rows.append(["entity JSON-LD at 1M ≥ 500 req/s", f"{best:.0f}/s", verdict(best >= 500)])
    cold = ((scales.get("1m") or {}).get("http") or {}).get("cold_start", {}).get("ecograph")
    if cold is not None:
        rows.append(["cold start at 1M ≤ 2 s", seconds(cold), verdict(cold <= 2)])
    pages = (scales.get("1m") or {}).get("pages")
    if pages:
        for kind in PAGE_KINDS:
            warm, first = _page_warm(pages, kind), _page_cold(pages, kind)
            rows.append(
                [
                    f"{kind} page at 1M ≤ 200 ms warm (p50), ≤ 1 s cold",
                    f"{seconds(warm)} / {seconds(first)}",
                    verdict(
                        None
                        if warm is None or first is None
                        else warm <= PAGE_WARM_TARGET and first <= PAGE_COLD_TARGET
                    ),
                ]
            )
    if not rows:
        return []
    return ["### Targets of the issue", "", *_table(["target", "measured", ""], rows)]


def machine_line(results: dict[str, Any]) -> list[str]:
    m = results.get("machine", {})
    packages = ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items() if v)
    settings = results.get("settings", {})
    return [
        f"Measured {results.get('started', '?')} on {m.get('cpu')}, {m.get('cores')} cores, "
        f"{m.get('ram_gib')} GiB RAM, {m.get('os')}; Python {m.get('python')}; {packages}; "
        f"ecograph at {m.get('commit')}. Medians of up to {settings.get('repeat')} runs, "
        f"cap {settings.get('cap', 0):.0f} s per phase, HTTP cells of "
        f"{settings.get('http_seconds')} s.",
    ]


def _ms(found: dict[str, Any], key: str) -> str:
    return seconds(found[key] / 1000) if key in found else NA


def explore_section(results: dict[str, Any]) -> list[str]:
    """The explore data route, cold (first request: the server reads its index) and warm."""
    rows = []
    for scale, entry in _scales(results).items():
        found = (entry.get("http") or {}).get("explore")
        if not found:
            continue
        rows.append(
            [
                scale,
                f"{found['links']:,}",
                _ms(found, "cold_ms"),
                f"{_ms(found, 'warm_ms')} (max {_ms(found, 'warm_max_ms')})",
                f"{_ms(found, 'fresh_ms')} (max {_ms(found, 'fresh_max_ms')})",
                _ms(found, "link_ms"),
            ]
        )
    if not rows:
        return []
    lines = ["### The explore data route `/api/explore` (target: warm ≤ 200 ms at 1M)", ""]
    return lines + _table(
        [
            "scale",
            "links",
            "cold (first request)",
            "warm, same filters",
            "warm, new filters (median)",
            "link panel, first",
        ],
        rows,
    )


def fairness_section(results: dict[str, Any]) -> list[str]:
    """Light requests' latency with and without a hostile client (bench/fairness.py)."""
    rows = []
    for scale, entry in _scales(results).items():
        found = entry.get("fairness")
        if not found or "calm" not in found:
            continue
        calm, hostile = found["calm"], found["hostile"]
        answers = found.get("hostile_answers", {})
        rows.append(
            [
                scale,
                f"{calm['p50_ms']} / {calm['p95_ms']}",
                f"{hostile['p50_ms']} / {hostile['p95_ms']}",
                f"{calm['errors']} / {hostile['errors']}",
                ", ".join(f"{n}× {status}" for status, n in answers.items()),
            ]
        )
    if not rows:
        return []
    return [
        "### Fairness: light requests (ASK, entity JSON-LD) of two clients, p50 / p95 ms",
        "",
        "Alone, then while a third client keeps eight heavy queries in flight (a three-way "
        "cartesian product) and ignores Retry-After; default limits (bench/fairness.py).",
        "",
        *_table(["scale", "alone", "beside a hostile client", "errors", "hostile got"], rows),
        "",
    ]


def reconcile_section(results: dict[str, Any]) -> list[str]:
    """One batch of reconciliation queries: the first (the server indexes the names), then
    the median of the next ones, as queries per second."""
    rows = []
    for scale, entry in _scales(results).items():
        found = entry.get("reconcile")
        if not found or "queries" not in found:
            continue
        count = found["queries"]
        rows.append(
            [
                scale,
                f"{count:,}",
                seconds(found.get("first_batch")),
                seconds(found.get("batch")),
                f"{found['qps']:,.0f}/s" if found.get("qps") else NA,
                f"{found['top_right']:,} / {found['matched']:,}",
            ]
        )
    if not rows:
        return []
    return [
        "### Reconciliation: one batch of 1,000 names as curators type them (`POST /reconcile`)",
        "",
        *_table(
            [
                "scale",
                "queries",
                "first batch (names indexed)",
                "batch (median)",
                "queries/s",
                "top candidate right / matched",
            ],
            rows,
        ),
    ]


def render(results: dict[str, Any]) -> str:
    lines = ["# ecograph benchmark", ""]
    lines += [*machine_line(results), ""]
    scales = _scales(results)
    if scales:
        lines += _table(
            ["scale", "generated triples", "articles", "entities"],
            [
                [s, f"{e['triples']:,}", f"{e['articles']:,}", f"{e['entities']:,}"]
                for s, e in scales.items()
            ],
        )
        lines.append("")
    for section in (
        targets_section,
        build_section,
        queries_section,
        http_section,
        explore_section,
        pages_section,
        reconcile_section,
        fairness_section,
    ):
        part = section(results)
        if part:
            lines += [*part, ""]
    return "\n".join(lines).rstrip() + "\n"


def write_readme(readme: Path, results: dict[str, Any], command: str | None = None) -> None:
    """Replace the README's ``## Benchmark`` section (the last one) with the latest tables."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    body = render(results).split("\n", 2)[2]  # drop the document title
    body = re.sub(r"(?m)^### ", "#### ", body)
    section = "\n".join(
        [
            README_HEADING,
            "",
            "`bench/` measures ecograph against what a user would pick instead, on synthetic data "
            "in the project's own ontology (`bench/generate.py`: seeded and reproducible byte for "
            "byte, valid against the shapes, quotes verbatim in generated source texts; ~10k, "
            "100k, 1M or 10M triples). One command generates the data, runs every measurement "
            "in a process of its own (so peak memory is that measurement's), and prints the "
            "tables:",
            "",
            "```sh",
            command
            or (
                "python3 -m venv .venv && .venv/bin/pip install -q -e '.[bench]'\n"
                ".venv/bin/python -m bench.run --scales 10k,100k,1m --repeat 3 --readme\n"
                "# the 10M build and cold start, added to those tables (no peer gets past"
                " parsing)\n"
                ".venv/bin/python -m bench.run --scales 10m --sections build,http"
                " --http-scales none --merge --readme"
            ),
            "```",
            "",
            "Figures are medians of up to `--repeat` runs (a run longer than `--budget` seconds "
            "is not repeated); a phase that passes `--cap` seconds is stopped and shown as "
            '"> cap", never dropped. Ratios are peer ÷ ecograph for times and ecograph ÷ peer '
            "for throughputs: above 1, ecograph is ahead. The tables and every raw number go to "
            "`bench/results/latest.md` and `latest.json`; `--sections build,queries,http` and "
            "`--http-scales` choose what runs. Also in `bench/`: `python -m bench.generate "
            "--scale 1m` (the data alone), `python -m bench.profile --scale 100k` (a "
            "pyinstrument profile of the build).",
            "",
            body.rstrip(),
            "",
        ]
    )
    lines, fenced = [], False
    for line in section.split("\n"):
        fenced ^= line.startswith("```")
        lines.append(line if fenced else _wrap(line))
    section = "\n".join(lines)
    index = text.find(f"\n{README_HEADING}\n")
    if text.startswith(f"{README_HEADING}\n"):
        index = 0
    kept = text[:index].rstrip() + "\n\n" if index >= 0 else text.rstrip() + "\n\n"
    readme.write_text(kept + section, encoding="utf-8")


def _wrap(line: str) -> str:
    """Prose at the README's width (100); tables, code and headings as they are."""
    if len(line) <= 100 or line.startswith(("|", "#", "```", " ")):
        return line
    return textwrap.fill(line, 100, break_long_words=False, break_on_hyphens=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    path = Path(args[0]) if args else Path("bench/results/latest.json")
    results = json.loads(path.read_text(encoding="utf-8"))
    if "--readme" in args:
        write_readme(Path("README.md"), results)
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
