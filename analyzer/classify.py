"""The models: commitment, area and concreteness — features, prediction, explanation, files.

A unit's features are its text, its heading, and a string of rule tokens from
:mod:`analyzer.nlp` (commitment cues, facets, buzzword density, kind). The three models are
scikit-learn pipelines over those columns, calibrated, and saved with skops — never pickle —
each in ``models/<name>/`` beside its model card.
"""

from __future__ import annotations

import functools
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .errors import ModelError
from .nlp import OBJECT_OPENERS, UNDERTAKING_CUES, analyze_texts, get_nlp
from .voice import is_a_signature
from .records import AREAS, FACETS, Prediction

__all__ = [
    "MODELS_DIR",
    "MODEL_NAMES",
    "Models",
    "load_models",
    "feature_frame",
    "opponent_names",
    "save_model",
    "load_model",
    "REVIEW_BAND",
]

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MODEL_NAMES = ("commitment", "area", "concreteness")
REVIEW_BAND = (0.35, 0.65)  # calibrated probabilities in this band are flagged "needs review"
MODEL_FILE = "model.skops"
MAX_MODEL_BYTES = 200_000_000

# The exact types a model file of this project contains beyond what skops trusts by default.
# Nothing wider: a prefix such as "numpy." would admit numpy.vectorize(builtins.eval).
TRUSTED_TYPES = frozenset({
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.isotonic.IsotonicRegression",
})
EXPECTED_CLASSES = {
    "commitment": {False, True},
    "area": set(AREAS),
    "concreteness": {"concrete", "buzzword"},
}


def _bucket(value: float, edges=(0.0, 0.05, 0.15, 0.3)) -> str:
    label = "0"
    for i, edge in enumerate(edges):
        if value > edge:
            label = str(i + 1)
    return label


# a first word followed by what opens an object: a determiner, a possessive, a number or an amount
# (nlp.OBJECT_OPENERS, and "your", "new")
_TAKES_AN_OBJECT_RE = re.compile(r"^\W*[\w'’-]+\s+(?:\d|\$|(?:" + "|".join(
    w for w in sorted(OBJECT_OPENERS | {"your", "new"}, key=len, reverse=True) if w.isalpha()) + r")\b)", re.I)
# a heading in sentence case that goes on after its verb ("Create independent business districts",
# "Update zoning ordinances to include equity provisions"): a verb phrase, where a title's capitals
# leave "Review Process" or "Support Services" open to be a topic, and "Open data for everyone" or
# "Safe streets for all" open with an adjective
_SENTENCE_CASE_PHRASE_RE = re.compile(r"^\W*(?!(?i:open|clean|free|safe|secure|fair|light|direct|smart)\b)[A-Z][\w'’-]+(?:\s+[a-z][\w'’-]*){2,}")
# a section of the candidate's (or the incumbent's) record: "Marty's Record", "A Record of Results",
# "What We've Done", "Accomplishments" (not "Seal criminal records", "Open public records")
_RECORD_HEADING_RE = re.compile(
    r"(?:\b(?:my|our|his|her|their|a|the|proven|track|strong|\w+['’]s)\s+record\b(?!\s+(?:high|low|levels?|numbers?|time)\b)"
    r"|^\W*record\b(?![s-]|\s+(?:high|low|setting|breaking|numbers?)\b)|\baccomplishments\b|\bachievements\b"
    r"|\bwhat\s+(?:i|we|he|she|they)\s*(?:['’]ve|\s+have|\s+has)\s+(?:already\s+)?(?:done|accomplished|delivered|achieved)\b)",
    re.I)
# a heading opening with how/what/why ("“How do we fix the T?”", "What's next"), but not "When I'm mayor…"
_WH_OPENING_RE = re.compile(r"^\W*(?:how|what|why|where|when|who|which)\b", re.I)
_WHEN_MAYOR_RE = re.compile(r"^\W*when\s+i(?:'|’|\s+a)m\s+mayor\b", re.I)
# a finite verb after the first word — an auxiliary, a copula or a common verb in the third person
# — makes a unit a clause rather than a fragment: with no pledge wording, a clause describes ("Cities
# that don't innovate get left behind", "The fund provides 3,000 jobs a year"), where a fragment
# under a plan's heading is usually one of its items ("Free swim lessons at every city pool")
_FINITE_RE = re.compile(r"(?<!\bto )\b(?:is|are|was|were|has|have|had|does|do|did|doesn['’]t|don['’]t|isn['’]t|aren['’]t|can|"
                        r"could|must|should|may|might|means|provides|includes|helps|gives|makes|takes|offers|serves|"
                        r"supports|remains|requires|allows|shows|brings|comes|needs|knows|believes|says|said|puts|sets|"
                        r"funds|pays|runs|keeps|gets|costs|depends|matters|"
                        # irregular pasts, which the cue rules' "-ed" test misses ("GDP growth rose 0.5 per cent")
                        r"rose|fell|grew|went|came|took|gave|began|became|saw|won|lost|fought|sold|told|brought|bought|"
                        r"spent|paid|met|sent|stood)\b", re.I)


def rule_tokens(unit: dict, feats: dict, plan_heading: bool, task: str = "commitment", plan_section: bool = False) -> str:
    """The rule features one model sees, as tokens.

    ``plan_heading``: the unit's own heading names a plan; ``plan_section``: a heading above it
    does ("Permits and licenses" under "My Plan for a City Hall That Works"), which makes an
    imperative bullet a plan's, and says less of a sentence.

    Each model sees only the rules that bear on its question: commitment cues would teach the
    concreteness model that "will" sentences are vague (campaign bullets drop the "will"), and
    the area model that third-person futures are about collaboration.
    """
    tokens = []
    kind = unit.get("kind") or ""
    if task == "commitment":
        tokens += [f"CUE_{c}" for c in feats["cues"]]
        if plan_heading:
            tokens.append("PLAN_HEADING")
        if (plan_heading or plan_section) and "VERB_FIRST" in feats["cues"]:
            tokens.append("PLAN_VERB_FIRST")
        words = feats["words"]
        tokens.append("LEN_" + ("short" if words < 8 else "mid" if words < 25 else "long"))
        if kind != "bullet" and not plan_heading and not (UNDERTAKING_CUES & feats["cues"].keys()):
            tokens.append("NO_CUE")
        if kind not in ("bullet", "heading") and not (UNDERTAKING_CUES & feats["cues"].keys()) \
                and _FINITE_RE.search(unit["text"], 1):
            tokens.append("CLAUSE_NO_CUE")
        if kind:
            tokens.append(f"KIND_{kind}")
            if kind == "heading" and "VERB_FIRST" in feats["cues"] and (
                    _TAKES_AN_OBJECT_RE.match(unit["text"]) or _SENTENCE_CASE_PHRASE_RE.match(unit["text"])):
                # ANNOTATION.md §4: a pledge stated as a heading — a verb with its object ("Implement a
                # CitiStat program", "Fix Our Streets"), not a topic that opens with a word that can be
                # one ("Open Government", "Clean Energy", "Report of the Transition Committee")
                tokens.append("HEADING_VERB_FIRST")
            if kind == "heading" and _WH_OPENING_RE.match(unit["text"]) and not _WHEN_MAYOR_RE.match(unit["text"]):
                tokens.append("HEADING_WH")  # "How I will keep score", "What we'll do": a section's label
    if task in ("concreteness", "area"):
        tokens += [f"FACET_{f}" for f, on in feats["facets"].items() if on]
    if task == "concreteness":
        tokens.append(f"BUZZ_{_bucket(feats['buzzword_density'])}")
        if feats["buzzwords"] and not any(feats["facets"].values()):
            tokens.append("BUZZ_ONLY")
        if feats["generic_action"]:
            # an everyday verb leaves the action open only when nothing checkable follows it:
            # "support small businesses" is a buzzword, "support the Main Street Grants fund" is not
            specific = feats["named_words"] or any(feats["facets"].values())
            tokens.append("GENERIC_SPECIFIC" if specific else "GENERIC_ACTION")
        tokens.append("NAMED_" + ("0" if not feats["named_words"] else "1" if feats["named_words"] < 3 else "3"))
    if feats["has_digit"] and task != "area":
        tokens.append("DIGIT")
    return " ".join(tokens) or "NONE"


_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,200})?/?>")
# bullet markers and the numbering of recommendations ("1.5 Foster…", "R6. Finance…"); a
# numbered label is only taken as one before a capital, so "3.5 million" stays a number
_MARKER_RE = re.compile(r"^\s*(?:[•●▪■◦‣∙·*–—-]\s+|[✔✓✅☑➤►▸▶→»★◆♦]\s*(?=\w+(?:\W+\w+){2})|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+"
                        r"|\d{1,2}\.\d{1,2}\.?\s+(?=[A-Z])(?!(?:Million|Billion|Trillion|Thousand|Hundred|Percent|Per)\b)"
                        r"|[A-Z]{1,2}\d{1,2}[.):]\s+(?=[A-Z]))")


# a year that dates what is told: after a time word or a month ("in 2008", "since 1997", "on 5 December
# 2014", "the summer of 2009"), not one that names a plan or a baseline ("the 2018 Vision Zero Plan",
# "below 2005 levels") or counts ("2000 new homes"); not "013-1951", "2016-17"
_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_YEAR_RE = re.compile(r"(?:\b(?:in|on|since|during|from|until|through|ago|of)\s+(?:(?:early|late|mid)[\s-]+)?|\b" + _MONTHS
                      + r"\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?)((?:19|20)\d\d)(?![\d%\-–/])", re.I)


_FUTURE_RE = re.compile(r"\b(?:will|would|shall|going to|plans? to|next)\b|['’]ll\b", re.I)


def dated_before(text: str, reference_year: int, feats: dict) -> str | None:
    """The year before the election that dates a statement with nothing ahead in it ("On the
    morning of 5 December 2014, an official parked…", "Exposed the contract in 2008"): a record.
    A statement that also undertakes something, or sets a deadline, is not one ("In 2012 the
    city spent $5 million on consultants; I will end that")."""
    if UNDERTAKING_CUES & feats["cues"].keys() or feats["facets"].get("deadline") or _FUTURE_RE.search(text):
        return None
    years = [m.group(1) for m in _YEAR_RE.finditer(text) if int(m.group(1)) < reference_year]
    return years[0] if years else None



