"""``/reconcile``: the W3C Entity Reconciliation API, as OpenRefine and other tools use it.

- ``GET /reconcile``: the service manifest (0.2, as OpenRefine reads it; JSONP with
  ``callback``); with ``queries=`` a batch of the 0.2 protocol, with ``extend=`` a data
  extension; ``POST /reconcile`` takes the same as a form (or a 1.0-draft JSON batch).
- The 1.0-draft routes, relative to the same endpoint: ``POST /reconcile/reconcile`` (also
  ``/reconcile/match``) with a JSON batch, ``GET /reconcile/suggest/{entity,type,property}``,
  ``GET /reconcile/preview?id=``, ``POST /reconcile/extend``, ``GET /reconcile/extend/propose``.

Entity ids are paths under ``https://w3id.org/ecograph/id/`` (``org/kilometro-rosso``), types
the local names of the ontology's classes (``Cluster``). The names are indexed once per server
(:mod:`ecograph.reconcile.index`); property values are read through the backend per batch.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ecograph.errors import NotFound, ParameterError
from ecograph.rdf.namespaces import ECO, ECOID
from ecograph.rdf.text import collapse
from ecograph.reconcile import protocol
from ecograph.reconcile.index import NameIndex, entity_id, entity_iri, load_index
from ecograph.reconcile.matching import Candidate, needed, reconcile
from ecograph.reconcile.matching import Query as ReconcileQuery
from ecograph.reconcile.properties import NAMED, as_keys, fetch_values, property_info, shown
from ecograph.serve.common import site_base
from ecograph.serve.dependencies import BackendDep, SettingsDep
from ecograph.serve.label_index import Label, LabelIndex
from ecograph.serve.protocol import content_type, read_body, read_pairs
from ecograph.serve.state import Slot, state_of
from ecograph.store.backend import Backend
from ecograph.store.results import SelectResult

router = APIRouter(tags=["reconciliation"])

MAX_BODY = 4 * 2**20
SUGGEST_LIMIT = 10
_CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$")
_PROPERTIES_QUERY = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?property ?label WHERE {{
  VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty }}
  ?property a ?kind .
  FILTER (STRSTARTS(STR(?property), "{ECO}"))
  OPTIONAL {{ ?property rdfs:label ?label . FILTER (LANG(?label) = "en") }}
}}"""


class Service:
    """What reconciliation keeps per app: the name index, built on first use and again
    whenever the label index has been read again (behind an endpoint that may change)."""

    def __init__(self, backend: Backend, labels: LabelIndex, batch_size: int) -> None:
        self.backend = backend
        self.labels = labels
        self.batch_size = batch_size
        self._index: NameIndex | None = None
        self._index_of: tuple[Label, ...] | None = None
        self._properties: list[dict[str, str]] | None = None
        self._lock = asyncio.Lock()

    async def index(self) -> NameIndex:
        async with self._lock:
            labels = await self.labels.labels()
            if self._index is None or self._index_of is not labels:
                self._index, self._index_of = await load_index(self.backend, labels), labels
            return self._index

    async def properties(self) -> list[dict[str, str]]:
        """The named properties, then every property of the ontology as ``eco:name``."""
        if self._properties is None:
            result = await self.backend.query(_PROPERTIES_QUERY, max_rows=10_000)
            found = {
                str(row["property"]): str(row.get("label") or "")
                for row in (result.rows if isinstance(result, SelectResult) else ())
            }
            self._properties = [{"id": p.id, "name": p.name} for p in NAMED.values()] + [
                {"id": f"eco:{iri[len(ECO) :]}", "name": label or iri[len(ECO) :]}
                for iri, label in sorted(found.items())
            ]
        return self._properties


def _service(request: Request, backend: Backend) -> Service:
    """The app's reconciliation service, made on first use; it reads its index itself."""
    state = state_of(request.app)
    slot = state.kept.setdefault("reconcile.service", Slot())
    if not isinstance(slot.value, Service):
        slot.value = Service(backend, state.labels(), state.settings.reconcile_batch_size)
    service: Service = slot.value
    return service


