"""bench/raw_sql holds exactly the SQL the API runs: the benchmark compares like with like."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

RAW_SQL = Path(__file__).resolve().parents[2] / "bench" / "raw_sql"


@pytest.mark.django_db
@pytest.mark.usefixtures("cold_film_list_cache")
@pytest.mark.parametrize(
    ("script", "path"),
    [("films_page", "/api/v1/films"), ("films_category", "/api/v1/films?category=Comedy")],
)
def test_raw_sql_scripts_are_the_apis_own_queries(client: Client, script: str, path: str) -> None:
    # Uncached, the API runs the script's one query (version, total and page together).
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    lines = (RAW_SQL / f"{script}.sql").read_text().splitlines()
    statements = [line.removesuffix(";") for line in lines if not line.startswith("--")]
    assert statements == [query["sql"] for query in captured.captured_queries]
