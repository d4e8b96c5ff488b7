"""analyze_store_parallel gives exactly what the serial analyze_store gives."""

import shutil
import sqlite3

import pytest

from analyzer.field import DEMO_FIELD, load_field
from analyzer.parallel import analyze_store_parallel
from analyzer.pipeline import analysis_version, analyze_store, candidate_names, gather, opponents_by_candidate
from analyzer.records import Page
from analyzer.store import Store

YEAR = 2013


@pytest.fixture(scope="module")
def gathered(tmp_path_factory):
    """The demo field gathered into a store, plus one "PDF" that is not one (an unreadable page)."""
    path = tmp_path_factory.mktemp("parallel") / "gathered.sqlite"
    with Store(path) as store:
        gather(load_field(DEMO_FIELD), store)
        store.add_page(Page(candidate="dorsey", url="https://dorseyformayor.example/broken.pdf",
                            content_type="application/pdf", body=b"%PDF-1.4 this is not a pdf"))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _copy(src, dest):
    shutil.copyfile(src, dest)
    return dest


def _dump(path):
    db = sqlite3.connect(path)
    try:
        return {
            "pages": db.execute("SELECT id, candidate, url, title, text, analyzed_with FROM pages ORDER BY id").fetchall(),
            "statements": db.execute("SELECT * FROM statements ORDER BY id").fetchall(),
            "predictions": db.execute("SELECT * FROM predictions ORDER BY statement_id").fetchall(),
            "failures": db.execute("SELECT candidate, url, reason, detail FROM failures ORDER BY candidate, url").fetchall(),
        }
    finally:
        db.close()


@pytest.fixture(scope="module")
def serial(gathered, tmp_path_factory, models):
    path = _copy(gathered, tmp_path_factory.mktemp("serial") / "analysis.sqlite")
    with Store(path) as store:
        assert analyze_store(store, models, YEAR) == store.page_count()
    return _dump(path)


@pytest.mark.parametrize("workers, chunk_pages", [(2, 4), (1, 7)])
def test_parallel_matches_serial(gathered, serial, tmp_path, workers, chunk_pages):
    path = _copy(gathered, tmp_path / "analysis.sqlite")
    seen = []
    n = analyze_store_parallel(path, reference_year=YEAR, workers=workers, chunk_pages=chunk_pages,
                               progress=lambda stage, done, total: seen.append((stage, done, total)))
    got = _dump(path)
    assert n == len(got["pages"]) and seen[-1] == ("analyze", n, n)
    assert len(got["statements"]) > 500
    assert any(f[2] == "unreadable" for f in got["failures"])
    for table in ("pages", "statements", "predictions", "failures"):
        assert got[table] == serial[table], table


def test_parallel_resumes_and_shares_the_serial_version(gathered, tmp_path, models):
    path = _copy(gathered, tmp_path / "analysis.sqlite")
    with Store(path) as store:
        # a few pages analyzed serially first: the parallel run does only the rest
        opponents = opponents_by_candidate(store)
        version = analysis_version(models, opponents, candidate_names(store))
        todo = store.pages_to_analyze(version)
        for page_id in todo[:3]:
            from analyzer.pipeline import analyze_page

            page = store.page(page_id)
            text, statements, predictions = analyze_page(page, models, YEAR, opponents[page.candidate])
            store.save_analysis(page_id, text.text, text.title, statements, predictions, version)
        n = analyze_store_parallel(store, reference_year=YEAR, workers=2, chunk_pages=5)
        assert n == len(todo) - 3
        assert store.pages_to_analyze(version) == []
        assert analyze_store(store, models, YEAR) == 0
    assert analyze_store_parallel(path, reference_year=YEAR, workers=2) == 0


def test_parallel_reports_missing_models(gathered, tmp_path):
    from analyzer.errors import ModelError

    path = _copy(gathered, tmp_path / "analysis.sqlite")
    for workers in (1, 2):
        with pytest.raises(ModelError):
            analyze_store_parallel(path, models_dir=tmp_path / "no-models", workers=workers)
