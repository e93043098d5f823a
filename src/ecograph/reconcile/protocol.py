"""The reconciliation protocol's JSON: reading query batches and extension requests, writing
candidates, in the two forms clients send.

- 0.2 (OpenRefine): ``queries`` is an object of keyed queries, each
  ``{"query", "type", "limit", "properties": [{"pid", "v"}], "type_strict"}``; results come
  back under the same keys, as ``{"result": [candidates]}``.
- 1.0-draft: ``{"queries": [{"conditions": [{"matchType": "name"|"property", ...}], "type",
  "limit"}]}``; results come back in order, as ``{"results": [{"candidates": [...]}]}``.

Anything malformed is a :class:`~ecograph.errors.ParameterError` saying what and where (the
API answers 400); a batch over the size is :class:`~ecograph.errors.QueryTooLarge` (413).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ecograph.errors import ParameterError, QueryTooLarge
from ecograph.reconcile.index import NameIndex
from ecograph.reconcile.matching import Candidate, Condition, Query

DEFAULT_LIMIT = 5
MAX_LIMIT = 100
MAX_NAME = 500


def parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParameterError(
            f"{what} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def _limit(raw: object, where: str) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ParameterError(f"{where}: limit must be a positive integer")
    try:
        value = int(raw)
    except ValueError:
        raise ParameterError(f"{where}: limit must be a positive integer") from None
    if value < 1:
        raise ParameterError(f"{where}: limit must be a positive integer")
    return min(value, MAX_LIMIT)


def _values(raw: object, where: str) -> tuple[str, ...]:
    """Property values: strings, numbers, or reconciled entities ``{"id": ...}``, alone or
    in a list."""
    items = raw if isinstance(raw, list) else [raw]
    values = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            values.append(item["id"])
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            if str(item).strip():  # an empty cell says nothing
                values.append(str(item))
        else:
            raise ParameterError(f'{where}: a value must be text, a number or {{"id": ...}}')
    return tuple(values)


def _type(raw: object, where: str) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, list):  # 0.2 allows several types: the first one filters
        raw = raw[0] if raw else None
        if raw is None:
            return None
    if isinstance(raw, dict):
        raw = raw.get("id")
    if not isinstance(raw, str) or not raw:
        raise ParameterError(f'{where}: type must be a type id such as "Cluster"')
    return raw


def _name(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterError(f"{where}: a query needs a name to match (non-empty text)")
    if len(raw) > MAX_NAME:
        raise ParameterError(f"{where}: a name of more than {MAX_NAME} characters")
    return raw


def _check_size(count: int, batch_size: int) -> None:
    if count == 0:
        raise ParameterError("the batch holds no query")
    if count > batch_size:
        raise QueryTooLarge(
            f"a batch of {count} queries is over this service's batch size of {batch_size}: "
            "send smaller batches (the manifest's batchSize)"
        )


def parse_v02(raw: object, batch_size: int) -> tuple[list[str], list[Query]]:
    """``queries`` of the 0.2 protocol: the keys, in order, and their queries."""
    if not isinstance(raw, dict):
        raise ParameterError('queries must be a JSON object of keyed queries: {"q0": {...}}')
    _check_size(len(raw), batch_size)
    keys, queries = [], []
    for key, item in raw.items():
        where = f"query {key!r}"
        if isinstance(item, str):  # a bare name, as some clients send
            item = {"query": item}
        if not isinstance(item, dict):
            raise ParameterError(f"{where}: must be an object with a 'query'")
        conditions = []
        properties = item.get("properties") or []
        if not isinstance(properties, list):
            raise ParameterError(f"{where}: properties must be a list of {{pid, v}}")
        for number, prop in enumerate(properties):
            at = f"{where}, property {number}"
            pid = prop.get("pid") if isinstance(prop, dict) else None
            if not isinstance(pid, str) or not pid:
                raise ParameterError(f"{at}: needs a 'pid'")
            values = _values(prop.get("v"), at)
            if values:
                conditions.append(Condition(pid, values))
        queries.append(
            Query(
                _name(item.get("query"), where),
                _type(item.get("type"), where),
                _limit(item.get("limit"), where),
                tuple(conditions),
            )
        )
        keys.append(str(key))
    return keys, queries


def parse_v1(raw: object, batch_size: int) -> list[Query]:
    """A 1.0-draft batch ``{"queries": [...]}`` (``propertyId``/``propertyValue`` or the
    earlier ``pid``/``v``)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("queries"), list):
        raise ParameterError('the body must be {"queries": [ ... ]}')
    items = raw["queries"]
    _check_size(len(items), batch_size)
    queries = []
    for number, item in enumerate(items):
        where = f"query {number}"
        if not isinstance(item, dict) or not isinstance(item.get("conditions"), list):
            raise ParameterError(f"{where}: needs a list of conditions")
        name: str | None = None
        conditions = []
        for position, condition in enumerate(item["conditions"]):
            at = f"{where}, condition {position}"
            if not isinstance(condition, dict):
                raise ParameterError(f"{at}: must be an object")
            kind = condition.get("matchType")
            value = condition.get("propertyValue", condition.get("v"))
            if kind == "name":
                name = _name(value, at)
            elif kind == "property":
                pid = condition.get("propertyId", condition.get("pid"))
                if not isinstance(pid, str) or not pid:
                    raise ParameterError(f"{at}: needs a propertyId")
                required = condition.get("required", False)
                if not isinstance(required, bool):
                    raise ParameterError(f"{at}: required must be true or false")
                values = _values(value, at)
                if values:
                    conditions.append(Condition(pid, values, required))
            else:
                raise ParameterError(f'{at}: matchType must be "name" or "property"')
        if name is None:
            raise ParameterError(f'{where}: a query needs a condition of matchType "name"')
        queries.append(
            Query(
                name,
                _type(item.get("type"), where),
                _limit(item.get("limit"), where),
                tuple(conditions),
            )
        )
    return queries


