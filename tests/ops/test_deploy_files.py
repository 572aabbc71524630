"""The deployment files, checked without Docker (no daemon and no image registry here): each
compose file's Folio environment is one `folio config check` accepts, its database URL names
the PostgreSQL service with that service's user, password and database, Collabora's
allow-list is Folio's public URL, and everything published listens on loopback only."""

import os
import re
import subprocess
from urllib.parse import urlsplit

import pytest
import yaml
from folio_process import FOLIO_BIN as FOLIO, ROOT
# What an operator puts in .env for `docker compose up`.
DOTENV = {
    "FOLIO_PUBLIC_URL": "https://files.example.com",
    "COLLABORA_URL": "https://office.example.com",
    "ONLYOFFICE_URL": "https://docs.example.com",
    "ONLYOFFICE_SECRET": "0123456789abcdef0123456789abcdef0123",
    "POSTGRES_PASSWORD": "s3cret-password",
}


def interpolate(value):
    """Compose's ${NAME:?message} and ${NAME} with the values above."""
    def one(m):
        name = m.group(1)
        assert name in DOTENV, "compose uses ${%s}, which the guide does not list" % name
        return DOTENV[name]
    return re.sub(r"\$\{([A-Z_]+)(?::\?[^}]*)?\}", one, str(value))


def services(name):
    with open(os.path.join(ROOT, name)) as f:
        doc = yaml.safe_load(f)
    return {k: {**v, "environment": {e: interpolate(x) for e, x in (v.get("environment") or {}).items()}}
            for k, v in doc["services"].items()}


@pytest.mark.parametrize("name", ["compose.yaml", "compose.onlyoffice.yaml"])
def test_folio_accepts_the_compose_environment(name, tmp_path):
    folio = services(name)["folio"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLIO_")}
    env.update(folio["environment"])
    env["FOLIO_DATA"] = str(tmp_path)      # the image sets /data
    r = subprocess.run([FOLIO, "config", "check"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "configuration is valid" in r.stdout
    # The password never shows, the database does.
    assert DOTENV["POSTGRES_PASSWORD"] not in r.stdout
    assert "postgres://folio@postgres:5432/folio" in r.stdout


@pytest.mark.parametrize("name", ["compose.yaml", "compose.onlyoffice.yaml"])
def test_the_database_url_matches_the_postgres_service(name):
    s = services(name)
    url = urlsplit(s["folio"]["environment"]["FOLIO_DATABASE"])
    pg = s["postgres"]["environment"]
    assert url.hostname == "postgres" and url.port == 5432
    assert (url.username, url.password, url.path.lstrip("/")) == (
        pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"])
    # Folio starts only once PostgreSQL answers.
    assert s["folio"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(s["postgres"]["healthcheck"]["test"])


def test_collabora_allows_exactly_folio():
    s = services("compose.yaml")
    assert s["collabora"]["environment"]["aliasgroup1"] == s["folio"]["environment"]["FOLIO_PUBLIC_URL"]
    assert s["folio"]["environment"]["FOLIO_EDITORS"] == "collabora=http://collabora:9980/hosting/discovery"


@pytest.mark.parametrize("name", ["compose.yaml", "compose.onlyoffice.yaml"])
def test_published_ports_are_on_loopback(name):
    for service, spec in services(name).items():
        for port in spec.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), "%s publishes %s beyond loopback" % (service, port)
