"""Bad input through the command line: one clear error line, exit status 1, no traceback,
nothing lost.

Every case runs `python -m analyzer …` in a subprocess, as a journalist would. A mistake in a
field file, a store that is not one, or a model file that is corrupted or not this project's
must end the command with exactly one line on standard error, starting "Error:", and exit
status 1 — and must not touch the run store already in the output folder. Inputs that are bad
only in part (a folder with nothing readable, a "PDF" that is not one) are recorded as failures
and the run goes on.
"""

from __future__ import annotations

import csv
import hashlib
import html as htmllib
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLEDGE = "As mayor, I will publish every city contract over $25,000 online within one week of signing."

ELECTION = """[election]
city = "Testville"
state = "ZZ"
office = "Mayor"
year = 2013
fictional = true
"""


def _candidate(slug: str = "okay", source: str = '{ path = "site" }', name: str = "Okay Olga", extra: str = "") -> str:
    return f'\n[[candidates]]\nname = "{name}"\nslug = "{slug}"\nsources = [{source}]\n{extra}'


# name -> (field file text or bytes, words the one error line must contain). The mistakes the
# issue names go through a subprocess each; the rest through click's runner in this process
# (the same command and error handling, without paying for another interpreter and spaCy import).
BAD_FIELDS = {
    "malformed-toml": (ELECTION + '\n[[candidates]\nname = "A"\n', ["malformed TOML", "line 8"]),
    "unknown-top-level-key": (ELECTION + "\n[gathering]\ndelay = 1\n" + _candidate(), ["unknown key 'gathering'"]),
    "duplicate-slugs": (ELECTION + _candidate() + _candidate(name="Other Olga"), ["duplicate slug 'okay'"]),
    "file-url": (ELECTION + _candidate(source='{ url = "file:///etc/passwd" }'), ["not an http(s) URL", "line 11"]),
    "javascript-url": (ELECTION + _candidate(source='{ url = "javascript:alert(1)" }'), ["not an http(s) URL"]),
    "slug-climbing-out": (ELECTION + _candidate(slug="../../etc"), ["slug '../../etc' is not valid", "line 10"]),
}
MORE_BAD_FIELDS = {
    "slug-with-a-slash": (ELECTION + _candidate(slug="a/b"), ["slug 'a/b' is not valid"]),
    "unknown-candidate-key": (ELECTION + _candidate(extra='website = "http://example.org/"\n'),
                              ["unknown key 'website'", "line 12"]),
    "unknown-gather-key": (ELECTION + "\n[gather]\ndelays = 1\n" + _candidate(), ["unknown key 'delays'", "line 9"]),
    "unknown-source-key": (ELECTION + _candidate(source='{ url = "http://example.org/", date = 2013-09-01 }'),
                           ["unknown source key 'date'"]),
    "url-without-scheme": (ELECTION + _candidate(source='{ url = "www.example.org/plan" }'), ["not an http(s) URL"]),
    "slug-with-spaces": (ELECTION + _candidate(slug="Okay Olga"), ["slug 'Okay Olga' is not valid"]),
    "impossible-wayback-date": (ELECTION + _candidate(source='{ url = "http://example.org/", wayback = "2013-13-45" }'),
                                ["wayback must be a date"]),
    "missing-local-path": (ELECTION + _candidate(source='{ path = "nowhere/plan.pdf" }'), ["does not exist"]),
    "gather-value-of-the-wrong-type": (ELECTION + '\n[gather]\ndelay = "fast"\n' + _candidate(),
                                       ["delay must be a non-negative number"]),
    "no-candidates": (ELECTION, ["no candidates"]),
    "zero-timeout": (ELECTION + "\n[gather]\ntimeout = 0\n" + _candidate(), ["timeout must be more than 0", "line 9"]),
    "infinite-delay": (ELECTION + "\n[gather]\ndelay = inf\n" + _candidate(), ["delay must be a non-negative number"]),
    "nan-delay": (ELECTION + "\n[gather]\ndelay = nan\n" + _candidate(), ["delay must be a non-negative number"]),
    "zero-max-pages": (ELECTION + "\n[gather]\nmax_pages = 0\n" + _candidate(), ["max_pages must be at least 1"]),
    "byte-order-mark": ("\ufeff" + ELECTION + "\n[gather]\ndelays = 1\n" + _candidate(), ["unknown key 'delays'"]),
    "not-utf8": ((ELECTION + _candidate(name="Jos\u00e9 P\u00e9rez")).encode("latin-1"), ["not UTF-8", "line 9"]),
}


