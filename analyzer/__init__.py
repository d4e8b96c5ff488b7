"""analyzer — what mayoral candidates' campaign platforms actually promise.

The public API is small: load a field, run it, classify or extract text, train and
evaluate models. Everything else is an implementation detail of its stage.
"""

__version__ = "0.1.0"

from .errors import AnalyzerError, FieldError, InputError, ModelError  # noqa: E402
from .field import load_field  # noqa: E402
from .records import (  # noqa: E402
    Candidate,
    CandidateScore,
    Election,
    Field,
    Page,
    Prediction,
    Section,
    Source,
    Statement,
)

__all__ = [
    "__version__",
    "load_field",
    "run_field",
    "classify_texts",
    "extract_document",
    "load_models",
    "AnalyzerError",
    "FieldError",
    "InputError",
    "ModelError",
    "Candidate",
    "CandidateScore",
    "Election",
    "Field",
    "Page",
    "Prediction",
    "Section",
    "Source",
    "Statement",
]


def __getattr__(name):
    # heavy modules (spaCy, scikit-learn) load only when used
    if name in ("run_field", "classify_texts", "extract_document"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "load_models":
        from .classify import load_models

        return load_models
    raise AttributeError(name)
