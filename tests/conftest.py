import os
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATASETS = Path(os.environ.get("ANALYZER_DATASETS", ROOT.parent / "shared" / "datasets"))


@pytest.fixture(scope="session")
def models():
    from analyzer.classify import load_models

    return load_models()


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, models):
    """The demo field run once, end to end, into a temporary folder."""
    from analyzer.pipeline import run_field

    out = tmp_path_factory.mktemp("demo-run")
    return run_field(None, out, models=models)


class FakeClock:
    """A clock that only moves when slept on, recording every sleep."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds
