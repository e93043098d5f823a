"""The w3id.org redirect rules (deploy/w3id/.htaccess) work as w3id.org applies them.

w3id.org is Apache serving a checkout of github.com/perma-id/w3id.org, each project's
``.htaccess`` under its folder, with ``AllowOverride All``. Here a local Apache does the same
on a loopback port, the rules' target replaced by a running ecograph: every kind of IRI
(entities, ontology, context, shapes, the endpoint) lands on ecograph in the format the client
asked for, the redirect is the same whatever the client accepts (so it needs no ``Vary``; the
negotiated answer carries ``Vary: Accept``), and the JSON-LD context that every entity document
names resolves. Skipped, saying why, where Apache is not installed (Debian: apache2).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from endpoint_support import ROOT, Running, free_socket  # type: ignore[import-not-found]

RULES = ROOT / "deploy" / "w3id" / ".htaccess"
#: The target the committed rules name, replaced here by the test server's address.
TARGET = "https://ecograph.example.org"
APACHE = shutil.which("apache2") or shutil.which("apache2", path="/usr/sbin")
MODULES = Path("/usr/lib/apache2/modules")

_CONF = """\
ServerRoot {dir}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {dir}/httpd.pid
ErrorLog {dir}/error.log
LogLevel warn
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule rewrite_module {modules}/mod_rewrite.so
{user}
DocumentRoot {dir}/htdocs
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory {dir}/htdocs>
  AllowOverride All
  Options FollowSymLinks
  Require all granted
</Directory>
"""


@pytest.fixture(scope="module")
def w3id(project_server: Running) -> Iterator[str]:
    """A local w3id.org, its /ecograph/ rules aimed at the project server."""
    if APACHE is None or not (MODULES / "mod_rewrite.so").exists():
        pytest.skip("Apache with mod_rewrite is not installed (apt-get install apache2)")
    # not under pytest's own temporary folder, which only its owner may enter: Apache, started
    # by root, serves as nobody
    folder = Path(tempfile.mkdtemp(prefix="ecograph-w3id-"))
    (folder / "htdocs" / "ecograph").mkdir(parents=True)
    rules = RULES.read_text(encoding="utf-8")
    assert rules.count(TARGET) == 1, "the target is named once, in the ECOGRAPH variable"
    (folder / "htdocs" / "ecograph" / ".htaccess").write_text(
        rules.replace(TARGET, project_server.url), encoding="utf-8"
    )
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    user = "User nobody\nGroup nogroup" if os.geteuid() == 0 else ""
    conf = folder / "httpd.conf"
    conf.write_text(_CONF.format(dir=folder, port=port, modules=MODULES, user=user))
    for path in (folder, *folder.rglob("*")):
        path.chmod(path.stat().st_mode | 0o005)  # readable by the user Apache runs as
    process = subprocess.Popen(
        [APACHE, "-f", str(conf), "-DFOREGROUND"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/ecograph/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "id/x", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log = (
                        (folder / "error.log").read_text()
                        if (folder / "error.log").exists()
                        else ""
                    )
                    raise RuntimeError(f"Apache did not start: {log[-2000:]}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize(
    ("path", "status", "target"),
    [
        ("", 302, "/"),
        ("ontology", 303, "/ontology"),
        ("ontology.ttl", 303, "/ontology.ttl"),
        ("id/org/kilometro-rosso", 303, "/id/org/kilometro-rosso"),
        ("id/link/cn-js--it-25.ttl?lang=it", 303, "/id/link/cn-js--it-25.ttl?lang=it"),
        ("context.jsonld", 302, "/context.jsonld"),
        ("context/0.1.0.jsonld", 302, "/context/0.1.0.jsonld"),
        ("shapes", 302, "/shapes"),
        ("sparql?query=ASK%7B%7D", 307, "/sparql?query=ASK%7B%7D"),
        ("dumps/ecograph.nq", 302, "/dumps/ecograph.nq"),
    ],
)
def test_each_kind_of_iri_redirects_to_ecograph(
    w3id: str, project_server: Running, path: str, status: int, target: str
) -> None:
    locations = set()
    for accept in ("text/turtle", "application/ld+json", "text/html", "*/*"):
        answer = httpx.get(w3id + path, headers={"Accept": accept})
        assert answer.status_code == status, (path, answer.status_code)
        locations.add(answer.headers["location"])
    assert locations == {project_server.url + target}, "the redirect never depends on Accept"


@pytest.mark.parametrize(
    ("path", "accept", "media_type"),
    [
        ("id/org/kilometro-rosso", "application/ld+json", "application/ld+json"),
        ("id/org/kilometro-rosso", "text/turtle", "text/turtle"),
        ("id/org/kilometro-rosso", "text/html", "text/html"),
        ("ontology", "text/turtle", "text/turtle"),
        ("shapes", "text/turtle", "text/turtle"),
    ],
)
def test_content_negotiation_survives_the_redirect(
    w3id: str, path: str, accept: str, media_type: str
) -> None:
    answer = httpx.get(w3id + path, headers={"Accept": accept}, follow_redirects=True)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media_type)
    assert "accept" in answer.headers.get("vary", "").lower()


def test_the_context_an_entity_document_names_resolves(w3id: str) -> None:
    """Today's documents name https://w3id.org/ecograph/context/{version}.jsonld: once the
    rules are registered, that URL answers with the context, as it does here."""
    document = httpx.get(
        w3id + "id/org/kilometro-rosso",
        headers={"Accept": "application/ld+json"},
        follow_redirects=True,
    ).json()
    named = document["@context"]
    assert isinstance(named, str) and named.startswith("https://w3id.org/ecograph/context/")
    context = httpx.get(
        w3id + named.removeprefix("https://w3id.org/ecograph/"), follow_redirects=True
    )
    assert context.status_code == 200
    assert "@context" in context.json()


def test_a_posted_query_stays_a_post(w3id: str) -> None:
    answer = httpx.post(
        w3id + "sparql",
        data={"query": "ASK { ?l a eco:CrossBorderLink }"},
        headers={"Accept": "application/sparql-results+json"},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert answer.json()["boolean"] is True