def _language(request: Request) -> str:
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in {"en", "it"}:
            return tag
    return "en"


def _reply(request: Request, data: Any) -> Response:
    """JSON, or JSONP when a ``callback`` is given (0.2 clients that cannot use CORS)."""
    callback = request.query_params.get("callback")
    if callback is None:
        return JSONResponse(data)
    if not _CALLBACK.match(callback):
        raise ParameterError("callback must be a JavaScript identifier such as jsonp123")
    body = f"{callback}({json.dumps(data, ensure_ascii=False)});"
    return Response(body, media_type="application/javascript")


async def _fields(request: Request) -> tuple[dict[str, str], Any]:
    """The URL's fields and, for a POST, the form's (or a JSON body, returned apart)."""
    fields = dict(read_pairs(request.scope.get("query_string", b""), "the URL's query string"))
    if request.method != "POST":
        return fields, None
    body = await read_body(request, MAX_BODY)
    media_type, _ = content_type(request.headers.get("content-type"))
    if media_type == "application/json":
        try:
            return fields, protocol.parse_json(body.decode("utf-8"), "the body")
        except UnicodeDecodeError:
            raise ParameterError("the body is not valid UTF-8") from None
    if media_type in {"application/x-www-form-urlencoded", ""}:
        fields.update(read_pairs(body, "the form-encoded body"))
        return fields, None
    raise HTTPException(
        415, f"send application/x-www-form-urlencoded or application/json, not {media_type}"
    )


def manifest(request: Request, settings: SettingsDep, index: NameIndex) -> dict[str, Any]:
    base = site_base(request, settings)
    service = f"{base}reconcile"
    return {
        "versions": ["0.1", "0.2"],
        "name": "ecograph",
        "identifierSpace": str(ECOID),
        "schemaSpace": str(ECO),
        "documentation": f"{base}docs",
        "defaultTypes": [{"id": t.id, "name": t.name()} for t in index.default_types()],
        "view": {"url": f"{base}id/{{{{id}}}}"},
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": 420, "height": 180},
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/extend/propose"},
            "property_settings": [],
        },
        "batchSize": settings.reconcile_batch_size,
        "standardizedScore": True,
    }


async def _candidates(
    service: Service, queries: list[ReconcileQuery], language: str
) -> tuple[NameIndex, list[list[Candidate]]]:
    index = await service.index()
    for number, query in enumerate(queries):
        if query.type is not None and index.type_id(query.type) is None:
            raise ParameterError(
                f"query {number}: unknown type {query.type!r} (see GET /reconcile/suggest/type)"
            )
    pool, pids = await asyncio.to_thread(needed, index, queries)
    values = as_keys(await fetch_values(service.backend, index, pool, pids)) if pids else {}
    found = await asyncio.to_thread(reconcile, index, queries, values, language=language)
    return index, found


async def _extend(service: Service, raw: Any, language: str) -> dict[str, Any]:
    extension = protocol.parse_extension(raw, service.batch_size)
    infos = [property_info(pid) for pid in extension.properties]
    index = await service.index()
    iris = {entity_iri(i) for i in extension.ids}
    values = await fetch_values(service.backend, index, iris, extension.properties)
    meta = []
    for info in infos:
        item: dict[str, Any] = {"id": info.id, "name": info.name}
        if info.type and info.type in index.types:
            item["type"] = {"id": info.type, "name": index.types[info.type].name(language)}
        meta.append(item)
    rows = {
        identifier: {
            info.id: [
                shown(v)
                for v in values.get(entity_iri(identifier), {}).get(info.id, [])
                if v.iri is not None or v.text
            ]
            for info in infos
        }
        for identifier in extension.ids
    }
    return {"meta": meta, "rows": rows}


