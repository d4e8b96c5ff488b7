"""The stages composed: field → pages → sections → statements → predictions → reports.

This is the one place where the stages meet; each stage stays a plain function of its
records. The run store makes every step resumable: pages already stored are not fetched
again and pages already analyzed with the current models are not analyzed again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from . import __version__
from .classify import Models, classify_units, load_models, opponent_names
from .errors import InputError
from .field import DEMO_FIELD, load_field
from .records import Field, GatherOptions, Page, Prediction, Statement
from .store import Store
from .text import PageText, page_text
from .nlp import split_statements
from .voice import is_someone_else

__all__ = ["run_field", "gather", "analyze_store", "analyze_page", "classify_texts", "extract_document",
           "RunResult", "analysis_version", "STORE_NAME"]

STORE_NAME = "analysis.sqlite"
TEXT_VERSION = "text-1"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunResult:
    out: Path
    files: dict
    candidates: int
    pages: int
    failures: int
    statements: int
    commitments: int

    @property
    def scorecard(self) -> Path:
        return self.files["scorecard"]


def analysis_version(models: Models, opponents: dict[str, tuple[str, ...]] | None = None,
                     names: dict[str, str] | None = None) -> str:
    """What a stored analysis depends on: the analyzer, the text rules, the models (their data and
    when they were trained) and, when the field's candidates are known, who is whose opponent
    (adding a candidate changes the reading of pages that name them) and what each is called (a
    quotation is the candidate's or someone else's by the name)."""
    version = f"{__version__}|{TEXT_VERSION}|{models.version}"
    # the models' version names their data; a retraining with new rules on the same data is
    # told apart by when each model was trained
    trained = [str((models.cards or {}).get(name, {}).get("trained", "")) for name in sorted(models.cards or {})]
    if any(trained):
        version += "|" + hashlib.sha256("|".join(trained).encode("utf-8")).hexdigest()[:8]
    if opponents or names:
        field = [sorted((opponents or {}).items()), sorted((names or {}).items())]
        digest = hashlib.sha256(json.dumps(field).encode("utf-8")).hexdigest()[:10]
        version += f"|field-{digest}"
    return version


def gather(field: Field, store: Store, options: GatherOptions | None = None, progress: Progress | None = None,
           session=None) -> list:
    from .gather import gather_field

    total = len(field.candidates)
    done = 0

    def tick(result):
        nonlocal done
        done += 1
        if progress:
            progress("gather", done, total)

    return gather_field(field, store, options or field.gather, on_candidate=tick, session=session)


def statement_units(statements: Sequence[Statement], opponents: Sequence[str], own_name: str = "") -> list[dict]:
    """The model inputs of a page's statements (the worker processes build the same).

    ``own_name``: the candidate's; a statement quoted from anyone else (an endorser, a supporter)
    carries that ``speaker``. Without it no quotation is taken for someone else's: the speaker
    could be the candidate."""
    opponents = tuple(opponents)
    return [{"text": s.text, "heading": s.heading, "heading_path": s.heading_path, "kind": s.kind,
             "opponents": opponents,
             "speaker": s.speaker if own_name and is_someone_else(s.speaker, own_name) else None}
            for s in statements]


def analyze_page(page: Page, models: Models, reference_year: int | None = None,
                 opponents: Sequence[str] = (), own_name: str = "") -> tuple[PageText, list[Statement], list[Prediction]]:
    """One page to its text, statements and predictions.

    ``opponents``: what the page's candidate's opponents are called (see
    :func:`analyzer.classify.opponent_names`); their positions are not the candidate's commitments.
    ``own_name``: the candidate's name; quotations of anyone else on the page are theirs."""
    extracted = page_text(page)
    statements = split_statements(extracted.sections, extracted.text)
    units = statement_units(statements, opponents, own_name)
    predictions = models.predict(units, reference_year) if units else []
    return extracted, statements, predictions


def analyze_store(store: Store, models: Models, reference_year: int | None = None,
                  progress: Progress | None = None, batch_pages: int = 32) -> int:
    """Analyze every stored page not yet analyzed with these models; returns how many were.

    The statements of ``batch_pages`` pages are classified in one call (per-call overhead was
    half the time on short pages); each page is still saved in its own transaction, so an
    interrupted run keeps every page saved before it."""
    opponents = opponents_by_candidate(store)
    names = candidate_names(store)
    version = analysis_version(models, opponents, names)
    todo = store.pages_to_analyze(version)
    done = 0

    def saved():
        nonlocal done
        done += 1
        if progress:
            progress("analyze", done, len(todo))

    def classify_and_save(batch, units):
        predictions = models.predict(units, reference_year) if units else []
        at = 0
        for page_id, extracted, statements in batch:
            store.save_analysis(page_id, extracted.text, extracted.title, statements,
                                predictions[at:at + len(statements)], version)
            at += len(statements)
            saved()

    for first in range(0, len(todo), batch_pages):
        batch, units = [], []
        for page_id in todo[first:first + batch_pages]:
            page = store.page(page_id)
            try:
                extracted = page_text(page)
                statements = split_statements(extracted.sections, extracted.text)
            except InputError as exc:
                # a "PDF" that is not one, say: recorded against the page, the run goes on
                store.add_failure(page.candidate, page.url, "unreadable", str(exc))
                store.save_analysis(page_id, "", None, [], [], version)
                saved()
                continue
            except Exception:
                classify_and_save(batch, units)  # the pages read before this one are kept
                raise
            batch.append((page_id, extracted, statements))
            units.extend(statement_units(statements, opponents.get(page.candidate, ()), names.get(page.candidate, "")))
        classify_and_save(batch, units)
    return len(todo)


