"""Training, cross-validation, evaluation and model cards.

For each model, several feature and model choices are compared by stratified 5-fold
cross-validation on the training split (macro-F1, mean ± sd); the best is refit on the
training split, calibrated, scored on the held-out test split and saved with a model card.
Everything is seeded: retraining from the same corpus reproduces the metrics.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .classify import MODEL_NAMES, Models, feature_frame, save_model
from .errors import InputError
from .labeled import data_hash, election_year_of, split_of
from .records import AREAS

__all__ = ["CHOICES", "pick_choice", "cv_groups", "rules_digest", "train_models", "evaluate_models", "task_units", "metrics_for", "cross_validate_choices"]

# Word n-grams and rule tokens, with or without the heading's words, under a linear model.
# Character n-grams were dropped: they cost half the analysis time, and on real text they did
# worse (Speech-Acts commitment F1 0.627 with them, 0.641 without), as they learn the corpus's style.
# A choice may fix the regularisation ("…-svm-C1"); without, C is 4 (LR) or 0.3 (SVM). "rules2" counts
# the rule tokens twice against the words: the words learn the corpus's style as well as its content.
CHOICES = ("words-rules-lr", "words-heading-rules-lr", "words-heading-rules-lr-C16", "words-heading-rules-lr-C256",
           "words-heading-rules-svm", "words-heading-rules-svm-C1", "words-heading-rules2-svm-C1", "words-heading-rules2-lr-C16")
DEFAULT_CHOICE = "words-heading-rules-lr"
# 5-fold calibration and cross-validation need a few units of every class in every fold
MIN_PER_CLASS = 10

# The share of commitments in real campaign text (ANNOTATION.md §5: "about a third of units are
# commitments"). The corpus holds about half on purpose, to learn both sides well; predictions are
# shifted back to the real base rate so that scores are calibrated on the text we will read.
DEPLOY_PRIORS = {"commitment": 1 / 3}


def task_units(units: Sequence[dict], task: str) -> tuple[list[dict], list]:
    """The units a model learns from, and their labels."""
    if task == "commitment":
        return list(units), [bool(u["commitment"]) for u in units]
    if task == "area":
        chosen = [u for u in units if u.get("commitment") and u.get("area") in AREAS]
        return chosen, [u["area"] for u in chosen]
    if task == "concreteness":
        chosen = [u for u in units if u.get("commitment") and u.get("concreteness") in ("concrete", "buzzword")]
        return chosen, [u["concreteness"] for u in chosen]
    raise ValueError(task)


def build_features(choice: str, task: str):
    """The feature union of a choice: word 1–2-grams of the text, the task's rule tokens, maybe the heading."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    if choice not in CHOICES:
        raise InputError(f"unknown model choice {choice!r}; choose one of {', '.join(CHOICES)}")
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True,
                            token_pattern=r"(?u)\b\w[\w'’]*\b|[$%?]", dtype=np.float32)
    rules = CountVectorizer(token_pattern=r"\S+", lowercase=False, binary=True, dtype=np.float32)
    parts = [("words", words, "text"), ("rules", rules, f"rules_{task}")]
    if "-heading-" in choice:
        parts.append(("heading", TfidfVectorizer(min_df=2, sublinear_tf=True, dtype=np.float32), "heading"))
    weights = {"rules": 2.0} if "-rules2-" in choice else None
    return ColumnTransformer(parts, sparse_threshold=1.0, transformer_weights=weights)


def _classifier(choice: str, seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    model, _, c = choice.rpartition("-C") if "-C" in choice else (choice, "", "")
    if model.endswith("svm"):
        return LinearSVC(C=float(c or 0.3), class_weight="balanced", random_state=seed)
    return LogisticRegression(C=float(c or 4.0), class_weight="balanced", max_iter=3000, random_state=seed)


def build_estimator(choice: str, task: str, seed: int = 0, calibrated: bool = False):
    """``features`` then ``clf``; with ``calibrated``, the classifier is sigmoid-calibrated by 5-fold CV.

    Calibration wraps the classifier, not the whole pipeline, so that a prediction transforms
    the text once and the explanation reuses that matrix.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.pipeline import Pipeline

    features = build_features(choice, task)  # checks the choice first
    clf = _classifier(choice, seed)
    if calibrated:
        clf = CalibratedClassifierCV(clf, method="sigmoid", cv=5, ensemble=False)
    return Pipeline([("features", features), ("clf", clf)])


def _slim(estimator):
    """Drop the vectorizers' ``stop_words_`` (every pruned term): only for introspection, and most of the file."""
    for _, transformer, _ in estimator.named_steps["features"].transformers_:
        if hasattr(transformer, "stop_words_"):
            transformer.stop_words_ = None
    return estimator


def cv_groups(units: Sequence[dict], folds: int = 5) -> np.ndarray:
    """The groups cross-validation keeps apart: a unit's source, else its document.

    A document id's prefix before "/" names its source (in the project corpus, the batch: one
    writer, one set of styles). Held-out folds of whole sources measure how a choice carries to
    text written by someone else — what real campaign text is — where folds of documents let a
    choice profit from a writer's habits. With fewer sources than folds, documents are the groups.
    """
    docs = [str(u.get("doc") or u.get("id")) for u in units]
    sources = [d.split("/", 1)[0] if "/" in d else d for d in docs]
    return np.array(sources if len(set(sources)) >= folds else docs)


def cross_validate_choices(units: Sequence[dict], task: str, seed: int = 0, folds: int = 5,
                           frame=None) -> dict[str, dict]:
    """Macro-F1 (mean ± sd) of every choice by stratified k-fold CV, grouped by source (see :func:`cv_groups`)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    chosen, y = task_units(units, task)
    X = frame if frame is not None else feature_frame(chosen)[0]
    y = np.array(y)
    groups = cv_groups(chosen, folds)
    results = {}
    for choice in CHOICES:
        scores, sizes = [], []
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        for train_idx, test_idx in splitter.split(X, y, groups):
            est = build_estimator(choice, task, seed).fit(X.iloc[train_idx], y[train_idx])
            scores.append(f1_score(y[test_idx], est.predict(X.iloc[test_idx]), average="macro"))
            sizes.append(len(test_idx))
        results[choice] = {"macro_f1_mean": round(float(np.mean(scores)), 4), "macro_f1_sd": round(float(np.std(scores)), 4),
                           "macro_f1_folds": [round(float(x), 4) for x in scores], "fold_units": sizes}
    return results


def metrics_for(y_true: Sequence, y_pred: Sequence, labels: Sequence) -> dict:
    """Per-class precision/recall/F1, macro-F1, accuracy and the confusion matrix."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = list(labels)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out = {
        "n": len(y_true),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4) if len(y_true) else None,
        "macro_f1": round(float(np.mean(f)), 4),
        "per_class": {str(lab): {"precision": round(float(pi), 4), "recall": round(float(ri), 4), "f1": round(float(fi), 4),
                                 "support": int(si)} for lab, pi, ri, fi, si in zip(labels, p, r, f, s)},
        "labels": [str(lab) for lab in labels],
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist() if len(y_true) else [],
    }
    if set(labels) == {True, False}:
        pos = out["per_class"]["True"]
        out.update(precision=pos["precision"], recall=pos["recall"], f1=pos["f1"])
    return out


def evaluate_models(models: Models, units: Sequence[dict]) -> dict:
    """Each model judged on its own (area and concreteness on the gold commitments). Units that
    share an ``election_year`` are read as a run of that election reads them."""
    results = {}
    preds = models.predict(list(units), election_year_of(units), explain=False) if units else []
    y_true = [bool(u["commitment"]) for u in units]
    results["commitment"] = metrics_for(y_true, [p.commitment for p in preds], [False, True])
    for task, attr, labels in (("area", "area", AREAS), ("concreteness", "concreteness", ("concrete", "buzzword"))):
        chosen, y = task_units(units, task)
        if not chosen:
            continue
        index = {id(u): i for i, u in enumerate(units)}
        y_pred = [getattr(preds[index[id(u)]], attr) for u in chosen]
        results[task] = metrics_for(y, y_pred, labels)
    return results


def _git(*args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=5, cwd=Path(__file__).parent)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_commit() -> str | None:
    out = _git("rev-parse", "HEAD")
    return (out.stdout.strip() or None) if out is not None else None


# the code and word lists that turn a unit into the models' features: models trained on the same
# data with other rules are other models, and their version says so
_FEATURE_SOURCES = ("analyzer/nlp.py", "analyzer/classify.py", "analyzer/voice.py")


