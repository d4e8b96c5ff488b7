import subprocess
import sys

import pytest
from click.testing import CliRunner

from analyzer import __version__
from analyzer.cli import cli

from conftest import ROOT

COMMANDS = ["run", "gather", "analyze", "report", "classify", "extract", "train", "evaluate", "label", "label export", "label import", "label stats"]


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command):
    result = invoke(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.split("\n\n")[1].strip()) > 20  # a real description
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"analyzer {command}" in readme, f"README does not document `analyzer {command}`"


def test_version():
    assert __version__ in invoke("--version").output


def test_user_error_is_one_line_exit_1(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[election\ncity = 1\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "analyzer", "run", str(bad), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and str(bad) in lines[0] and "line 1" in lines[0]
    assert "Traceback" not in result.stderr


def test_usage_error_exit_2():
    result = CliRunner().invoke(cli, ["classify"])
    assert result.exit_code == 2


def test_classify_bad_jsonl_names_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "fine"}\n{not json}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["classify", str(path)])
    assert result.exit_code == 1
    assert f"{path}, line 2" in result.output


def test_corrupted_model_file_is_one_clear_error(tmp_path):
    import shutil

    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    (models / "commitment" / "model.skops").write_bytes(b"PK\x03\x04 not really a model")
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "I will fix it."}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["classify", str(path), "--models", str(models)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "model" in result.output and "Traceback" not in result.output