def candidate_names(store: Store) -> dict[str, str]:
    """Each stored candidate's name, by slug."""
    return {r["slug"]: r["name"] for r in store.candidates()}


def opponents_by_candidate(store: Store) -> dict[str, tuple[str, ...]]:
    """For each candidate of the stored field, what the others are called.

    Only the candidates of the field last gathered count: one dropped from the field file is
    nobody's opponent any more, though its rows stay in the store."""
    rows = store.candidates()
    current = store.get_meta("field_candidates")
    if current:
        keep = set(json.loads(current))
        rows = [r for r in rows if r["slug"] in keep]
    names = [r["name"] for r in rows]
    return {r["slug"]: opponent_names(names, r["name"]) for r in rows}


def run_field(
    field: Field | str | Path | None = None,
    out: str | Path | None = None,
    *,
    options: GatherOptions | None = None,
    models: Models | None = None,
    progress: Progress | None = None,
    session=None,
    workers: int = 1,
) -> RunResult:
    """Gather, analyze and report a field into ``out`` (default ``runs/<field name>``).

    ``workers`` > 1 analyzes pages in that many processes (:mod:`analyzer.parallel`)."""
    if field is None:
        field = DEMO_FIELD
    if not isinstance(field, Field):
        field = load_field(field)
    out = Path(out or Path("runs") / field.name)
    out.mkdir(parents=True, exist_ok=True)
    models = models or load_models()
    with Store(out / STORE_NAME) as store:
        store.set_meta("field", str(Path(field.path).resolve()) if field.path else "")
        store.set_meta("election", field.election.title)
        gather(field, store, options, progress, session=session)
        if workers != 1:
            from .parallel import analyze_store_parallel

            analyze_store_parallel(store, models.folder, field.election.year, workers=workers, progress=progress)
        else:
            analyze_store(store, models, field.election.year, progress)
        from .report import write_reports

        model_info = {"analyzer_version": __version__, "models": models.info()}
        files = write_reports(store, field, out, model_info)
        rows = store.statement_rows()
        return RunResult(
            out=out,
            files=files,
            candidates=len(field.candidates),
            pages=store.page_count(),
            failures=len(store.failures()),
            statements=len(rows),
            commitments=sum(1 for r in rows if r["commitment"]),
        )


def classify_texts(units: Iterable[dict], models: Models | None = None, reference_year: int | None = None) -> Iterator[dict]:
    """DESIGN.md contract 2: each input dict, in order, with the prediction fields added."""
    for unit, prediction in classify_units(units, models, reference_year):
        yield {**unit, **_prediction_fields(prediction)}


def _prediction_fields(p: Prediction) -> dict:
    d = p.as_dict()
    return {
        "commitment": d["commitment"],
        "commitment_score": d["commitment_score"],
        "area": d["area"],
        "area2": d["area2"],
        "area_scores": d["area_scores"],
        "concreteness": d["concreteness"],
        "concreteness_score": d["concreteness_score"],
        "measurable": d["measurable"],
        "facets": d["facets"],
        "reasons": d["reasons"],
        "needs_review": d["needs_review"],
        "model_version": d["model_version"],
    }


def _looks_binary(page: Page) -> bool:
    """Bytes that are neither a PDF nor markup and hold NULs or mostly control bytes: an image,
    an executable, random data — reading them as text gives garbage statements."""
    from .gather.pdf import is_pdf

    head = page.body[:8192]
    if is_pdf(page.body) or "pdf" in (page.content_type or "").lower() or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # a PDF, or UTF-16 text (whose NULs are half its bytes)
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def extract_document(source: str | Path, models: Models | None = None, session=None,
                     reference_year: int | None = None, candidate: str = "") -> list[dict]:
    """DESIGN.md contract 3: one document (HTML, PDF or text; a path or a URL) to its statements.

    ``candidate``: whose document it is, if known; quotations of anyone else are theirs."""
    source = str(source)
    if source.startswith(("http://", "https://")):
        from .gather.http import PoliteSession

        session = session or PoliteSession(GatherOptions(delay=0.0))
        response = session.fetch(source, allowed_hosts={source})  # a URL: its port counts
        page = Page(candidate="-", url=response.final_url, content_type=response.content_type_with_charset,
                    body=response.body)
    else:
        path = Path(source)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", source):
            raise InputError(f"{source}: only http:// and https:// addresses can be fetched")
        if source == "-":
            import sys

            page = Page(candidate="-", url="-", content_type="", body=sys.stdin.buffer.read())
        else:
            if path.is_dir():
                raise InputError(f"{path}: a folder; give one document (a folder of pages is a local source in a field file)")
            if not path.is_file():
                raise InputError(f"{path}: no such file")
            from .gather.local import content_type_of

            page = Page(candidate="-", url=path.resolve().as_uri(), content_type=content_type_of(path) or "text/plain",
                        body=path.read_bytes())
    name = "standard input" if source == "-" else source
    if not page.body.strip():
        raise InputError(f"{name}: the document is empty")
    if _looks_binary(page):
        raise InputError(f"{name}: not an HTML, PDF or text document")
    _, statements, predictions = analyze_page(page, models or load_models(), reference_year, own_name=candidate)
    return [
        {"text": s.text, "heading": s.heading, "heading_path": list(s.heading_path), "kind": s.kind,
         "start": s.start, "end": s.end, "page_number": s.page_number, "speaker": s.speaker, **_prediction_fields(p)}
        for s, p in zip(statements, predictions)
    ]