def normalize_unit(unit: dict) -> dict:
    """Input as other tools give it: markup left in (``<li>…</li>``) and bullet markers become
    a clean text and ``kind: bullet``, so features do not depend on how the text was exported."""
    text = unit.get("text") or ""
    kind = unit.get("kind") or ""
    if re.match(r"^\s*<(li|list|ul|ol)\b", text, re.I) or _MARKER_RE.match(text):
        kind = kind or "bullet"
    cleaned = _TAG_RE.sub(" ", text)
    cleaned = _MARKER_RE.sub("", cleaned)
    cleaned = " ".join(cleaned.split())
    if cleaned == text and kind == (unit.get("kind") or ""):
        return unit
    return {**unit, "text": cleaned, "kind": kind}


_APOSTROPHES = "'’"


@functools.lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    names = tuple(n for n in {" ".join(str(n).split()) for n in names} if len(n) >= 2)
    if not names:
        return None

    def alternative(name: str) -> str:
        # O'Rourke in the field file is O’Rourke on the page, and the other way round
        return "".join(f"[{_APOSTROPHES}]" if c in _APOSTROPHES else re.escape(c) for c in name)

    alternatives = "|".join(alternative(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w’'-])(?:{alternatives})(?![\w-])")


@functools.lru_cache(maxsize=256)
def _voiced_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """An opponent's own line: the speaker's label in a transcript ("CONNOLLY:", "MR. CONNOLLY:",
    "Connolly (D):"), or a quote that the name closes ("“When I'm mayor, …,” Connolly said.")."""
    pattern = _names_pattern(names)
    if pattern is None:
        return None
    name = pattern.pattern
    return re.compile(rf"^\s*(?:(?:mr|ms|mrs|dr)\.?\s+)?(?P<label>{name})\s*(?:\([^()]{{0,20}}\))?\s*[:—–]"
                      rf"|[”\"]\s*(?:,\s*)?(?P<quoted>{name})\s+(?:said|says|told|added|promised|pledged|vowed)\b",
                      re.I)


_SCENARIO_OPENING_RE = re.compile(r"^\W*(?:under|with|if)\s+(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)


def _opens_a_scenario(text: str, name_at: int) -> bool:
    """Whether the name at ``name_at`` opens the sentence as a rival's rule ("Under Connolly, …",
    "If Connolly wins, …")."""
    return bool(_SCENARIO_OPENING_RE.match(text[:name_at]))


def opponent_mention(text: str, opponents: Iterable[str], cues: dict, bullet: bool = False) -> str | None:
    """The opponent a statement is about, if one of ``opponents`` is named before any undertaking.

    "Connolly wants to close the branch" and "Connolly pledged to…" on Walsh's pages are
    someone else's positions; "Unlike Connolly, I will…", "The city will hire 200 teachers,
    not the 50 Connolly proposed" and a bullet "Reverse Connolly's cuts" are Walsh's."""
    names = tuple(str(n) for n in opponents if n)
    pattern = _names_pattern(names)
    if pattern is None:
        return None
    voiced = _voiced_pattern(names).search(text)
    if voiced is not None:
        return voiced.group("label") or voiced.group("quoted")  # the opponent's own words, pledge or not
    found = pattern.search(text)
    if found is None:
        return None
    if _opens_a_scenario(text, found.start()):
        return found.group(0)  # "Under Connolly, we would lose…", "If Connolly wins, families will…": the rival's rule
    if "FUT_1P" in cues or "PLEDGE" in cues:
        return None  # the speaker's own "I will", "we propose"
    verb = cues.get("VERB_FIRST")
    if verb:
        at = text.find(verb)
        # an action bullet is the speaker's, unless the verb comes after the name ("Connolly:
        # close three branches", the opponent's line) or the "verb" is the name ("Shorten delivered…")
        if at < found.start() or (at == found.start() and not _name_opens(text, found, verb)):
            return None
    if bullet and found.start() > 0:
        return None  # a bullet is the speaker's unless it opens with the opponent's name
    starts = [text.find(cues[c]) for c in UNDERTAKING_CUES if cues.get(c)]
    if any(0 <= start < found.start() for start in starts):
        return None
    return found.group(0)


def _name_opens(text: str, found: re.Match, first_word: str) -> bool:
    """Whether what looked like an opening verb is the opponent's name ("Shorten delivered…",
    "Shorten's plan"), not the imperative that the name happens to spell ("Shorten wait times").
    Without a tagger, the word after it decides: a name is followed by what a subject is."""
    if text[:found.start()].strip(" \t\"“‘'(") or found.group(0).split()[0] != first_word:
        return False
    after = text[found.end():].split(None, 1)
    if not after:
        return True
    following = after[0].lower()
    return (following.startswith(("'s", "’s", ",")) or following.rstrip(",.;:") in _SUBJECT_FOLLOWERS
            or (following.endswith("ed") and len(following) > 3))


# what follows a name as subject: finite verbs (the -ed forms are recognised by their ending)
_SUBJECT_FOLLOWERS = {"has", "had", "is", "was", "will", "would", "can", "could", "should", "must", "does", "did",
                      "won", "lost", "said", "says", "wants", "needs", "claims", "plans", "promises", "thinks",
                      "believes", "knows", "refuses", "supports", "opposes", "and", "himself", "herself"}


_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "esq"}


def opponent_names(names: Sequence[str], own: str) -> tuple[str, ...]:
    """What a candidate's opponents are called in text: full names and last names, except
    any word the candidate's own name shares (two candidates named Walsh stay unmarked)."""
    own_words = {w.strip(".,").lower() for w in own.split()}
    out: list[str] = []
    for name in names:
        if not name or name == own:
            continue
        out.append(" ".join(name.split()))
        words = [w.strip(".,") for w in name.split() if w.strip(".,").lower() not in _NAME_SUFFIXES]
        if words and len(words[-1]) >= 2 and words[-1].lower() not in own_words:
            out.append(words[-1])
    return tuple(dict.fromkeys(out))


# "As mayor, I will:", "My administration will:", "In my first year, Dev will:": a list's lead-in
# ends where its action would begin; the bullets below carry the pledges (the corpus labels every
# one of them so), and the lead-in itself is no undertaking, whatever its "I will" says; so are "I
# will focus on these six areas:" and "I will begin addressing the following:" (but "My first budget
# will include:" and "I will sign an order starting the clock on these commitments:" undertake something)
_LEAD_IN = re.compile(r"(?:\b(?:will|would|shall|'ll|’ll)|\bthe\s+following"
                      r"|\bthese\s+(?:[\w-]+\s+)?(?:areas|priorities|things|steps|goals|ideas|principles|issues|pillars|points))"
                      r"\s*:\s*$", re.IGNORECASE)


def feature_frame(units: Sequence[dict], reference_year: int | None = None):
    """A DataFrame with the model inputs, and the rule features of each unit.

    A unit may carry ``opponents``: the names of the other candidates (or parties) of its
    field; a statement about one of them is marked with the ``OPPONENT`` cue. It may carry its
    ``heading_path`` (outermost first; ``heading`` is the last): a heading anywhere on it that
    names a plan makes an imperative bullet under it a plan's. It may carry a ``speaker``: who
    says it, when that is not the candidate (an endorser quoted on the candidate's page); it is
    then never the candidate's commitment, whatever it promises."""
    import pandas as pd

    nlp = get_nlp(reference_year)
    cue_pipe = nlp.get_pipe("analyzer_cues")
    signatures = [is_a_signature(u.get("text") or "") for u in units]
    units = [normalize_unit(u) for u in units]
    feats = list(analyze_texts((u["text"] for u in units), reference_year))
    rows = {"text": [], "heading": [], **{f"rules_{t}": [] for t in MODEL_NAMES}}
    for unit, f, signature in zip(units, feats, signatures):
        if signature and "VERB_FIRST" not in f["cues"]:
            f["cues"] = {**f["cues"], "SIGNATURE": unit["text"][:80]}
        if reference_year:
            dated = dated_before(unit["text"], reference_year, f)
            if dated:
                f["cues"] = {**f["cues"], "DATED_PAST": dated}
        opponents = unit.get("opponents")
        if isinstance(opponents, str):
            opponents = (opponents,)
        elif not isinstance(opponents, (list, tuple, set, frozenset)):
            opponents = ()
        if opponents and "OPPONENT" not in f["cues"]:
            name = opponent_mention(unit["text"], opponents, f["cues"], unit.get("kind") == "bullet")
            if name:
                cues = {**f["cues"], "OPPONENT": name}
                if cues.get("VERB_FIRST") == name.split()[0]:
                    del cues["VERB_FIRST"]  # the name, not an imperative
                if _opens_a_scenario(unit["text"], unit["text"].find(name)):
                    # "Under Connolly, we would lose…": the speaker's "we" suffers the rival's rule
                    cues = {k: v for k, v in cues.items() if k not in ("FUT_1P", "PLEDGE")}
                f["cues"] = cues
        lead_in = _LEAD_IN.search(unit["text"])
        if lead_in:
            f["cues"] = {**f["cues"], "LEAD_IN": lead_in.group(0)}
        speaker = unit.get("speaker")
        if isinstance(speaker, str) and speaker.strip():
            f["cues"] = {**f["cues"], "QUOTED": " ".join(speaker.split())[:80]}
        heading = unit.get("heading") or ""
        if heading and cue_pipe.is_logistics_heading(heading):
            f["cues"] = {**f["cues"], "LOGISTICS_SECTION": heading[:60]}
        if any(_RECORD_HEADING_RE.search(h) for h in {heading, *(unit.get("heading_path") or ())} if h):
            # ANNOTATION.md §4: records never count, even as bullets on a plan page
            f["cues"] = {**f["cues"], "RECORD_SECTION": heading[:60]}
        plan_heading = bool(heading) and cue_pipe.is_plan_heading(heading)
        plan_section = any(h and cue_pipe.is_plan_heading(h) for h in unit.get("heading_path") or ())
        rows["text"].append(unit["text"])
        rows["heading"].append(heading)
        for task in MODEL_NAMES:
            rows[f"rules_{task}"].append(rule_tokens(unit, f, plan_heading, task, plan_section))
    return pd.DataFrame(rows), feats


# -- files ----------------------------------------------------------------------------------------
def save_model(estimator, folder: Path, card: dict) -> None:
    import skops.io as sio

    folder.mkdir(parents=True, exist_ok=True)
    # skops writes vocabularies as verbose JSON; deflate makes the files ~10x smaller
    sio.dump(estimator, folder / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    (folder / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def load_model(folder: Path):
    """Load one model with skops, trusting only the types this project's models use."""
    import skops.io as sio

    path = Path(folder) / MODEL_FILE
    if not path.exists():
        raise ModelError(f"{path}: no model file; train one with `analyzer train --out {Path(folder).parent}`")
    if path.stat().st_size > MAX_MODEL_BYTES:
        raise ModelError(f"{path}: larger than {MAX_MODEL_BYTES} bytes; not a model of this project")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:
        raise ModelError(f"{path}: not a readable skops model file ({type(exc).__name__}); retrain with `analyzer train`") from None
    foreign = [t for t in untrusted if t not in TRUSTED_TYPES]
    if foreign:
        raise ModelError(f"{path}: contains types this project never writes ({', '.join(foreign[:3])}); refusing to load it")
    try:
        model = sio.load(path, trusted=untrusted)
    except Exception as exc:
        raise ModelError(f"{path}: the model file is corrupted ({type(exc).__name__}); retrain with `analyzer train`") from None
    _check_shape(model, Path(folder).name, path)
    return model


def _check_shape(model, task: str, path: Path) -> None:
    """Refuse a loadable model of another shape now, rather than fail with a traceback at prediction."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    def refuse(why: str):
        raise ModelError(f"{path}: not a model of this project ({why}); train one with `analyzer train`")

    if not isinstance(model, Pipeline) or list(model.named_steps) != ["features", "clf"]:
        refuse(f"a {type(model).__name__}, not a features → classifier pipeline")
    features, clf = model.named_steps["features"], model.named_steps["clf"]
    if not isinstance(features, ColumnTransformer):
        refuse(f"its features are a {type(features).__name__}")
    if not isinstance(clf, CalibratedClassifierCV) or not getattr(clf, "calibrated_classifiers_", None):
        refuse(f"a {type(clf).__name__}, not a calibrated classifier")
    if not hasattr(clf.calibrated_classifiers_[0].estimator, "coef_"):
        refuse("its classifier is not linear")
    columns = {c for _, _, c in features.transformers_ if isinstance(c, str)}
    if not columns <= {"text", "heading", *(f"rules_{t}" for t in MODEL_NAMES)}:
        refuse(f"it reads columns {sorted(columns)}")
    expected = EXPECTED_CLASSES.get(task)
    if expected is not None and not set(clf.classes_.tolist()) <= expected:
        refuse(f"its classes {sorted(map(str, clf.classes_))} are not the {task} labels")


def read_card(folder: Path) -> dict:
    path = Path(folder) / "card.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ModelError(f"{path}: the model card is not valid JSON") from None


# -- explanation ----------------------------------------------------------------------------------
_RULE_NAMES = {
    "CUE_FUT_1P": "first-person future", "CUE_PLEDGE": "pledge wording", "CUE_NEED": "“we need to”",
    "CUE_SUPPORT": "“I support”", "CUE_FUT_3P": "third-person future", "CUE_FUT_THING": "something “will …”", "CUE_FUT_CITY": "the city or its department “will …”", "CUE_REPORTED": "reported pledge",
    "CUE_PAST": "past record", "CUE_PAST_OPENING": "opens with a past-tense verb (a record)", "CUE_VALUE": "statement of values", "CUE_LOGISTICS": "campaign logistics",
    "CUE_OPPONENT": "about an opponent", "CUE_NEGATION": "negation", "CUE_CONDITIONAL": "hedged or conditional",
    "CUE_VERB_FIRST": "starts with an action verb", "CUE_WILL": "future tense",
    "CUE_PASSIVE_FUTURE": "“will be …ed”", "CUE_COMMITTING": "“is committing / determined to”", "CUE_PROGRESSIVE": "a status report (“is investing”)",
    "CUE_FUNDING_LINE": "a funding line item", "CUE_QUOTED": "quoting someone else", "CUE_SIGNATURE": "the signature of a quotation",
    "CUE_LEAD_IN": "a list's lead-in", "CUE_LOGISTICS_SECTION": "in a section of campaign logistics", "CUE_RECORD_SECTION": "in a section of a record", "CUE_DATED_PAST": "dated before the election", "CUE_ASKER": "a moderator's or host's line", "HEADING_WH": "a section's label (“How I will…”)", "CUE_ELECTED": "“if elected”", "CUE_EFFECT": "a claim about effects", "CUE_QUESTION": "a question", "PLAN_HEADING": "under a plan heading",
    "PLAN_VERB_FIRST": "action verb under a plan heading", "HEADING_VERB_FIRST": "a heading that states an action", "DIGIT": "has a number", "KIND_bullet": "a bullet",
    "KIND_heading": "a heading", "FACET_metric": "names a metric", "FACET_target": "sets a target",
    "FACET_deadline": "sets a deadline", "FACET_budget": "names money", "FACET_owner": "names an owner",
    "BUZZ_0": "no buzzwords", "BUZZ_3": "many buzzwords", "BUZZ_4": "mostly buzzwords",
    "BUZZ_ONLY": "buzzwords and no facet", "NO_CUE": "no pledge wording", "CLAUSE_NO_CUE": "a full clause with no pledge wording (a description)", "GENERIC_ACTION": "a generic action (“improve”, “support”)",
    "GENERIC_SPECIFIC": "an everyday verb with a named object or a facet", "NAMED_1": "names a program, body or place", "NAMED_3": "names programs, bodies or places",
}


# The side a rule token argues for (+1: a commitment, or concrete; -1: the other), whatever weight a
# model learned for it: "names a program, body or place" is never shown as a reason for "buzzword",
# nor "under a plan heading" as one against a commitment. Tokens not listed may explain either side.
_RULE_SIDES = {
    **{t: 1 for t in ("CUE_FUT_1P", "CUE_PLEDGE", "CUE_FUT_3P", "CUE_FUT_CITY", "CUE_REPORTED", "CUE_VERB_FIRST",
                      "CUE_COMMITTING", "CUE_FUNDING_LINE", "CUE_PASSIVE_FUTURE", "CUE_NEED", "CUE_SUPPORT",
                      "PLAN_HEADING", "PLAN_VERB_FIRST", "HEADING_VERB_FIRST", "NAMED_1", "NAMED_3", "BUZZ_0",
                      "GENERIC_SPECIFIC", "FACET_metric", "FACET_target", "FACET_deadline", "FACET_budget",
                      "FACET_owner")},
    **{t: -1 for t in ("CUE_PAST", "CUE_PAST_OPENING", "CUE_VALUE", "CUE_LOGISTICS", "CUE_OPPONENT", "CUE_QUESTION", "CUE_ASKER",
                       "CUE_QUOTED", "CUE_SIGNATURE", "CUE_LEAD_IN", "CUE_LOGISTICS_SECTION", "CUE_DATED_PAST",
                       "CUE_EFFECT", "CUE_CONDITIONAL", "CUE_PROGRESSIVE", "NO_CUE", "CLAUSE_NO_CUE", "HEADING_WH", "BUZZ_3", "BUZZ_4", "BUZZ_ONLY",
                       "GENERIC_ACTION")},
}

# Words that carry weight in a model but explain nothing to a reader ("concrete terms: “and”, “the”").
# Pronouns and "will" stay: "we will" is the reason a sentence reads as a pledge.
_FUNCTION_WORDS = frozenset("""a an the and or but nor so as to of in on at by for from with into onto through over
under about than then that this these those there which who whom whose it its is are was were be been being
has have had do does did such other any some each also just very much more most can could may might
""".split())


def _human(term: str) -> str | None:
    if term in _RULE_NAMES:
        return _RULE_NAMES[term]
    if term.startswith(("LEN_", "NONE", "BUZZ_", "KIND_", "NAMED_")) or term.strip() == "":
        return None
    words = term.split()[1:] if term.startswith("heading ") else term.split()
    if all(word in _FUNCTION_WORDS for word in words):
        return None
    if term.startswith("heading "):
        return f"heading “{term[8:].strip()}”"
    return f"“{term.strip()}”"

class _Explainer:
    """The terms that weighed most in a linear model's decision, row by row.

    Built once per model (feature names of a large vocabulary are costly). It reads the feature
    matrix the prediction already computed, so the text is transformed once per model.
    """

    def __init__(self, model):
        features = model.named_steps["features"]
        linear = model.named_steps["clf"].calibrated_classifiers_[0].estimator
        raw = features.get_feature_names_out()
        names = (("heading " + n.split("__", 1)[-1]) if n.startswith("heading__") else n.split("__", 1)[-1] for n in raw)
        # what a reader is shown for each feature (None: weighs in, explains nothing), once per model
        names = list(names)
        self.shown = np.array([_human(n) for n in names], dtype=object)
        self.side = np.array([_RULE_SIDES.get(n, 0) for n in names], dtype=np.int8)
        self.coef = linear.coef_

    def top_terms(self, matrix, class_index=None, k: int = 3) -> list[list[str]]:
        """Per row, the k terms pushing hardest toward ``class_index`` (an int, or one per row).

        Contributions of the whole batch are computed and sorted at once; only the short walk
        down each row's sorted terms is Python."""
        coef = self.coef
        n = matrix.shape[0]
        indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
        rows = np.repeat(np.arange(n), np.diff(indptr))
        if coef.shape[0] == 1:
            sign = 1.0 if class_index in (None, 1) else -1.0
            contrib = data * (sign * coef[0][indices])
            # a rule token is no reason for the side it argues against
            contrib = np.where(self.side[indices] == -sign, 0.0, contrib)
        else:
            classes = np.asarray(class_index) if isinstance(class_index, (list, np.ndarray)) else np.full(n, class_index)
            contrib = data * coef[classes[rows], indices]
        order = np.lexsort((-contrib, rows))  # by row, then by contribution, largest first
        shown = self.shown[indices[order]].tolist()
        positive = (contrib[order] > 0).tolist()
        bounds = indptr.tolist()
        out = []
        for i in range(n):
            terms: list[str] = []
            for j in range(bounds[i], min(bounds[i + 1], bounds[i] + k + 6)):
                if not positive[j]:
                    break
                term = shown[j]
                if term and term not in terms:
                    terms.append(term)
                    if len(terms) == k:
                        break
            out.append(terms)
        return out


# -- the models together --------------------------------------------------------------------------
@dataclass
class Models:
    """The three fitted models and their cards. ``predict`` gives one Prediction per unit."""

    commitment: object
    area: object
    concreteness: object
    cards: dict = field(default_factory=dict)
    folder: Path | None = None

    def _explainers(self) -> dict:
        if not hasattr(self, "_explainer_cache"):
            self._explainer_cache = {n: _Explainer(getattr(self, n)) for n in MODEL_NAMES}
        return self._explainer_cache

    @property
    def version(self) -> str:
        versions = [self.cards.get(n, {}).get("version", "?") for n in MODEL_NAMES]
        return "+".join(sorted(set(versions)))

    def info(self) -> dict:
        return {n: {k: self.cards.get(n, {}).get(k) for k in ("version", "trained", "metrics", "chosen", "git_commit")} for n in MODEL_NAMES}

    def _proba(self, name: str, X):
        """Class probabilities of one model, and its feature matrix (for the explanation)."""
        model = getattr(self, name)
        matrix = model.named_steps["features"].transform(X).tocsr()
        return model.named_steps["clf"].predict_proba(matrix), matrix

    def predict(self, units: Sequence[dict | str], reference_year: int | None = None, explain: bool = True) -> list[Prediction]:
        """One Prediction per unit; a unit is a dict with ``text`` (and optional ``heading``, ``kind``) or a string."""
        if not units:
            return []
        units = [{"text": u} if isinstance(u, str) else u for u in units]
        X, feats = feature_frame(units, reference_year)
        (p_commit, m_commit), (area_proba, m_area), (c_proba, m_conc) = (self._proba(n, X) for n in MODEL_NAMES)
        p_commit = _shift_prior(p_commit[:, list(self.commitment.classes_).index(True)], self.cards.get("commitment", {}).get("prior"))
        area_classes = list(self.area.classes_)
        c_proba = c_proba[:, list(self.concreteness.classes_).index("concrete")]
        # the rules' veto first, so that the terms shown are those on the side of the final label
        vetoes = [_veto(float(p), f["cues"]) for p, f in zip(p_commit, feats)]
        p_commit = np.array([p for p, _ in vetoes])
        order = np.argsort(-area_proba, axis=1)
        reasons_commit = reasons_area = reasons_conc = [[] for _ in units]
        if explain:
            commit_expl, area_expl, conc_expl = (self._explainers()[n] for n in MODEL_NAMES)
            toward, against = commit_expl.top_terms(m_commit, 1), commit_expl.top_terms(m_commit, 0)
            reasons_commit = [t if p >= 0.5 else a for t, a, p in zip(toward, against, p_commit)]
            reasons_area = area_expl.top_terms(m_area, order[:, 0])
            toward_concrete, toward_buzzword = conc_expl.top_terms(m_conc, 1), conc_expl.top_terms(m_conc, 0)
            reasons_conc = [c if p >= 0.5 else b for c, b, p in zip(toward_concrete, toward_buzzword, c_proba)]
        version = self.version
        # plain lists: indexing numpy arrays one element at a time cost a tenth of the analysis
        area_rows, order_rows, c_list = area_proba.tolist(), order[:, :2].tolist(), c_proba.tolist()
        area_column = [(a, area_classes.index(a) if a in area_classes else None) for a in AREAS]
        out = []
        for i, (unit, f) in enumerate(zip(units, feats)):
            pc, vetoed = vetoes[i]
            first, second = order_rows[i]
            row = area_rows[i]
            area = area_classes[first]
            area2 = area_classes[second] if row[second] >= 0.2 else None
            pconc = c_list[i]
            concreteness = "concrete" if pconc >= 0.5 else "buzzword"
            facets = {k: bool(f["facets"].get(k)) for k in FACETS}
            measurable = concreteness == "concrete" and (
                (facets["metric"] and facets["target"]) or facets["deadline"] or facets["budget"]
            )
            reasons = [f"rule: {vetoed}, not the candidate's undertaking"] if vetoed else []
            cues = [c for c in f["cues"]]
            if cues:
                reasons.append("cues: " + ", ".join(f"{c.lower()} “{f['cues'][c]}”" for c in cues[:4]))
            if reasons_commit[i]:
                side = "commitment" if pc >= 0.5 else "non-commitment"
                reasons.append(f"{side} terms: " + ", ".join(reasons_commit[i]))
            if reasons_area[i]:
                reasons.append(f"{area} terms: " + ", ".join(reasons_area[i]))
            for name in FACETS:
                spans = f["facet_spans"].get(name) or []
                if spans:
                    reasons.append(f"{name}: " + "; ".join(f"“{s}”" for s in spans[:3]))
            if f["buzzwords"]:
                reasons.append("buzzwords: " + ", ".join(f"“{b}”" for b in f["buzzwords"][:5]))
            if reasons_conc[i]:
                reasons.append(f"{concreteness} terms: " + ", ".join(reasons_conc[i]))
            lo, hi = REVIEW_BAND
            needs_review = lo <= pc <= hi or (pc > 0.5 and (lo <= pconc <= hi or row[first] < 0.45))
            out.append(Prediction(
                commitment=pc >= 0.5,
                commitment_score=round(pc, 4),
                area=area,
                area2=area2,
                area_scores={a: round(row[j], 4) if j is not None else 0.0 for a, j in area_column},
                concreteness=concreteness,
                concreteness_score=round(pconc, 4),
                measurable=bool(measurable),
                facets=facets,
                reasons=tuple(reasons),
                needs_review=bool(needs_review),
                buzzword_density=round(float(f["buzzword_density"]), 4),
                model_version=version,
            ))
        return out


def _shift_prior(p: np.ndarray, prior: dict | None) -> np.ndarray:
    """Move calibrated probabilities from the training base rate to the deployment one (Bayes' rule on the odds)."""
    if not prior:
        return p
    logit = lambda q: np.log(q / (1 - q))  # noqa: E731
    eps = 1e-6
    shift = logit(prior["deploy"]) - logit(prior["train"])
    z = logit(np.clip(p, eps, 1 - eps)) + shift
    return 1 / (1 + np.exp(-z))


# The hybrid's rule side: statements whose cues say they are someone else's position, a record, a
# question or campaign logistics are pushed toward "no" unless the speaker also pledges something;
# a quotation of someone else always is.
VETO_CUES = {"OPPONENT": "about an opponent", "QUESTION": "a question", "LOGISTICS": "campaign logistics",
             # ANNOTATION.md §4, "records never count, even as bullets on a plan page": the cue is
             # only set when nothing in the line looks ahead (every corpus line with it is a record)
             "PAST_OPENING": "a record", "SIGNATURE": "the signature of a quotation",
             "LOGISTICS_SECTION": "in a section of campaign logistics", "DATED_PAST": "dated before the election"}
PLEDGE_CUES = {"FUT_1P", "PLEDGE", "SUPPORT"}
VETO_LOGIT = 2.5
# a vetoed statement is never labeled a commitment: the reason shown ("about an opponent, not the
# candidate's undertaking") must not sit beside a "yes". The ceiling is below the review band: the
# rule has decided, and the reason says which rule
VETO_CEILING = 0.3


def _veto(p: float, cues: dict) -> tuple[float, str | None]:
    if "QUOTED" in cues:
        # someone else's words: their "I will" is theirs, so no pledge of the speaker lifts it
        hits = [f"quoting {cues['QUOTED']}"]
    elif "LEAD_IN" in cues:
        # its "I will" is the bullets' below; it undertakes nothing itself
        hits = ["a list's lead-in (the bullets below carry the pledges)"]
    else:
        hits = [name for cue, name in VETO_CUES.items() if cue in cues]
        lifting = PLEDGE_CUES
        if set(cues) & set(VETO_CUES) == {"LOGISTICS_SECTION"}:
            # under "Join us Saturday: …" a "we'll" is the event's ("we'll bring markers, maps and
            # coffee"); only a pledge as mayor lifts the veto ("As mayor, I will hold one in every ward")
            lifting = (PLEDGE_CUES - {"FUT_1P"}) | {"ELECTED"}
        if not hits or lifting & cues.keys():
            return p, None
    z = np.log(max(p, 1e-6) / max(1 - p, 1e-6)) - VETO_LOGIT
    return min(float(1 / (1 + np.exp(-z))), VETO_CEILING), hits[0]


_CACHE: dict[Path, Models] = {}


def load_models(folder: str | Path | None = None) -> Models:
    """Load the three models from ``folder`` (default: the shipped ``models/``)."""
    folder = Path(folder or MODELS_DIR).resolve()
    if folder in _CACHE:
        return _CACHE[folder]
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model folder; train models with `analyzer train --out {folder}`")
    parts = {name: load_model(folder / name) for name in MODEL_NAMES}
    cards = {name: read_card(folder / name) for name in MODEL_NAMES}
    models = Models(**parts, cards=cards, folder=folder)
    _CACHE[folder] = models
    return models


def classify_units(units: Iterable[dict], models: Models | None = None, reference_year: int | None = None,
                   batch_size: int = 2000) -> Iterable[tuple[dict, Prediction]]:
    """Stream (unit, prediction) pairs in input order, a batch at a time."""
    models = models or load_models()
    batch: list[dict] = []
    for unit in units:
        batch.append(unit)
        if len(batch) >= batch_size:
            yield from zip(batch, models.predict(batch, reference_year))
            batch = []
    if batch:
        yield from zip(batch, models.predict(batch, reference_year))
