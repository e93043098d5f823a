"""Linked data: every IRI of the graph dereferences here, as JSON-LD, Turtle, N-Triples or HTML.

``https://w3id.org/ecograph/id/{kind}/{slug}`` is served at ``/id/{kind}/{slug}`` (the
canonical base maps onto this server's paths); so are the ontology (``/ontology``), the shapes
(``/shapes``), the JSON-LD context (``/context.jsonld``) and the dumps (``/dumps``).

One entity, one description: the same triples are written in every format (the JSON-LD
expands back to exactly the Turtle), so a client may pick a format without losing anything.
Responses carry an ETag computed from the body, so a cache that revalidates gets a 304 for an
unchanged entity whatever the backend.
"""

from __future__ import annotations

import difflib
import mimetypes
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from rdflib import Graph, URIRef

from ecograph.errors import ConfigurationError, InputError
from ecograph.ld import documents as jsonld
from ecograph.ld.describing import description
from ecograph.rdf import label_file
from ecograph.rdf.files import parse_files
from ecograph.rdf.namespaces import ONTOLOGY_IRI, SHAPES_IRI, bind_prefixes
from ecograph.serve.common import (
    PREFIXES,
    BackendDep,
    LanguagesDep,
    SettingsDep,
    local_href,
    request_settings,
    safe_iri,
    site_base,
    vocabulary,
)
from ecograph.serve.conditional import etag_of, matches
from ecograph.serve.document_cache import Document
from ecograph.serve.negotiation import (
    DOCUMENT_FORMATS,
    HTML,
    JSON,
    JSONLD,
    NTRIPLES,
    Format,
    by_name,
    negotiate,
    split_extension,
    wants_html,
)
from ecograph.serve.routes import pages
from ecograph.serve.state import state_of
from ecograph.serve.views.links import entity_links
from ecograph.serve.views.records import CloseMatch, Dump
from ecograph.settings import Settings
from ecograph.store.backend import Backend

router = APIRouter(tags=["linked data"])
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def get_and_head(path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
    """A GET route with a HEAD route beside it that the API description leaves out.

    One route for both methods would describe two operations under one operation ID, which
    breaks client generators (FastAPI warns "Duplicate Operation ID"); HEAD needs no entry of
    its own, since it is GET without the body.
    """

    def register(endpoint: Endpoint) -> Endpoint:
        router.add_api_route(path, endpoint, methods=["GET"], **options)
        router.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False, **options)
        return endpoint

    return register


FormatParam = Annotated[
    str | None,
    Query(
        alias="format",
        description="jsonld, ttl, nt, html or json (or a media type); wins over Accept",
    ),
]
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


# --------------------------------------------------------------------------------------------
# Reading descriptions from the backend


async def describe(backend: Backend, iri: str, settings: Settings) -> Graph:
    """The description of an entity, as a graph."""
    return await backend.describe(description(iri), timeout=settings.query_timeout)


async def close_matches(
    backend: Backend, iri: str, request: Request, settings: Settings, wanted: Sequence[str]
) -> list[CloseMatch]:
    """IRIs of the graph that a mistyped or renamed one probably meant: same kind first."""
    rest = iri[len(settings.base_iri) + len("id/") :]
    kind, _, slug = rest.partition("/")
    prefix = f"{settings.base_iri}id/{kind}/" if slug else f"{settings.base_iri}id/"
    if not safe_iri(prefix):
        return []
    query = f"""{PREFIXES}
SELECT DISTINCT ?s WHERE {{ ?s a ?type . FILTER (STRSTARTS(STR(?s), "{prefix}")) }} LIMIT 20000"""
    result = await backend.select(query, timeout=settings.query_timeout)
    known = {str(row["s"])[len(prefix) :]: str(row["s"]) for row in result.rows if "s" in row}
    found = difflib.get_close_matches(slug or rest, list(known), n=5, cutoff=0.5)
    names = await pages.names_of(backend, [known[f] for f in found], settings, wanted)
    return [
        CloseMatch(known[f], local_href(known[f], request, settings), names.get(known[f], f))
        for f in found
    ]


# --------------------------------------------------------------------------------------------
# Responses