def _cli(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analyzer", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def _assert_one_error_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert result.stdout == ""
    return lines[0]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def existing_run(tmp_path_factory):
    """An output folder holding a store from an earlier, good gather: bad input must not touch it."""
    root = tmp_path_factory.mktemp("existing")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text(f"<html><body><p>{PLEDGE}</p></body></html>", encoding="utf-8")
    field = root / "good.toml"
    field.write_text(ELECTION + _candidate(), encoding="utf-8")
    out = root / "out"
    result = _cli("gather", str(field), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return {"root": root, "field": field, "out": out}


@pytest.fixture(scope="module")
def bad_field_results(existing_run):
    """Every bad field file through `analyzer gather`, run side by side (each is its own process)."""
    root = existing_run["root"]
    before = _sha(existing_run["out"] / "analysis.sqlite")
    paths = {}
    for name, (text, _words) in BAD_FIELDS.items():
        path = root / f"{name}.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        paths[name] = path
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_cli, "gather", str(path), "--out", str(existing_run["out"]))
                   for name, path in paths.items()}
        results = {name: future.result() for name, future in futures.items()}
    return {"results": results, "paths": paths, "before": before}


@pytest.mark.parametrize("case", sorted(BAD_FIELDS))
def test_a_bad_field_file_is_one_error_line_naming_the_file(bad_field_results, case):
    result = bad_field_results["results"][case]
    _assert_one_error_line(result, str(bad_field_results["paths"][case]), *BAD_FIELDS[case][1])


@pytest.mark.parametrize("case", sorted(MORE_BAD_FIELDS))
def test_more_bad_field_files_are_one_error_line_each(existing_run, case):
    from click.testing import CliRunner

    from analyzer.cli import cli

    text, words = MORE_BAD_FIELDS[case]
    path = existing_run["root"] / f"more-{case}.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    before = _sha(existing_run["out"] / "analysis.sqlite")
    outcome = CliRunner().invoke(cli, ["gather", str(path), "--out", str(existing_run["out"])])
    result = subprocess.CompletedProcess([], outcome.exit_code, outcome.stdout, outcome.stderr)
    _assert_one_error_line(result, str(path), *words)
    assert _sha(existing_run["out"] / "analysis.sqlite") == before


def test_a_bad_field_file_loses_nothing(bad_field_results, existing_run):
    assert _sha(existing_run["out"] / "analysis.sqlite") == bad_field_results["before"]
    db = sqlite3.connect(existing_run["out"] / "analysis.sqlite")
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
    db.close()


def test_a_missing_field_file_is_one_error_line(tmp_path):
    _assert_one_error_line(_cli("gather", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "o")),
                           "no such field file")
    assert not (tmp_path / "o").exists()


def test_a_store_that_is_not_one_is_refused_and_left_as_it_was(existing_run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    junk = out / "analysis.sqlite"
    junk.write_bytes(b"these are my notes, not a database\n" * 100)
    before = _sha(junk)
    _assert_one_error_line(_cli("gather", str(existing_run["field"]), "--out", str(out)),
                           str(junk), "not a usable analyzer store")
    assert _sha(junk) == before


# -- model files ---------------------------------------------------------------------------------


class Foreign:
    """Not a model: an object of a class of nobody's library."""

    def __init__(self):
        self.payload = "whatever a stranger wants loaded"


def _write_foreign(path: Path) -> None:
    import skops.io as sio

    sio.dump(Foreign(), path)


def _write_os_system_pipeline(path: Path) -> None:
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    sio.dump(make_pipeline(FunctionTransformer(os.system), LogisticRegression()), path)


def _write_not_skops_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("schema.json", "{not json")


# Through a subprocess each: a model of a foreign class (the case) and a corrupted file.
MODEL_CASES = {
    "custom-class": (_write_foreign, ["refusing to load", "Foreign"]),
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), ["not a readable skops model"]),
}
# Through click's runner in this process: the same command and error handling, cheaper.
MORE_MODEL_CASES = {
    "os-system-in-a-pipeline": (_write_os_system_pipeline, ["refusing to load", "system"]),
    "empty": (lambda p: p.write_bytes(b""), ["not a readable skops model"]),
    "a-pickle": (lambda p: p.write_bytes(__import__("pickle").dumps({"weights": [1, 2, 3]})),
                 ["not a readable skops model"]),
    "zip-but-not-skops": (_write_not_skops_zip, ["model"]),
}


def _models_with(root: Path, write) -> Path:
    """A model folder whose commitment model is written by ``write``; the others are the shipped ones."""
    models = root / "models"
    (models / "commitment").mkdir(parents=True)
    for name in ("area", "concreteness"):
        (models / name).symlink_to(ROOT / "models" / name, target_is_directory=True)
    shutil.copy(ROOT / "models" / "commitment" / "card.json", models / "commitment" / "card.json")
    shutil.copy(ROOT / "models" / "commitment" / "model.skops", models / "commitment" / "model.skops")
    write(models / "commitment" / "model.skops")
    return models