@router.get("/reconcile", summary="Reconciliation service (manifest, or a batch in the URL)")
@router.post("/reconcile", summary="Reconciliation service (a batch or an extension, posted)")
async def reconcile_root(request: Request, backend: BackendDep, settings: SettingsDep) -> Response:
    """The manifest; a 0.2 batch in ``queries``; a data extension in ``extend``."""
    fields, body = await _fields(request)
    service = _service(request, backend)
    language = _language(request)
    if body is not None:  # a 1.0-draft batch POSTed here
        return await _reconcile_v1(service, body, language)
    if fields.get("queries") is not None:
        raw = protocol.parse_json(fields["queries"], "the queries parameter")
        keys, queries = protocol.parse_v02(raw, service.batch_size)
        index, found = await _candidates(service, queries, language)
        return _reply(request, protocol.results_v02(index, keys, found, language))
    if fields.get("extend") is not None:
        raw = protocol.parse_json(fields["extend"], "the extend parameter")
        return _reply(request, await _extend(service, raw, language))
    return _reply(request, manifest(request, settings, await service.index()))


async def _reconcile_v1(service: Service, body: Any, language: str) -> Response:
    queries = protocol.parse_v1(body, service.batch_size)
    index, found = await _candidates(service, queries, language)
    return JSONResponse(protocol.results_v1(index, found, language))


@router.post("/reconcile/reconcile", summary="Reconcile a batch (1.0-draft, JSON)")
@router.post("/reconcile/match", include_in_schema=False)
async def reconcile_v1(request: Request, backend: BackendDep) -> Response:
    fields, body = await _fields(request)
    if body is None:
        if fields.get("queries") is None:
            raise ParameterError('POST a JSON body {"queries": [...]}')
        body = {"queries": protocol.parse_json(fields["queries"], "the queries parameter")}
    return await _reconcile_v1(_service(request, backend), body, _language(request))


@router.post("/reconcile/extend", summary="Data extension (1.0-draft, JSON)")
async def extend_v1(request: Request, backend: BackendDep) -> Response:
    fields, body = await _fields(request)
    if body is None:
        if fields.get("extend") is None:
            raise ParameterError('POST a JSON body {"ids": [...], "properties": [...]}')
        body = protocol.parse_json(fields["extend"], "the extend parameter")
    language = _language(request)
    extended = await _extend(_service(request, backend), body, language)
    rows = [
        {"id": identifier, "properties": [{"id": p, "values": v} for p, v in props.items()]}
        for identifier, props in extended["rows"].items()
    ]
    return JSONResponse({"meta": extended["meta"], "rows": rows})