def document_response(
    request: Request,
    body: bytes,
    fmt: Format,
    settings: Settings,
    *,
    negotiated: bool,
    links: Mapping[str, str] | None = None,
    status_code: int = 200,
    etag: str | None = None,
) -> Response:
    """A cacheable document: ETag from the body (unless known), 304 when the client already
    holds it."""
    etag = etag or etag_of(body)
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={settings.cache_max_age}",
    }
    if negotiated:
        headers["Vary"] = "Accept"
    if links:
        headers["Link"] = ", ".join(
            f'<{href}>; rel="alternate"; type="{media}"' for media, href in links.items()
        )
    if status_code == 200 and matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status_code, media_type=fmt.content_type, headers=headers)


def not_acceptable(offered: Sequence[Format], asked: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": "not acceptable",
            "message": f"no representation matches {asked!r}",
            "available": [f.media_type for f in offered],
            "hint": "ask with Accept, or name a format: ?format=ttl or an extension (.ttl)",
        },
        status_code=406,
    )


def choose_format(
    request: Request, extension: Format | None, requested: str | None, offered: Sequence[Format]
) -> tuple[Format | None, bool, str]:
    """(format, chosen by negotiation?, what was asked): extension, then ``format=``, then
    ``Accept``."""
    if extension is not None:
        return extension, False, extension.extension
    if requested:
        return by_name(requested, offered), False, requested
    accept = request.headers.get("accept")
    return negotiate(accept, offered), True, accept or "*/*"


def alternates(base_href: str, offered: Sequence[Format]) -> dict[str, str]:
    return {f.media_type: f"{base_href}.{f.extension}" for f in offered if f is not JSON}


def rdf_body(graph: Graph, fmt: Format) -> bytes:
    """Turtle or N-Triples, deterministic so that an unchanged graph keeps its ETag."""
    graph = bind_prefixes(graph)
    if fmt is NTRIPLES:
        lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").splitlines()))
        return b"\n".join(line for line in lines if line.strip()) + b"\n"
    return graph.serialize(format=fmt.rdflib_format or "turtle", encoding="utf-8")


def context_document(settings: Settings) -> jsonld.JSON:
    return jsonld.load_context_document(settings.root)


def jsonld_body(graph: Graph, iri: str, root: Path, base_iri: str) -> bytes:
    context = jsonld.load_context(root)
    body = jsonld.entity_document(graph, URIRef(iri), context, jsonld.context_url(base_iri))
    return jsonld.dumps(body).encode("utf-8")


@dataclass(frozen=True)
class DocumentWriter:
    """Writes an entity's JSON-LD, Turtle or N-Triples from its description. Plain values
    only, so that it pickles: the embedded backend runs it in the query worker that read the
    description (see :meth:`ecograph.store.backend.Backend.document`)."""

    iri: str
    format_key: str
    root: Path
    base_iri: str

    def __call__(self, graph: Graph) -> bytes:
        fmt = by_name(self.format_key)
        if fmt in (JSONLD, JSON):
            return jsonld_body(graph, self.iri, self.root, self.base_iri)
        if fmt is None or fmt is HTML:
            raise ConfigurationError(f"no document writer for format {self.format_key!r}")
        return rdf_body(graph, fmt)


# --------------------------------------------------------------------------------------------
# Entities


