"""The command line: the --json contract scripts rely on, readable output, and clear errors."""

import json

import pytest
from click.testing import CliRunner

from web.cli import cli
from tests.conftest import SEED_ID

HIT_KEYS = ["id", "title", "date", "year", "score", "actors", "roles", "topics", "countries", "organisations", "snippet", "source",
            "group", "versions"]


@pytest.fixture
def runner():
    return CliRunner()


def search_json(runner, root, *args):
    result = runner.invoke(cli, ["search", *args, "--index", str(root), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_search_json_has_exactly_the_documented_keys(runner, sample_index):
    answer = search_json(runner, sample_index, "Bayramov")
    assert list(answer) == ["query", "total", "page", "per_page", "hits", "facets", "suggestion", "relaxed", "note"]
    assert answer["relaxed"] is None and answer["note"] is None
    assert answer["total"] > 0 and answer["hits"]
    assert all(list(hit) == HIT_KEYS for hit in answer["hits"])
    assert set(answer["facets"]) == {"actor", "role", "speaker", "topic", "year", "country", "organisation"}
    assert all(set(v) == {"value", "count"} for values in answer["facets"].values() for v in values)
    assert "<mark>" in answer["hits"][0]["snippet"]


def test_seed_found_by_name_role_and_spelling_variant(runner, corpus_index):
    for query in ("Stoltenberg", "Außenminister", "Aussenminister"):
        answer = search_json(runner, corpus_index, query, "--per-page", "100")
        assert SEED_ID in [hit["id"] for hit in answer["hits"]], query
    top = search_json(runner, corpus_index, "Stoltenberg")["hits"][0]
    assert top["id"] == SEED_ID and "<mark>Stoltenberg</mark>" in top["snippet"]


def test_readable_output_lists_titles_and_count(runner, sample_index):
    result = runner.invoke(cli, ["search", "Minenräumung", "--index", str(sample_index)])
    assert result.exit_code == 0
    assert "Treffer" in result.output and "1. " in result.output


def test_unparsable_query_falls_back_to_words(runner, sample_index):
    answer = search_json(runner, sample_index, 'Bayramov AND (OR "')
    assert answer["total"] > 0


def test_missing_index_is_a_message_not_a_traceback(runner, tmp_path):
    result = runner.invoke(cli, ["search", "x", "--index", str(tmp_path / "nichts")])
    assert result.exit_code == 1
    assert "no index at" in result.output and "Traceback" not in result.output


def test_index_reports_skipped_files_in_summary_and_exit_status(runner, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gut.txt").write_text("Titel\nVorspann\n", encoding="utf-8")
    (folder / "leer.txt").write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 3
    assert "1 indexed" in result.output and "skipped leer.txt: empty file" in result.output


def test_stats_counts_documents(runner, sample_index):
    result = runner.invoke(cli, ["stats", "--index", str(sample_index), "--json"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)
    assert facts["documents"] == 24 and facts["fields"]["year"] >= 3
