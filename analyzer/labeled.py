"""Labeled data: the project's corpus and readers for other layouts.

Every reader returns units as dicts in the format of ANNOTATION.md §6 (``id``, ``text``,
``heading``, ``commitment``, ``area``, ``area2``, ``concreteness``, ``facets`` …) plus ``doc``,
the document a unit belongs to, so that splits never cut a document in two.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path
from typing import Iterable, Sequence

from .errors import InputError
from .records import AREAS, FACETS

__all__ = [
    "CORPUS_DIR",
    "read_jsonl",
    "read_labeled",
    "read_csv",
    "read_speech_acts",
    "load_corpus",
    "split_of",
    "dedupe",
    "data_hash",
    "corpus_stats",
]

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpora" / "labeled"
MAX_LINE_CHARS = 100_000


def read_jsonl(path: str | Path) -> list[dict]:
    """Read JSON Lines; '-' is standard input. One clear error names the file and line."""
    import sys

    units = []
    name = "standard input" if str(path) == "-" else str(path)
    try:
        # utf-8-sig: a byte-order mark from a Windows editor is not part of the first line
        handle = sys.stdin if str(path) == "-" else open(path, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    number = 0
    try:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_CHARS:
                raise InputError(f"{name}, line {number}: line longer than {MAX_LINE_CHARS} characters")
            try:
                unit = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{name}, line {number}: not valid JSON ({exc.msg})") from None
            if not isinstance(unit, dict) or not isinstance(unit.get("text"), str):
                raise InputError(f'{name}, line {number}: each line must be a JSON object with a "text" string')
            if unit.get("heading") is not None and not isinstance(unit["heading"], str):
                raise InputError(f'{name}, line {number}: "heading" must be a string or null')
            unit["_line"] = number
            units.append(unit)
    except UnicodeDecodeError:
        # the line that could not be decoded is the one after the last line read
        raise InputError(f"{name}, line {number + 1}: not UTF-8 text; save it as UTF-8") from None
    finally:
        if handle is not sys.stdin:
            handle.close()
    return units


def _check_labels(unit: dict, where: str) -> dict:
    if not isinstance(unit.get("commitment"), bool):
        raise InputError(f"{where}: commitment must be true or false")
    if unit["commitment"]:
        if unit.get("area") is not None and unit["area"] not in AREAS:
            raise InputError(f"{where}: area {unit['area']!r} is not one of {', '.join(AREAS)}")
        if unit.get("concreteness") not in (None, "concrete", "buzzword"):
            raise InputError(f"{where}: concreteness must be concrete or buzzword")
    unit.setdefault("heading", "")
    unit["heading"] = unit.get("heading") or ""
    if unit.get("id") is not None and not isinstance(unit["id"], str):
        unit["id"] = str(unit["id"])
    unit.setdefault("doc", (unit.get("id") or where).rsplit("/", 1)[0])
    return unit


def read_labeled(path: str | Path) -> list[dict]:
    """Labeled JSONL (ANNOTATION.md §6), a folder of such files, a CSV, or a Speech-Acts folder."""
    path = Path(path)
    if path.is_dir():
        if any(path.glob("*.csv")) and not any(path.glob("*.jsonl")):
            return read_speech_acts(path)
        files = sorted(path.rglob("*.jsonl"))
        if not files:
            raise InputError(f"{path}: no .jsonl files in this folder")
        units = []
        for file in files:
            units.extend(read_labeled(file))
        return units
    if path.suffix.lower() == ".csv":
        return read_csv(path)
    units = read_jsonl(path)
    return mark_headings([_check_labels(u, f"{path}, line {u.pop('_line')}") for u in units])


def mark_headings(units: list[dict]) -> list[dict]:
    """Give ``kind: heading`` to the units that other units of their document stand under.

    The analyzer gives every statement a kind (heading, bullet or sentence); labeled data in the
    guide's format has none, but its headings are known: they are the ``heading`` of the units
    below them. Without this, a model never sees in training the headings it meets on pages."""
    headings: dict[str, set[str]] = {}
    for unit in units:
        heading = unit.get("heading")
        if isinstance(heading, str) and heading.strip():
            headings.setdefault(str(unit.get("doc") or ""), set()).add(" ".join(heading.split()))
    for unit in units:
        if not unit.get("kind") and " ".join(str(unit.get("text") or "").split()) in headings.get(str(unit.get("doc") or ""), ()):
            unit["kind"] = "heading"
    return units


_TRUE, _FALSE = ("1", "yes", "true", "y", "t"), ("0", "no", "false", "n", "f")


def _truth(value: str, where: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise InputError(f"{where}: commitment {value!r} is neither true nor false (use 1/0, yes/no or true/false)")


def read_csv(path: str | Path, mapping: dict[str, str] | None = None) -> list[dict]:
    """A CSV of labeled units. ``mapping`` maps this project's keys to the CSV's column names,
    e.g. ``{"text": "sentence", "commitment": "is_promise"}``; truthy strings (1, yes, true)
    become True."""
    known = ("text", "heading", "commitment", "area", "area2", "concreteness", "doc", "id")
    unknown = sorted(set(mapping or {}) - set(known))
    if unknown:
        raise InputError(f"--column {unknown[0]}=…: unknown key; map one of {', '.join(known)}")
    mapping = {**{k: k for k in known}, **(mapping or {})}
    units = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [mapping[k] for k in ("text", "commitment") if mapping[k] not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: missing column(s) {', '.join(missing)}; map them with --column KEY=COLUMN")
            for number, row in enumerate(reader, start=2):
                get = lambda key: (row.get(mapping[key]) or "").strip()  # noqa: E731
                unit = {
                    "id": get("id") or f"{Path(path).stem}/{number}",
                    "doc": get("doc") or Path(path).stem,
                    "text": get("text"),
                    "heading": get("heading"),
                    "commitment": _truth(get("commitment"), f"{path}, line {number}"),
                    "area": get("area") or None,
                    "area2": get("area2") or None,
                    "concreteness": get("concreteness") or None,
                }
                units.append(_check_labels(unit, f"{path}, line {number}"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read as CSV ({exc})") from None
    return mark_headings(units)


# The field of the 2016 Australian federal election as the Liberal party's releases see it: the
# parties and leaders running against it. Public facts about that race, given to the analyzer the
# way a field file gives a mayoral candidate's opponents.
SPEECH_ACTS_OPPONENTS = {
    "Liberal": ("Labor", "Australian Labor Party", "Bill Shorten", "Shorten", "Chris Bowen", "Bowen",
                "Tanya Plibersek", "Plibersek", "Greens", "Richard Di Natale", "Di Natale"),
}


# the year of that election, as a field file gives a race's: dates before it are records
SPEECH_ACTS_YEAR = 2016


def election_year_of(units: Sequence[dict]) -> int | None:
    """The ``election_year`` all these units share, if they carry one (None otherwise)."""
    years = {u.get("election_year") for u in units}
    if len(years) == 1:
        year = years.pop()
        return year if isinstance(year, int) and not isinstance(year, bool) else None
    return None


def read_speech_acts(folder: str | Path) -> list[dict]:
    """The Speech-Acts layout (one CSV per document: Id, Sentence, Categories, Specificity …).

    commitment = Commissive-A or -O; concreteness = concrete for Specific, buzzword for Vague
    (Commissive-A rows only); there is no area label. Each unit carries the ``opponents`` of its
    document's party (the file name's first part), see :data:`SPEECH_ACTS_OPPONENTS`, and the
    ``election_year`` (:data:`SPEECH_ACTS_YEAR`), as a field file gives both.
    """
    folder = Path(folder)
    files = sorted(folder.glob("*.csv"), key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)])
    if not files:
        raise InputError(f"{folder}: no CSV files (expected the Speech-Acts Dataset folder)")
    units = []
    for file in files:
        with open(file, newline="", encoding="utf-8-sig", errors="replace") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("Sentence") or "").strip()
                if not text:
                    continue
                category = (row.get("Categories") or "").strip()
                spec = (row.get("Specificity") or "").strip().lower()
                commitment = category in ("Commissive-A", "Commissive-O")
                concreteness = None
                if category == "Commissive-A" and spec in ("specific", "vague"):
                    concreteness = "concrete" if spec == "specific" else "buzzword"
                units.append({
                    "id": f"{file.stem}/{(row.get('Id') or '').strip()}",
                    "doc": file.stem,
                    "text": text,
                    "heading": "",
                    "commitment": commitment,
                    "area": None,
                    "area2": None,
                    "concreteness": concreteness,
                    "category": category,
                    "opponents": SPEECH_ACTS_OPPONENTS.get(file.stem.split("_")[0], ()),
                    "election_year": SPEECH_ACTS_YEAR,
                })
    return units


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def dedupe(units: list[dict], threshold: float = 0.9) -> tuple[list[dict], int]:
    """Drop exact and near-duplicate texts (cosine of word-bigram TF-IDF ≥ threshold); keep the first."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    seen, first_pass = set(), []
    for unit in units:
        key = _key(unit["text"])
        if key in seen:
            continue
        seen.add(key)
        first_pass.append(unit)
    if len(first_pass) < 2:
        return first_pass, len(units) - len(first_pass)
    import scipy.sparse as sp

    matrix = TfidfVectorizer(ngram_range=(1, 2)).fit_transform([_key(u["text"]) for u in first_pass])
    sims = sp.triu(matrix @ matrix.T, k=1).tocoo()
    close = sims.data >= threshold
    drop: set[int] = set()
    for i, j in sorted(zip(sims.row[close].tolist(), sims.col[close].tolist())):
        if i not in drop:
            drop.add(j)
    kept = [u for i, u in enumerate(first_pass) if i not in drop]
    return kept, len(units) - len(kept)


def split_of(doc: str) -> str:
    """A document's split, fixed by a hash of its id: about 70% train, 10% dev, 20% test."""
    bucket = int(hashlib.sha1(doc.encode("utf-8")).hexdigest(), 16) % 100
    return "train" if bucket < 70 else ("dev" if bucket < 80 else "test")


def load_corpus(folder: str | Path = CORPUS_DIR, split: str | None = None) -> list[dict]:
    """The project's labeled corpus (``corpora/labeled/units/*.jsonl``), deduplicated."""
    folder = Path(folder)
    source = folder / "units" if (folder / "units").is_dir() else folder
    units, _ = dedupe(read_labeled(source))
    if split:
        units = [u for u in units if split_of(u["doc"]) == split]
    return units


def data_hash(units: Iterable[dict]) -> str:
    digest = hashlib.sha256()
    for u in units:
        digest.update(json.dumps([u.get("id"), u["text"], u.get("heading"), u.get("commitment"), u.get("area"),
                                  u.get("concreteness")], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def corpus_stats(units: list[dict], dropped: int = 0) -> dict:
    """Counts for a datasheet: units, documents, labels, splits, styles, topics."""
    from collections import Counter

    commitments = [u for u in units if u.get("commitment")]
    docs = {u.get("doc") for u in units}
    return {
        "units": len(units),
        "near_duplicates_removed": dropped,
        "documents": len(docs),
        "topics": len({u.get("topic") for u in units if u.get("topic")}),
        "commitments": len(commitments),
        "commitment_share": round(len(commitments) / max(1, len(units)), 3),
        "areas": dict(Counter(u.get("area") for u in commitments).most_common()),
        "with_area2": sum(1 for u in commitments if u.get("area2")),
        "concreteness": dict(Counter(u.get("concreteness") for u in commitments).most_common()),
        "facets": {f: sum(1 for u in commitments if (u.get("facets") or {}).get(f)) for f in FACETS},
        "splits_units": dict(Counter(split_of(u.get("doc", "")) for u in units)),
        "splits_documents": dict(Counter(split_of(d or "") for d in docs)),
        "styles": dict(Counter(u.get("style") for u in units if u.get("style")).most_common()),
        "with_note": sum(1 for u in units if u.get("note")),
    }


def facets_of(unit: dict) -> dict:
    facets = unit.get("facets") or {}
    return {f: bool(facets.get(f)) for f in FACETS}
