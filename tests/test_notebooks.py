"""The notebooks in notebooks/ run top to bottom, in this environment, without error.

Each is executed with nbclient in a kernel started from this interpreter (``sys.executable``),
so the kernel sees the same installed ``analyzer`` whatever kernelspecs the machine has.
``ANALYZER_NOTEBOOK_FAST=1`` makes the retraining notebook train on a sample.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager  # installed with nbclient
from jupyter_client.manager import KernelManager

# Not importorskip: the test extra installs these, and a missing one should fail, not skip.
import ipykernel  # noqa: F401
import matplotlib  # noqa: F401

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
KERNEL = "analyzer-test-python"


def _kernel_manager(tmp_path: Path) -> KernelManager:
    """A kernel running this very interpreter, from a kernelspec written for the test only."""
    spec_dir = tmp_path / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "analyzer test kernel",
        "language": "python",
    }), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    return KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


def _run(name: str, tmp_path: Path, monkeypatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("ANALYZER_NOTEBOOK_FAST", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # BLAS threads spinning on a busy machine make the small model fits many times slower.
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    # The notebooks write to tempfile.mkdtemp(): keep that inside pytest's own temporary folder.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{name}: commit notebooks without outputs"
    work = tmp_path / "cwd"
    work.mkdir()
    client = nbclient.NotebookClient(
        nb,
        km=_kernel_manager(tmp_path),
        timeout=600,
        allow_errors=False,
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()  # raises CellExecutionError naming the cell if any cell fails
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{name}: a cell raised {output.get('ename')}"
    return nb


def _text(nb) -> str:
    """Everything the notebook printed or displayed as text."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            elif "data" in output:
                parts.append(output["data"].get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.slow
def test_retrain_and_evaluate_notebook(tmp_path, monkeypatch):
    nb = _run("01-retrain-and-evaluate.ipynb", tmp_path, monkeypatch)
    text = _text(nb)
    assert "fast mode: True" in text
    assert "commitment_share" in text  # the corpus table
    assert "InputError:" in text  # a bad label, reported
    assert "words-heading-rules-lr" in text and "macro_f1_mean" in text  # cross-validation table
    assert "# Model card: commitment" in text
    assert "macro_f1" in text and "precision" in text and "recall" in text  # metrics tables
    assert "predicted" in text and "gold" in text  # confusion matrix
    assert "commitment terms:" in text or "cues:" in text  # reasons of new predictions
    assert "units to label next" in text and "imported 10 units" in text


@pytest.mark.slow
def test_explore_a_field_notebook(tmp_path, monkeypatch):
    nb = _run("02-explore-a-field.ipynb", tmp_path, monkeypatch)
    text = _text(nb)
    assert "fictional" in text
    assert "Elena Alvarez" in text and "Ben Okafor (not checked)" in text
    assert "commitments view: True; full-text index: True" in text
    assert "concrete innovation pledges" in text and "https://" in text
    assert "commitments are flagged" in text