@get_and_head(
    "/id/{path:path}",
    summary="Dereference an entity IRI",
    response_class=Response,
    responses={
        200: {
            "description": "The entity's description",
            "content": {f.media_type: {} for f in DOCUMENT_FORMATS},
        },
        404: {"description": "The graph says nothing about this IRI"},
        406: {"description": "None of the formats is acceptable"},
    },
)
async def entity(
    path: str,
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    wanted_languages: LanguagesDep,
    format_: FormatParam = None,
) -> Response:
    """``/id/{kind}/{slug}`` is ``{base_iri}id/{kind}/{slug}``: as JSON-LD (compacted with the
    published context), Turtle, N-Triples or an HTML page; by ``Accept``, by an extension
    (``.jsonld``, ``.ttl``, ``.nt``, ``.html``) or by ``?format=``."""
    segments = path.split("/")
    last, extension = split_extension(segments[-1])
    stem = "/".join([*segments[:-1], last])
    iri = f"{settings.base_iri}id/{stem}"
    fmt, negotiated, asked = choose_format(request, extension, format_, DOCUMENT_FORMATS)
    if fmt is None:
        return not_acceptable(DOCUMENT_FORMATS, asked)
    if not all(_SEGMENT.match(s) for s in stem.split("/")) or not safe_iri(iri):
        return await not_found(request, iri, settings, backend, wanted_languages, search=False)
    href = local_href(iri, request, settings)
    links = alternates(href, DOCUMENT_FORMATS)
    kept = state_of(request.app).documents
    document = kept.get(iri, fmt.key) if kept is not None else None
    if document is None and fmt is HTML:
        graph = await describe(backend, iri, settings)
        if len(graph) == 0:
            return await not_found(request, iri, settings, backend, wanted_languages)
        vocab = await vocabulary(request)
        found = await entity_links(request.app, iri)
        link_views = await pages.link_views(request, found, wanted_languages)
        page = pages.entity_page(
            request, settings, graph, URIRef(iri), vocab, link_views, wanted_languages, links
        )
        document = Document(page.encode("utf-8"), "")
    elif document is None:
        write = DocumentWriter(iri, fmt.key, settings.root, settings.base_iri)
        body = await backend.document(description(iri), write, timeout=settings.query_timeout)
        if body is None:
            return await not_found(request, iri, settings, backend, wanted_languages)
        document = kept.put(iri, fmt.key, body) if kept is not None else Document(body, "")
    response = document_response(
        request,
        document.body,
        fmt,
        settings,
        negotiated=negotiated,
        links=links,
        etag=document.etag or None,
    )
    if negotiated:
        response.headers["Content-Location"] = f"{href}.{fmt.extension}"
    return response


async def not_found(
    request: Request,
    iri: str,
    settings: Settings,
    backend: Backend,
    wanted_languages: Sequence[str],
    *,
    search: bool = True,
) -> Response:
    """A 404 that helps: what was asked, where to search, what was probably meant."""
    slug = iri.rstrip("/").rsplit("/", 1)[-1]
    words = re.sub(r"[^A-Za-z0-9]+", " ", slug).strip()
    base = site_base(request, settings)
    matches = (
        await close_matches(backend, iri, request, settings, wanted_languages) if search else []
    )
    if wants_html(request.headers.get("accept")):
        html = pages.not_found_page(request, iri, words, matches)
        return Response(html, status_code=404, media_type=HTML.content_type)
    return JSONResponse(
        {
            "error": "not found",
            "iri": iri,
            "message": f"the graph says nothing about <{iri}>",
            "search": f"{base}api/search?q={words.replace(' ', '+')}",
            "closeMatches": [{"id": m.iri, "label": m.label, "href": m.href} for m in matches],
        },
        status_code=404,
    )


# --------------------------------------------------------------------------------------------
# The ontology and the shapes: the files as written, in any format


@lru_cache(maxsize=8)
def _parsed(paths: tuple[Path, ...], stamps: tuple[int, ...]) -> Graph:
    del stamps  # cache key only
    graph = bind_prefixes(Graph())
    for loaded in parse_files(list(paths)):
        graph += loaded.graph
    return graph


def read_graph(paths: Sequence[Path]) -> Graph:
    """The union of RDF files, parsed once per change; callers must not modify it."""
    present = tuple(p for p in paths if p.is_file())
    if not present:
        raise ConfigurationError(f"none of {', '.join(map(str, paths)) or 'no files'} exists")
    return _parsed(present, tuple(p.stat().st_mtime_ns for p in present))


def ontology_files(settings: Settings) -> list[Path]:
    """The ontology proper; ``schemes.ttl`` holds concepts, which dereference under ``/id/``."""
    main = settings.root / "ontology" / "ecograph.owl.ttl"
    return [main] if main.is_file() else settings.ontology_files


async def vocabulary_document(
    request: Request,
    settings: Settings,
    files: Sequence[Path],
    iri: str,
    fmt: Format,
    negotiated: bool,
    wanted_languages: Sequence[str],
    kind: str,
) -> Response:
    try:
        graph = read_graph(files)
    except (ConfigurationError, InputError) as exc:
        return JSONResponse({"error": "not found", "message": str(exc)}, status_code=404)
    href = local_href(iri, request, settings)
    links = alternates(href, DOCUMENT_FORMATS)
    if fmt is HTML:
        render = pages.ontology_page if kind == "ontology" else pages.shapes_page
        body = render(request, settings, graph, iri, wanted_languages, links).encode("utf-8")
    elif fmt in (JSONLD, JSON):
        # The whole file in expanded-then-compacted form: rdflib's serializer, given the
        # context as a dict so that it never dereferences anything.
        inner = context_document(settings)["@context"]
        text = graph.serialize(format="json-ld", context=inner, auto_compact=True)
        body = text.encode("utf-8")
    else:
        body = rdf_body(graph, fmt)
    response = document_response(request, body, fmt, settings, negotiated=negotiated, links=links)
    if negotiated:
        response.headers["Content-Location"] = f"{href}.{fmt.extension}"
    return response


@get_and_head("/ontology", summary="The ontology")
async def ontology(
    request: Request,
    settings: SettingsDep,
    wanted_languages: LanguagesDep,
    format_: FormatParam = None,
) -> Response:
    """The ecograph ontology (``eco:``); a term ``…/ontology#Cluster`` is a fragment of it."""
    return await _ontology(request, settings, wanted_languages, None, format_)


@get_and_head("/ontology.{extension}", summary="The ontology in a named format")
async def ontology_as(
    extension: str, request: Request, settings: SettingsDep, wanted_languages: LanguagesDep
) -> Response:
    return await _ontology(request, settings, wanted_languages, extension, None)


@get_and_head("/ontology/{version}", summary="A version of the ontology")
async def ontology_version(
    version: str,
    request: Request,
    settings: SettingsDep,
    wanted_languages: LanguagesDep,
    format_: FormatParam = None,
) -> Response:
    """The version IRI (``…/ontology/0.1.0``): only the version this server holds."""
    stem, fmt = split_extension(version)
    if stem != jsonld.CONTEXT_VERSION:
        return JSONResponse(
            {
                "error": "not found",
                "message": f"this server holds version {jsonld.CONTEXT_VERSION} only",
                "current": f"{site_base(request, settings)}ontology",
            },
            status_code=404,
        )
    extension = fmt.extension if fmt is not None else None
    return await _ontology(request, settings, wanted_languages, extension, format_)


async def _ontology(
    request: Request,
    settings: Settings,
    wanted_languages: Sequence[str],
    extension: str | None,
    requested: str | None,
) -> Response:
    files = ontology_files(settings)
    return await _file_document(
        request, settings, wanted_languages, extension, requested, files, ONTOLOGY_IRI, "ontology"
    )


async def _file_document(
    request: Request,
    settings: Settings,
    wanted_languages: Sequence[str],
    extension: str | None,
    requested: str | None,
    files: Sequence[Path],
    iri: str,
    kind: Literal["ontology", "shapes"],
) -> Response:
    """The ontology or the shapes, in the format an extension, ``?format=`` or Accept asks."""
    ext_format = by_name(extension) if extension else None
    if extension and ext_format is None:
        return not_acceptable(DOCUMENT_FORMATS, extension)
    fmt, negotiated, asked = choose_format(request, ext_format, requested, DOCUMENT_FORMATS)
    if fmt is None:
        return not_acceptable(DOCUMENT_FORMATS, asked)
    return await vocabulary_document(
        request, settings, files, iri, fmt, negotiated, wanted_languages, kind
    )


@get_and_head("/shapes", summary="The SHACL shapes")
async def shapes(
    request: Request,
    settings: SettingsDep,
    wanted_languages: LanguagesDep,
    format_: FormatParam = None,
) -> Response:
    """The SHACL shapes the graph is validated against, as data or as a page."""
    return await _shapes(request, settings, wanted_languages, None, format_)


@get_and_head("/shapes.{extension}", summary="The shapes in a named format")
async def shapes_as(
    extension: str, request: Request, settings: SettingsDep, wanted_languages: LanguagesDep
) -> Response:
    return await _shapes(request, settings, wanted_languages, extension, None)