def _types(index: NameIndex, candidate: Candidate, language: str) -> list[dict[str, str]]:
    return [
        {"id": t, "name": index.types[t].name(language) if t in index.types else t}
        for t in candidate.types
    ]


def candidate_v02(index: NameIndex, candidate: Candidate, language: str) -> dict[str, Any]:
    return {
        "id": candidate.id,
        "name": candidate.name,
        "type": _types(index, candidate, language),
        "score": candidate.score,
        "match": candidate.match,
        "features": [{"id": f.id, "name": f.name, "value": f.value} for f in candidate.features],
    }


def results_v02(
    index: NameIndex, keys: Sequence[str], found: Sequence[list[Candidate]], language: str
) -> dict[str, Any]:
    return {
        key: {"result": [candidate_v02(index, c, language) for c in candidates]}
        for key, candidates in zip(keys, found, strict=True)
    }


def results_v1(index: NameIndex, found: Sequence[list[Candidate]], language: str) -> dict[str, Any]:
    return {
        "results": [
            {"candidates": [candidate_v02(index, c, language) for c in candidates]}
            for candidates in found
        ]
    }


@dataclass(frozen=True)
class Extension:
    ids: tuple[str, ...]
    properties: tuple[str, ...]


def parse_extension(raw: object, batch_size: int) -> Extension:
    """``{"ids": [...], "properties": [{"id": ...}]}``, in both versions."""
    if not isinstance(raw, dict):
        raise ParameterError('extend must be {"ids": [...], "properties": [{"id": ...}]}')
    ids, properties = raw.get("ids"), raw.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise ParameterError("extend: ids must be a list of entity ids")
    if not isinstance(properties, list) or not properties:
        raise ParameterError('extend: properties must be a non-empty list of {"id": ...}')
    pids = []
    for number, prop in enumerate(properties):
        pid = prop.get("id") if isinstance(prop, dict) else prop
        if not isinstance(pid, str) or not pid:
            raise ParameterError(f"extend: property {number} needs an id")
        pids.append(pid)
    if len(ids) > batch_size:
        raise QueryTooLarge(
            f"extend: {len(ids)} ids are over this service's batch size of {batch_size}"
        )
    return Extension(tuple(ids), tuple(pids))
