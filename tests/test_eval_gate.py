"""The evaluation gate: a shipped model whose score drops below its pinned floor fails the build.

Floors sit a little under the figures in the model cards (models/*/card.json), so that noise
from a library upgrade passes but a real regression — a worse corpus, a broken feature — does not.
"""

import json
import os
from pathlib import Path

import pytest

from analyzer.classify import MODELS_DIR, read_card
from analyzer.labeled import load_corpus
from analyzer.train import evaluate_models

FLOORS = {
    ("commitment", "f1"): 0.89,
    ("commitment", "macro_f1"): 0.89,
    ("area", "macro_f1"): 0.78,
    ("concreteness", "macro_f1"): 0.93,
}

# Real text nobody on the team wrote (README, "Accuracy"), read in place when it is on this machine:
# the figures the issues ask for, a little under where the shipped models stand (commitment F1 0.68,
# concreteness macro-F1 0.78), so that a change that helps the corpus and hurts real text fails here.
SPEECH_ACTS = Path(os.environ.get("ANALYZER_SPEECH_ACTS",
                                  Path(__file__).resolve().parents[2] / "shared" / "datasets" / "speech-acts" / "Dataset"))
REAL_TEXT_FLOORS = {"commitment_f1": 0.66, "concreteness_macro_f1": 0.77}


@pytest.fixture(scope="module")
def test_metrics(models):
    return evaluate_models(models, load_corpus(split="test"))


@pytest.mark.parametrize("task, metric", sorted(FLOORS))
def test_shipped_model_meets_its_floor(test_metrics, task, metric):
    score = test_metrics[task][metric]
    assert score >= FLOORS[(task, metric)], f"{task} {metric} fell to {score:.3f} (floor {FLOORS[(task, metric)]})"


@pytest.mark.slow
@pytest.mark.skipif(not SPEECH_ACTS.is_dir(), reason="the Speech-Acts corpus is not on this machine (ANALYZER_SPEECH_ACTS)")
def test_shipped_models_meet_their_floors_on_real_text(models):
    from analyzer.labeled import read_speech_acts

    scores = evaluate_models(models, read_speech_acts(SPEECH_ACTS))
    commitment, concreteness = scores["commitment"]["f1"], scores["concreteness"]["macro_f1"]
    assert commitment >= REAL_TEXT_FLOORS["commitment_f1"], f"commitment F1 on real text fell to {commitment:.3f}"
    assert concreteness >= REAL_TEXT_FLOORS["concreteness_macro_f1"], f"concreteness macro-F1 on real text fell to {concreteness:.3f}"


@pytest.mark.parametrize("task", ["commitment", "area", "concreteness"])
def test_model_card_matches_the_model(test_metrics, task):
    card = read_card(MODELS_DIR / task)
    assert card["data"]["sha256"], "the card records the data hash"
    assert {"scikit-learn", "spacy", "skops"} <= set(card["versions"])
    recorded = card["metrics"]["corpus_test"]
    # the shipped model, evaluated now, gives the figures its card reports
    assert recorded["macro_f1"] == pytest.approx(test_metrics[task]["macro_f1"], abs=0.002)
    assert (MODELS_DIR / task / "README.md").read_text(encoding="utf-8").startswith(f"# Model card: {task}")


@pytest.mark.parametrize("task", ["commitment", "area", "concreteness"])
def test_shipped_models_were_trained_with_these_feature_rules(task):
    """A change to the cues, facets or lexicons changes the features the models read: the models
    must be retrained with it (``analyzer train``), or they would weigh features they never saw."""
    from analyzer.train import rules_digest

    card = read_card(MODELS_DIR / task)
    assert card.get("rules_sha256") == rules_digest(), \
        f"the {task} model was trained with other feature rules or lexicons; retrain: analyzer train --out models"
    assert card["version"].endswith("." + rules_digest()[:6])


@pytest.mark.slow
def test_retraining_reproduces_the_metrics(tmp_path):
    """Training is seeded: the same corpus, seed and choices give the same metrics."""
    from analyzer.train import train_models

    cards = {task: read_card(MODELS_DIR / task) for task in ("commitment", "area", "concreteness")}
    units = load_corpus()
    models = train_models(units, tmp_path, seed=cards["commitment"]["seed"], compare=False,
                          choices={t: c["chosen"].split(" ")[0] for t, c in cards.items()})
    for task, card in cards.items():
        assert card["data"]["sha256"] == models.cards[task]["data"]["sha256"], "the corpus changed since the models were trained"
        again = models.cards[task]["metrics"]["corpus_test"]
        assert again["macro_f1"] == pytest.approx(card["metrics"]["corpus_test"]["macro_f1"], abs=1e-6), json.dumps(again)