async def _shapes(
    request: Request,
    settings: Settings,
    wanted_languages: Sequence[str],
    extension: str | None,
    requested: str | None,
) -> Response:
    files = settings.shapes_files
    return await _file_document(
        request, settings, wanted_languages, extension, requested, files, SHAPES_IRI, "shapes"
    )


# --------------------------------------------------------------------------------------------
# The JSON-LD context


def _context_response(request: Request, settings: Settings) -> Response:
    path = settings.root / jsonld.CONTEXT_PATH
    if not path.is_file():
        return JSONResponse(
            {"error": "not found", "message": "this server has no JSON-LD context"},
            status_code=404,
        )
    response = document_response(request, path.read_bytes(), JSONLD, settings, negotiated=False)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@get_and_head("/context.jsonld", summary="The JSON-LD context")
async def context_latest(request: Request) -> Response:
    """The latest version of the context that entity documents are compacted with."""
    return _context_response(request, request_settings(request))


@get_and_head("/context/{name}", summary="A version of the JSON-LD context")
async def context_version(name: str, request: Request) -> Response:
    """``/context/0.1.0.jsonld``: the URL that documents link to, stable for its version."""
    settings = request_settings(request)
    if name != f"{jsonld.CONTEXT_VERSION}.jsonld":
        return JSONResponse(
            {
                "error": "not found",
                "message": f"this server publishes context version {jsonld.CONTEXT_VERSION}",
                "current": f"{site_base(request, settings)}context/{jsonld.CONTEXT_VERSION}.jsonld",
            },
            status_code=404,
        )
    return _context_response(request, settings)


# --------------------------------------------------------------------------------------------
# Dumps

_DUMP_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".txt": "text/plain",
    ".rq": "application/sparql-query",
}


#: The persisted store and the labels written beside it (``rdf/label_file.py``): what
#: ``serve --store`` opens, not downloads.
_STORE = frozenset({"store", label_file.beside(Path("store")).name})


def list_dumps(dist: Path) -> list[Dump]:
    """The downloadable files: regular files under ``dist``, no hidden ones, no symlinks
    leading out, no persisted store (it is opened with ``serve --store``, not downloaded)."""
    if not dist.is_dir():
        return []
    root = dist.resolve()
    found: list[Dump] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or relative.parts[0] in _STORE:
            continue
        if path.is_file() and path.resolve().is_relative_to(root):
            found.append(Dump(relative.as_posix(), path.stat().st_size, _media_type(path)))
    return found


def _media_type(path: Path) -> str:
    return (
        _DUMP_TYPES.get(path.suffix)
        or mimetypes.guess_type(path.name)[0]
        or ("application/octet-stream")
    )


@get_and_head("/dumps", summary="The whole-graph dumps")
async def dumps(request: Request, settings: SettingsDep, format_: FormatParam = None) -> Response:
    """The files of the last build (dumps in every format, VoID, the validation report)."""
    offered = (JSON, HTML)
    fmt, negotiated, asked = choose_format(request, None, format_, offered)
    if fmt is None:
        return not_acceptable(offered, asked)
    files = list_dumps(settings.dist_dir)
    base = site_base(request, settings)
    if fmt is HTML:
        body = pages.dumps_page(request, files).encode("utf-8")
    else:
        entries = [
            {"name": d.name, "url": f"{base}dumps/{d.name}", "size": d.size, "type": d.media_type}
            for d in files
        ]
        body = jsonld.dumps({"dumps": entries}).encode("utf-8")
    return document_response(request, body, fmt, settings, negotiated=negotiated)


@get_and_head("/dumps/{name:path}", summary="Download a dump")
async def dump(name: str, request: Request, settings: SettingsDep) -> Response:
    """One file of the build output; nothing outside it, whatever the path says."""
    root = settings.dist_dir.resolve()
    listed = {d.name: d for d in list_dumps(root)}
    entry = listed.get(name)
    if entry is None:
        return JSONResponse(
            {
                "error": "not found",
                "message": f"no dump named {name!r}",
                "dumps": f"{site_base(request, settings)}dumps",
            },
            status_code=404,
        )
    return FileResponse(
        root / entry.name,
        media_type=entry.media_type,
        headers={"Cache-Control": f"public, max-age={settings.cache_max_age}"},
    )