@router.get("/reconcile/extend/propose", summary="Properties to extend a type with")
async def propose(
    request: Request,
    backend: BackendDep,
    type: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Response:
    """The four named properties, which every entity may have (a column reconciled without
    a type asks with none)."""
    index = await _service(request, backend).index()
    if type is not None and index.type_id(type) is None:
        raise ParameterError(f"unknown type {type!r}: see GET /reconcile/suggest/type")
    properties = [{"id": p.id, "name": p.name} for p in NAMED.values()][:limit]
    answer: dict[str, Any] = {"limit": limit, "properties": properties}
    if type is not None:
        answer["type"] = type
    return _reply(request, answer)


SuggestPrefix = Annotated[str, Query(max_length=200, description="what the user typed")]
Cursor = Annotated[int, Query(ge=0, le=10_000, description="suggestions to skip")]


@router.get("/reconcile/suggest/entity", summary="Suggest entities")
async def suggest_entity(
    request: Request,
    backend: BackendDep,
    prefix: SuggestPrefix = "",
    cursor: Cursor = 0,
    type: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    service = _service(request, backend)
    index = await service.index()
    type_id = index.type_id(type) if type else None
    if type and type_id is None:
        raise ParameterError(f"unknown type {type!r}: see GET /reconcile/suggest/type")
    result: list[dict[str, Any]] = []
    if collapse(prefix):
        wanted = cursor + SUGGEST_LIMIT
        hits = await service.labels.search(prefix, wanted * (5 if type_id else 1) + 20)
        entities = [
            h.entity
            for h in hits
            if entity_id(h.entity) and (type_id is None or index.is_a(h.entity, type_id))
        ]
        language = _language(request)
        for entity in list(dict.fromkeys(entities))[cursor:wanted]:
            result.append(
                {
                    "id": entity_id(entity),
                    "name": index.name_of(entity, language),
                    "notable": [
                        {"id": t, "name": index.types[t].name(language)}
                        for t in index.types_of.get(entity, ())
                        if t in index.types
                    ],
                }
            )
    return _reply(request, {"result": result})


def _matches(prefix: str, *names: str) -> bool:
    wanted = collapse(prefix)
    return not wanted or any(wanted in collapse(name) for name in names)


@router.get("/reconcile/suggest/type", summary="Suggest types")
async def suggest_type(
    request: Request, backend: BackendDep, prefix: SuggestPrefix = "", cursor: Cursor = 0
) -> Response:
    index = await _service(request, backend).index()
    language = _language(request)
    found = [
        {"id": t.id, "name": t.name(language)}
        for t in sorted(index.types.values(), key=lambda t: t.id)
        if _matches(prefix, t.id, *t.names.values())
    ]
    found.sort(key=lambda t: not collapse(t["name"]).startswith(collapse(prefix)))
    return _reply(request, {"result": found[cursor : cursor + SUGGEST_LIMIT]})


@router.get("/reconcile/suggest/property", summary="Suggest properties")
async def suggest_property(
    request: Request, backend: BackendDep, prefix: SuggestPrefix = "", cursor: Cursor = 0
) -> Response:
    properties = await _service(request, backend).properties()
    found = [p for p in properties if _matches(prefix, p["id"], p["name"])]
    return _reply(request, {"result": found[cursor : cursor + SUGGEST_LIMIT]})


@router.get("/reconcile/preview", summary="A small HTML card of an entity")
async def preview(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    id: Annotated[str, Query(min_length=1, max_length=500)],
) -> HTMLResponse:
    service = _service(request, backend)
    index = await service.index()
    iri = entity_iri(id)
    if iri not in index.by_entity and iri not in index.types_of:
        raise NotFound(f"no entity {id!r} in the graph")
    language = _language(request)
    values = (await fetch_values(backend, index, {iri}, ["country", "locatedIn", "sources"])).get(
        iri, {}
    )
    kinds = ", ".join(index.types[t].name(language) for t in index.types_of.get(iri, ()))
    rows = []
    for pid, label in (("country", "Country"), ("locatedIn", "Located in")):
        names = sorted({v.text for v in values.get(pid, [])})
        if names:
            rows.append(f"<dt>{label}</dt><dd>{html.escape(', '.join(names))}</dd>")
    sources = len(values.get("sources", []))
    if sources:
        rows.append(f"<dt>Sources</dt><dd>{sources}</dd>")
    link = f"{site_base(request, settings)}id/{entity_id(iri) or ''}"
    card = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(index.name_of(iri, language))}</title>"
        "<style>body{font:14px/1.4 system-ui,sans-serif;margin:8px}h1{font-size:16px;margin:0}"
        "p{margin:2px 0;color:#555}dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;"
        "margin:6px 0}dt{color:#555}dd{margin:0}</style></head><body>\n"
        f'<h1><a href="{html.escape(link)}" target="_blank">'
        f"{html.escape(index.name_of(iri, language))}</a></h1>\n"
        f"<p>{html.escape(kinds)} · <code>{html.escape(entity_id(iri) or iri)}</code></p>\n"
        f"<dl>{''.join(rows)}</dl>\n</body></html>\n"
    )
    return HTMLResponse(card)