def rules_digest() -> str:
    """SHA-256 of the feature code and the lexicons (``corpora/lexicons``) the models were trained with."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    paths = [root / p for p in _FEATURE_SOURCES] + sorted((root / "corpora" / "lexicons").glob("*.txt"))
    for path in paths:
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _git_dirty() -> bool | None:
    out = _git("status", "--porcelain", "--untracked-files=no")
    return bool(out.stdout.strip()) if out is not None and out.returncode == 0 else None


def _versions() -> dict:
    import sklearn
    import skops
    import spacy

    from . import __version__

    return {"analyzer": __version__, "python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__, "skops": skops.__version__, "numpy": np.__version__}


# Means this close are a tie: about a tenth of the standard error of a 5-fold mean on this corpus
# (fold SD ~0.015-0.025, so SE ~0.007-0.011), and far below what the held-out figures can tell apart
CV_TIE = 0.001


def pick_choice(cv: dict) -> str:
    """The choice to ship, from cross-validation results.

    The first choice (:data:`CHOICES`, the plainest: word n-grams, rule tokens, a logistic
    regression) is the baseline. Another choice replaces it only if it scores higher on *every*
    held-out fold: the folds hold out whole sources, and a mean lead smaller than the spread
    between sources (a few thousandths against sds of a hundredth) flipped the choice from one
    corpus batch to the next, each time changing the model on text no fold had seen. A fold's
    lead smaller than ``1 / fold_units`` (when the results give the fold sizes) is no win: about
    what one label changing sides moves a fold's score. Among the
    choices that pass, the best mean; within :data:`CV_TIE` of it, a logistic regression, whose
    coefficients are the reasons shown and whose probabilities need the least calibration.
    Results without per-fold scores are compared by their means alone.
    """
    baseline = next((c for c in CHOICES if c in cv), None)
    if baseline is None:
        raise ValueError(f"no known model choice among {sorted(cv)}")

    def dominates(choice: str) -> bool:
        mine, base = cv[choice].get("macro_f1_folds"), cv[baseline].get("macro_f1_folds")
        if not mine or not base or len(mine) != len(base):
            return True
        sizes = cv[baseline].get("fold_units") or [None] * len(base)
        return all(a - b >= (1 / n if n else 0) and a > b for a, b, n in zip(mine, base, sizes))

    candidates = [c for c in CHOICES if c in cv and (c == baseline or dominates(c))]
    top = max(cv[c]["macro_f1_mean"] for c in candidates)
    tied = [c for c in candidates if cv[c]["macro_f1_mean"] >= top - CV_TIE]
    return max(tied, key=lambda c: ("-lr" in c, cv[c]["macro_f1_mean"]))


def train_models(
    units: Sequence[dict],
    out: str | Path,
    seed: int = 0,
    extra_eval: dict[str, Sequence[dict]] | None = None,
    compare: bool = True,
    on_step: Callable[[str], None] | None = None,
    source: str = "",
    choices: dict[str, str] | None = None,
) -> Models:
    """Train the three models on the train and dev splits of ``units`` and write them to ``out``.

    The test split (a fixed 20% of documents, see :func:`analyzer.labeled.split_of`) is only
    scored. Fits run on one BLAS thread: the models are small and sparse, and on a busy machine
    thread oversubscription made them tens of times slower.

    ``extra_eval`` maps a name to more labeled units to measure on (never trained on), e.g.
    ``{"speech_acts": read_speech_acts(path)}``. ``choices`` fixes a model's choice (one of
    :data:`CHOICES`) instead of comparing them, e.g. to reproduce a shipped model.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _train_models(units, Path(out), seed, extra_eval, compare, on_step or (lambda message: None), source,
                             choices or {})