@pytest.fixture(scope="module")
def units(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("units") / "in.jsonl"
    path.write_text('{"id": 1, "text": "I will fix every pothole by 2015."}\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def model_results(tmp_path_factory, units):
    """`analyzer classify --models DIR` with each bad model file, run side by side."""
    cases = {}
    for name, (write, _words) in MODEL_CASES.items():
        models = _models_with(tmp_path_factory.mktemp(name), write)
        cases[name] = (models, models.parent / "out.jsonl")
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(_cli, "classify", str(units), "--models", str(models), "-o", str(out))
                   for name, (models, out) in cases.items()}
        return {name: (cases[name], future.result()) for name, future in futures.items()}


@pytest.mark.parametrize("case", sorted(MODEL_CASES))
def test_a_model_file_that_is_corrupted_or_not_ours_is_refused(model_results, case):
    (models, out), result = model_results[case]
    _assert_one_error_line(result, str(models / "commitment" / "model.skops"), *MODEL_CASES[case][1])
    assert not out.exists() or out.read_text() == ""


@pytest.mark.parametrize("case", sorted(MORE_MODEL_CASES))
def test_more_bad_model_files_are_refused(tmp_path, units, case):
    from click.testing import CliRunner

    from analyzer.cli import cli

    write, words = MORE_MODEL_CASES[case]
    models = _models_with(tmp_path, write)
    out = tmp_path / "out.jsonl"
    outcome = CliRunner().invoke(cli, ["classify", str(units), "--models", str(models), "-o", str(out)])
    result = subprocess.CompletedProcess([], outcome.exit_code, outcome.stdout, outcome.stderr)
    _assert_one_error_line(result, str(models / "commitment" / "model.skops"), *words)
    assert not out.exists() or out.read_text() == ""


# Two ways a model file could get past classify.load_model, checked in-process (loading the real
# models in a subprocess would only repeat the refusal tests above at ten times the cost).


def test_a_model_file_that_runs_code_is_refused(tmp_path):
    import builtins

    import numpy as np
    import pandas as pd
    import skops.io as sio
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from analyzer.classify import load_model
    from analyzer.errors import ModelError

    marker = tmp_path / "code-ran"
    payload = f"__import__('pathlib').Path({str(marker)!r}).write_text('ran')"
    evil = make_pipeline(
        FunctionTransformer(np.full_like, kw_args={"fill_value": payload, "dtype": object}),
        FunctionTransformer(np.vectorize(builtins.eval, otypes=[object])),
        DummyClassifier().fit([[0], [1]], [False, True]),
    )
    folder = tmp_path / "commitment"
    folder.mkdir()
    sio.dump(evil, folder / "model.skops")
    try:
        model = load_model(folder)
    except ModelError as exc:
        assert "refusing to load" in str(exc)
        return
    model.predict_proba(pd.DataFrame({"text": ["I will fix it."], "heading": [""]}))
    assert not marker.exists(), "a model file that passed load_model's checks ran code when it predicted"


def test_a_scikit_learn_model_of_another_project_is_refused(tmp_path):
    import numpy as np
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression

    from analyzer.classify import load_model
    from analyzer.errors import ModelError

    folder = tmp_path / "commitment"
    folder.mkdir()
    sio.dump(LogisticRegression().fit(np.array([[0.0], [1.0]]), [False, True]), folder / "model.skops")
    with pytest.raises(ModelError):
        load_model(folder)


# -- sources that are bad in part: recorded, and the run goes on ---------------------------------------


@pytest.fixture(scope="module")
def partly_bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("partly-bad")
    empty = root / "empty-site"
    empty.mkdir()
    (empty / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (empty / "notes.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)
    (empty / "assets").mkdir()
    site = root / "fake-pdf-site"
    site.mkdir()
    (site / "index.html").write_text(f"<html><body><h1>Plan</h1><p>{PLEDGE}</p></body></html>", encoding="utf-8")
    (site / "plan.pdf").write_text("<html><body>Sorry, the plan moved.</body></html>", encoding="utf-8")
    (site / "budget.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage, truncated")
    (root / "platform.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (root / "saved").mkdir()
    (root / "saved" / "plan.pdf").write_bytes(b"Error 404: the page you requested was not found")
    field = root / "partly-bad.toml"
    field.write_text(
        ELECTION
        + _candidate("empty", '{ path = "empty-site" }', "Empty Emma")
        + _candidate("fakepdf", '{ path = "fake-pdf-site", url = "https://fakepdf.example/" }', "Fake Fred")
        + _candidate("photo", '{ path = "platform.jpg" }', "Photo Phil")
        + _candidate("saved", '{ path = "saved/plan.pdf" }', "Saved Sue")
        + '\n[[candidates]]\nname = "Unlisted Una"\nslug = "unlisted"\n',
        encoding="utf-8",
    )
    out = root / "out"
    result = _cli("--quiet", "run", str(field), "--out", str(out))
    db = sqlite3.connect(out / "analysis.sqlite")
    db.row_factory = sqlite3.Row
    yield {"result": result, "out": out, "db": db, "root": root}
    db.close()


def _card(out: Path, slug: str) -> str:
    page = (out / "scorecard.html").read_text(encoding="utf-8")
    start = page.index(f'id="candidate-{slug}"')
    return htmllib.unescape(page[start: page.index("</article>", start)])


def test_a_partly_bad_field_runs_to_the_end(partly_bad_run):
    result = partly_bad_run["result"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip().endswith("scorecard.html")


def test_a_folder_with_nothing_readable_is_not_reachable_not_empty_handed(partly_bad_run):
    db, out = partly_bad_run["db"], partly_bad_run["out"]
    assert db.execute("SELECT status FROM candidates WHERE slug = 'empty'").fetchone()[0] == "not reachable"
    failures = db.execute("SELECT reason, detail FROM failures WHERE candidate = 'empty'").fetchall()
    assert [f["reason"] for f in failures] == ["empty source"]
    with open(out / "candidates.csv", newline="", encoding="utf-8") as handle:
        rows = {r["slug"]: r for r in csv.DictReader(handle)}
    assert rows["empty"]["status"] == "not reachable"
    assert rows["unlisted"]["status"] == "not checked"
    card = _card(out, "empty")
    assert "not reachable" in card.lower() and "empty source" in card
    assert "Nothing found" not in card and "no commitment" not in card.lower()


def test_a_single_file_that_is_not_a_document_is_recorded_not_read(partly_bad_run):
    db = partly_bad_run["db"]
    assert db.execute("SELECT count(*) FROM pages WHERE candidate = 'photo'").fetchone()[0] == 0
    reasons = [r[0] for r in db.execute("SELECT reason FROM failures WHERE candidate = 'photo'")]
    assert reasons == ["skipped content type"]
    assert db.execute("SELECT status FROM candidates WHERE slug = 'photo'").fetchone()[0] == "not reachable"


def test_a_pdf_that_is_not_one_is_a_failure_of_that_page_and_the_rest_is_read(partly_bad_run):
    db, out = partly_bad_run["db"], partly_bad_run["out"]
    failures = {r["url"]: r for r in db.execute("SELECT * FROM failures WHERE candidate = 'fakepdf'")}
    assert set(failures) == {"https://fakepdf.example/plan.pdf", "https://fakepdf.example/budget.pdf"}
    assert all(f["reason"] == "unreadable" for f in failures.values())
    assert "not a PDF" in failures["https://fakepdf.example/plan.pdf"]["detail"]
    assert "cannot be read" in failures["https://fakepdf.example/budget.pdf"]["detail"]
    statements = db.execute(
        "SELECT s.text FROM statements s JOIN pages p ON p.id = s.page_id WHERE p.url = 'https://fakepdf.example/'"
    ).fetchall()
    assert any("publish every city contract" in s[0] for s in statements)
    assert db.execute("SELECT status FROM candidates WHERE slug = 'fakepdf'").fetchone()[0] == "gathered"
    card = _card(out, "fakepdf")
    assert "plan.pdf" in card and "unreadable" in card


def test_a_saved_file_that_is_not_a_pdf_is_reported_without_the_analysts_folders(partly_bad_run):
    db, out, root = partly_bad_run["db"], partly_bad_run["out"], partly_bad_run["root"]
    rows = db.execute("SELECT url, reason, detail FROM failures WHERE candidate = 'saved'").fetchall()
    assert [(r["reason"], "not a PDF" in r["detail"]) for r in rows] == [("unreadable", True)]
    card = _card(out, "saved")
    assert "plan.pdf" in card and "not a PDF" in card
    # the scorecard is published: the folders on the analyst's machine are not (see report.view.display_url)
    assert str(root) not in (out / "scorecard.html").read_text(encoding="utf-8")


def _invoke(*args: str) -> subprocess.CompletedProcess:
    from click.testing import CliRunner

    from analyzer.cli import cli

    outcome = CliRunner().invoke(cli, list(args))
    return subprocess.CompletedProcess([], outcome.exit_code, outcome.stdout, outcome.stderr)


def test_a_report_of_pages_not_yet_analyzed_is_refused_not_empty(existing_run):
    """A gathered store whose pages were never analyzed would read as "no commitments found"."""
    _assert_one_error_line(_invoke("report", "--out", str(existing_run["out"])),
                           "1 stored page not analyzed", "analyzer analyze --out")


def test_the_store_remembers_its_field_file_wherever_the_next_command_runs(existing_run, tmp_path, monkeypatch):
    from analyzer.store import Store

    with Store(existing_run["out"] / "analysis.sqlite") as store:
        assert Path(store.get_meta("field")).is_absolute()


@pytest.mark.parametrize(
    "lines, words",
    [
        (['{"text": "I will fix it.", "heading": 5}'], ['"heading" must be a string or null', "line 1"]),
        ([json_line := '{"text": "I will fix it."}', json_line, "{not json"], ["line 3", "not valid JSON"]),
    ],
)
def test_classify_output_is_written_whole_or_not_at_all(tmp_path, lines, words):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target.write_text("precious earlier output\n", encoding="utf-8")
    _assert_one_error_line(_invoke("classify", str(source), "-o", str(target)), *words)
    assert target.read_text(encoding="utf-8") == "precious earlier output\n"
    assert not list(tmp_path.glob(".*.partial"))


def test_classify_reads_a_byte_order_mark(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes("\ufeff".encode("utf-8") + b'{"text": "I will fix every pothole by 2015."}\n')
    result = _invoke("classify", str(source))
    assert result.returncode == 0, result.stderr
    assert '"commitment": true' in result.stdout


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda d: d, ["a folder; give one document"]),
        (lambda d: _file(d / "empty.html", b""), ["the document is empty"]),
        (lambda d: _file(d / "noise.dat", bytes(range(256)) * 40), ["not an HTML, PDF or text document"]),
        (lambda d: "ftp://example.org/plan.txt", ["only http:// and https://"]),
    ],
)
def test_extract_refuses_what_is_not_one_document(tmp_path, make, words):
    _assert_one_error_line(_invoke("extract", str(make(tmp_path))), *words)


def test_extract_fetches_from_a_server_on_a_port(httpserver):
    """Contract 3 with a URL whose port is not the default (a local server, never the network)."""
    httpserver.expect_request("/plan").respond_with_data(
        "<html><body><main><p>I will publish every city contract online by 2015.</p></main></body></html>",
        content_type="text/html")
    result = _invoke("extract", httpserver.url_for("/plan"))
    assert result.returncode == 0, result.stderr
    assert "publish every city contract" in result.stdout


def test_unrecognised_csv_labels_are_refused(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("text,commitment\nI will fix it.,maybe\n", encoding="utf-8")
    _assert_one_error_line(_invoke("label", "stats", "--data", str(path)), "line 2", "'maybe' is neither true nor false")


def test_too_little_labeled_data_is_one_clear_error(tmp_path):
    path = tmp_path / "few.jsonl"
    rows = [{"id": f"d{i}/1", "doc": f"d{i}", "text": f"I will fix pothole number {i}.", "commitment": i % 2 == 0,
             "area": "other" if i % 2 == 0 else None, "concreteness": "concrete" if i % 2 == 0 else None} for i in range(12)]
    path.write_text("\n".join(__import__("json").dumps(r) for r in rows) + "\n", encoding="utf-8")
    _assert_one_error_line(_invoke("train", "--data", str(path), "--out", str(tmp_path / "m"), "--no-compare"),
                           "not enough labeled data")


def test_an_output_folder_that_cannot_be_made_is_one_error(tmp_path):
    blocker = tmp_path / "afile.txt"
    blocker.write_text("x")
    field = tmp_path / "f.toml"
    field.write_text(ELECTION + _candidate(source='{ url = "http://127.0.0.1:9/" }'), encoding="utf-8")
    _assert_one_error_line(_invoke("gather", str(field), "--out", str(blocker / "sub")), "cannot create the store")


@pytest.mark.parametrize("measure, words", [
    ("mine", ["give NAME=PATH"]), ("Mine=x.jsonl", ["give NAME=PATH"]), ("corpus_test=x.jsonl", ["already measured"]),
    ("mine=/no/such/labels.jsonl", ["no such file or folder"]),
])
def test_a_bad_measure_for_train_is_one_clear_error(tmp_path, measure, words):
    _assert_one_error_line(_invoke("train", "--out", str(tmp_path / "m"), "--no-compare", "--measure", measure), *words)