def _train_models(units, out, seed, extra_eval, compare, step, source, choices) -> Models:
    from . import __version__

    train = [u for u in units if split_of(u.get("doc", u.get("id", ""))) != "test"]
    test = [u for u in units if split_of(u.get("doc", u.get("id", ""))) == "test"]
    if len({bool(u["commitment"]) for u in train}) < 2:
        raise InputError("the training data needs both commitments and non-commitments (check that the "
                         "data has a doc column: without one, a file is a single document and may fall in the test split)")
    digest = data_hash(units)
    rules = rules_digest()
    fitted, cards = {}, {}
    for task in MODEL_NAMES:
        chosen, y = task_units(train, task)
        if len(set(y)) < 2:
            raise InputError(f"not enough labeled data for the {task} model (needs at least two classes)")
        smallest = min(Counter(y).values())
        if smallest < MIN_PER_CLASS:
            raise InputError(f"not enough labeled data for the {task} model: its rarest class has {smallest} "
                             f"training units, and calibration needs at least {MIN_PER_CLASS}; label more units")
        step(f"{task}: features for {len(chosen)} units")
        X = feature_frame(chosen)[0]
        cv = {}
        best = DEFAULT_CHOICE
        if task in choices:
            best = choices[task]
        elif compare:
            step(f"{task}: comparing {len(CHOICES)} choices by 5-fold cross-validation")
            cv = cross_validate_choices(chosen, task, seed, frame=X)
            best = pick_choice(cv)
        step(f"{task}: fitting {best}")
        fitted[task] = _slim(build_estimator(best, task, seed, calibrated=True).fit(X, np.array(y)))
        cards[task] = {
            "name": task,
            "version": f"{__version__}+{digest[:8]}.{rules[:6]}",
            "trained": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "seed": seed,
            "data": {"source": source, "sha256": digest, "units": len(units), "train_units": len(chosen),
                     "test_units": len(task_units(test, task)[0])},
            "chosen": best if (compare or task in choices) else f"{best} (default; not compared)",
            "cross_validation": cv,
            "versions": _versions(),
            "git_commit": _git_commit(),
            # trained from a tree with uncommitted changes: the commit alone does not reproduce it
            "git_dirty": _git_dirty(),
            "rules_sha256": rules,
            "metrics": {},
        }
        if task in DEPLOY_PRIORS:
            cards[task]["prior"] = {"train": round(float(np.mean(np.array(y) == True)), 4),  # noqa: E712
                                    "deploy": round(DEPLOY_PRIORS[task], 4),
                                    "why": "ANNOTATION.md §5: about a third of units of real campaign text are commitments"}
    models = Models(**fitted, cards=cards, folder=out)
    step("evaluating on the held-out test split")
    evaluations = {"corpus_test": evaluate_models(models, test)}
    for name, extra in (extra_eval or {}).items():
        step(f"evaluating on {name}")
        evaluations[name] = evaluate_models(models, extra)
    for task in MODEL_NAMES:
        cards[task]["metrics"] = {name: ev[task] for name, ev in evaluations.items() if task in ev}
        save_model(fitted[task], out / task, cards[task])
        (out / task / "README.md").write_text(model_card_markdown(cards[task]), encoding="utf-8")
    return models


_PURPOSE = {
    "commitment": "Is a sentence or bullet of campaign text a commitment the candidate would pursue if elected?",
    "area": "Which priority area of municipal innovation a commitment belongs to: operations, capital, collaboration, or other.",
    "concreteness": "Is a commitment concrete (checkable at the end of the term) or a buzzword?",
}


def _prior_lines(prior: dict | None) -> list[str]:
    if not prior:
        return []
    return [f"- base rate: {prior['train']:.0%} in training; predictions shifted to {prior['deploy']:.0%} ({prior['why']})"]


def model_card_markdown(card: dict) -> str:
    lines = [f"# Model card: {card['name']}", "", _PURPOSE[card["name"]], "",
             f"- version: `{card['version']}`", f"- trained: {card['trained']} (seed {card['seed']})",
             f"- model choice: `{card['chosen']}`" + (" (by cross-validation: a richer choice replaces the plainest only by winning every held-out fold)" if card.get("cross_validation") else ""), f"- git commit: `{card.get('git_commit')}`" + (" (with uncommitted changes)" if card.get("git_dirty") else ""),
             *([f"- feature rules and lexicons: sha256 `{card['rules_sha256'][:16]}…`"] if card.get("rules_sha256") else []),
             f"- data: {card['data']['units']} units, sha256 `{card['data']['sha256'][:16]}…` ({card['data']['source']})",
             "- libraries: " + ", ".join(f"{k} {v}" for k, v in card["versions"].items()),
             *_prior_lines(card.get("prior")), "",
             "## Cross-validation (train and dev splits, 5 folds, each holding out whole sources: batches by other writers)", "",
             "| choice | macro-F1 mean | sd |", "|---|---|---|"]
    for choice, r in card.get("cross_validation", {}).items():
        lines.append(f"| {choice} | {r['macro_f1_mean']:.3f} | {r['macro_f1_sd']:.3f} |")
    lines += ["", "## Metrics", ""]
    for name, m in card.get("metrics", {}).items():
        headline = f"macro-F1 {m['macro_f1']:.3f}"
        if "f1" in m:
            headline += f", precision {m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f}"
        lines.append(f"- **{name}** (n={m['n']}): {headline}")
    lines += ["", "## Intended use and limits", "",
              "Built to read US mayoral campaign platforms (2013 and later) for a scorecard that a person checks:",
              "every prediction carries its quote and source, and low-confidence ones are flagged for review.",
              "Trained on text the project wrote in the styles of real platforms; accuracy on other genres,",
              "countries and languages is lower (see the Speech-Acts figures). Not for judging individuals without reading the quotes.", ""]
    return "\n".join(lines)
