"""The ``analyzer`` command: a thin layer over the library.

Library errors become one ``Error: …`` line and exit status 1; usage errors exit 2.
Progress bars go to standard error and only when it is a terminal.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from .errors import AnalyzerError, InputError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AnalyzerError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted: what was stored is kept; run the same command again to resume.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)


class _Progress:
    """tqdm bars per stage, silent when standard error is not a terminal or with --quiet."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.bars = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="page" if stage == "analyze" else "candidate",
                                          file=sys.stderr, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self):
        for bar in self.bars.values():
            bar.close()


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="analyzer")
@click.option("-v", "--verbose", count=True, help="Log more (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars, no summary lines.")
@click.pass_context
def cli(ctx, verbose, quiet):
    """Read mayoral candidates' campaign platforms and say what they actually promise.

    Start with `analyzer run` (the bundled, fictional demo field, offline) or
    `analyzer run corpora/fields/boston-2013.toml`.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.obj = {"quiet": quiet}


def _gather_options(field, delay, max_pages, max_depth, refresh):
    import dataclasses

    changes = {k: v for k, v in dict(delay=delay, max_pages=max_pages, max_depth=max_depth).items() if v is not None}
    if refresh:
        changes["refresh"] = True
    return dataclasses.replace(field.gather, **changes)


_gather_flags = [
    click.option("--delay", type=click.FloatRange(min=0, max=3600), help="Seconds between requests to one host (default 1.0, or the field's [gather] delay)."),
    click.option("--max-pages", type=click.IntRange(min=1), help="Pages per candidate (default 60)."),
    click.option("--max-depth", type=click.IntRange(min=0), help="Link depth from the start page (default 3)."),
    click.option("--refresh", is_flag=True, help="Fetch pages again even if the store has them."),
]


def gather_flags(fn):
    for flag in reversed(_gather_flags):
        fn = flag(fn)
    return fn


def _out_for(field, out):
    return Path(out) if out else Path("runs") / field.name


@cli.command(context_settings=CONTEXT)
@click.argument("field", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--out", type=click.Path(file_okay=False), help="Output folder (default runs/<field name>).")
@click.option("--models", "models_dir", type=click.Path(file_okay=False), help="Model folder (default: the shipped models).")
@gather_flags
@click.option("-w", "--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes for analysis (0 = every core).")
@click.pass_obj
def run(obj, field, out, models_dir, delay, max_pages, max_depth, refresh, workers):
    """Gather, analyze and report a field (DESIGN.md contract 1).

    With no FIELD, runs the bundled fictional demo field offline. Writes scorecard.html,
    commitments.csv, candidates.csv, analysis.sqlite and metadata.json into the output
    folder and prints the scorecard's path. A rerun resumes from the store.
    """
    from .classify import load_models
    from .field import DEMO_FIELD, load_field
    from .pipeline import run_field

    loaded = load_field(field or DEMO_FIELD)
    progress = _Progress(obj["quiet"])
    try:
        result = run_field(loaded, _out_for(loaded, out), options=_gather_options(loaded, delay, max_pages, max_depth, refresh),
                           models=load_models(models_dir) if models_dir else None, progress=progress,
                           workers=workers or None)
    finally:
        progress.close()
    if not obj["quiet"]:
        click.echo(f"{result.candidates} candidates, {result.pages} pages ({result.failures} failures), "
                   f"{result.commitments} commitments in {result.statements} statements", err=True)
    click.echo(str(result.scorecard))


@cli.command(context_settings=CONTEXT)
@click.argument("field", type=click.Path(dir_okay=False))
@click.option("-o", "--out", type=click.Path(file_okay=False), help="Output folder holding the store (default runs/<field name>).")
@gather_flags
@click.pass_obj
def gather(obj, field, out, delay, max_pages, max_depth, refresh):
    """Fetch every candidate's pages into the run store, and nothing else.

    Pages already in the store are not fetched again (use --refresh). Failures are recorded
    with their reason; a site that could not be read is "not reachable".
    """
    from .field import load_field
    from .pipeline import STORE_NAME, gather as gather_stage
    from .store import Store

    loaded = load_field(field)
    out_dir = _out_for(loaded, out)
    progress = _Progress(obj["quiet"])
    with Store(out_dir / STORE_NAME) as store:
        store.set_meta("field", str(Path(loaded.path).resolve()))  # absolute: later commands may run elsewhere
        try:
            results = gather_stage(loaded, store, _gather_options(loaded, delay, max_pages, max_depth, refresh), progress)
        finally:
            progress.close()
    for r in results:
        click.echo(f"{r.slug}\t{r.status}\t{r.pages} pages\t{r.failures} failures")


def _field_of_store(store, field):
    from .field import load_field

    path = field or store.get_meta("field")
    if not path:
        raise InputError(f"{store.path}: the store does not say which field it holds; give the FIELD file")
    if not field and not Path(path).is_file():
        raise InputError(f"{path}: the field file this store was gathered from is gone; give the FIELD file "
                         "(for `analyze`, --year instead)")
    return load_field(path)


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, exists=True), help="Output folder holding the store.")
@click.option("--models", "models_dir", type=click.Path(file_okay=False), help="Model folder (default: the shipped models).")
@click.option("--year", type=int, help="Reference year: dates before it are records, not deadlines (default: the field's year).")
@click.option("-w", "--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes for analysis (0 = every core).")
@click.pass_obj
def analyze(obj, out, models_dir, year, workers):
    """Turn stored pages into statements and predictions.

    Pages already analyzed with the same models are skipped.
    """
    from .classify import load_models
    from .pipeline import STORE_NAME, analyze_store
    from .store import Store

    path = Path(out) / STORE_NAME
    if not path.exists():
        raise InputError(f"{path}: no store here; run `analyzer gather FIELD --out {out}` first")
    progress = _Progress(obj["quiet"])
    with Store(path) as store:
        if year is None and store.get_meta("field"):
            year = _field_of_store(store, None).election.year
        try:
            if workers != 1:
                from .parallel import analyze_store_parallel

                count = analyze_store_parallel(store, load_models(models_dir).folder, year, workers=workers or None,
                                               progress=progress)
            else:
                count = analyze_store(store, load_models(models_dir), year, progress)
        finally:
            progress.close()
    if not obj["quiet"]:
        click.echo(f"analyzed {count} pages", err=True)


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, exists=True), help="Output folder holding the store.")
@click.argument("field", required=False, type=click.Path(dir_okay=False))
@click.option("--models", "models_dir", type=click.Path(file_okay=False), help="Model folder whose cards the methodology cites.")
def report(out, field, models_dir):
    """Write the scorecard, CSVs and Datasette metadata from an analyzed store."""
    from .classify import load_models
    from .pipeline import STORE_NAME
    from .report import write_reports
    from .store import Store

    path = Path(out) / STORE_NAME
    if not path.exists():
        raise InputError(f"{path}: no store here; run `analyzer run` or `analyzer gather` first")
    with Store(path) as store:
        loaded = _field_of_store(store, field)
        models = load_models(models_dir)
        from .pipeline import analysis_version, candidate_names, opponents_by_candidate

        version = analysis_version(models, opponents_by_candidate(store), candidate_names(store))
        pending = len(store.pages_to_analyze(version))
        if pending:
            # a page not analyzed would show as "no commitments found": the scorecard would lie
            raise InputError(f"{pending} stored page{'s' if pending != 1 else ''} not analyzed with these models; "
                             f"run `analyzer analyze --out {out}` first")
        files = write_reports(store, loaded, Path(out), {"analyzer_version": __version__, "models": models.info()})
    click.echo(str(files["scorecard"]))


def _write_jsonl(rows, output) -> None:
    """Rows as JSON Lines to a file, or to standard output for None or "-".

    A file is written beside its destination and moved into place at the end: input that fails
    on line 3 must not leave an existing output file emptied."""
    if output in (None, "-"):
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    try:
        handle = open(partial, "w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror})") from None
    try:
        with handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@cli.command(context_settings=CONTEXT)
@click.argument("input", type=str)
@click.option("-o", "--output", type=str, help="Output JSONL (default: standard output).")
@click.option("--models", "models_dir", type=click.Path(file_okay=False), help="Model folder (default: the shipped models).")
@click.option("--year", type=int, help="Reference year: dates before it are records, not deadlines.")
def classify(input, output, models_dir, year):
    """Classify the units of a JSONL file (DESIGN.md contract 2).

    INPUT has one JSON object a line with at least "text" (optional "id", "heading"); "-"
    reads standard input. Each output line is the input object, in the same order, plus
    commitment, commitment_score, area, area_scores, concreteness, concreteness_score,
    measurable, facets and reasons.
    """
    from .classify import load_models
    from .labeled import read_jsonl
    from .pipeline import classify_texts

    units = read_jsonl(input)
    for unit in units:
        unit.pop("_line", None)
    models = load_models(models_dir)
    _write_jsonl(classify_texts(units, models, year), output)


@cli.command(context_settings=CONTEXT)
@click.argument("source", type=str)
@click.option("-o", "--output", type=str, help="Output JSONL (default: standard output).")
@click.option("--models", "models_dir", type=click.Path(file_okay=False), help="Model folder (default: the shipped models).")
@click.option("--year", type=int, help="Reference year: dates before it are records, not deadlines.")
@click.option("--candidate", type=str, default="",
              help="Whose document it is: a sentence quoted from anyone else (an endorser) is that person's, not a commitment.")
def extract(source, output, models_dir, year, candidate):
    """One document (HTML, PDF or text; a path or an http(s) URL) to its statements (contract 3).

    Each line has text, heading, start and end (offsets into the document's extracted text),
    the prediction fields of `classify`, and `speaker` when the document attributes the
    sentence to someone in a quotation.
    """
    from .classify import load_models
    from .pipeline import extract_document

    rows = extract_document(source, load_models(models_dir), reference_year=year, candidate=candidate)
    _write_jsonl(rows, output)


def _read_data(data, columns, speech_acts=False):
    from .labeled import CORPUS_DIR, load_corpus, read_csv, read_labeled, read_speech_acts

    if data is None:
        return load_corpus(CORPUS_DIR), "corpora/labeled (the project corpus)"
    path = Path(data)
    if speech_acts:
        return read_speech_acts(path), str(path)
    if path.suffix.lower() == ".csv" and columns:
        mapping = {}
        for item in columns:
            key, _, column = item.partition("=")
            if not column:
                raise InputError(f"--column {item!r}: write it as KEY=COLUMN, e.g. text=sentence")
            mapping[key] = column
        return read_csv(path, mapping), str(path)
    return read_labeled(path), str(path)


@cli.command(context_settings=CONTEXT)
@click.option("--data", type=click.Path(exists=True), help="Labeled data: JSONL file or folder, CSV, or a Speech-Acts folder (default: the project corpus).")
@click.option("--out", type=click.Path(file_okay=False), default="models", show_default=True, help="Folder to write the models into.")
@click.option("--column", "columns", multiple=True, help="For CSV data: KEY=COLUMN mapping, e.g. text=sentence (repeatable).")
@click.option("--speech-acts", "speech_acts", type=click.Path(exists=True, file_okay=False), help="Also measure on this Speech-Acts folder (never trained on).")
@click.option("--measure", "measures", multiple=True, metavar="NAME=PATH",
              help="Also measure on this labeled data (JSONL file or folder, or CSV; never trained on) and record it in "
                   "the model cards under NAME, e.g. mine=labels.jsonl (repeatable).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same data and seed give the same models.")
@click.option("--no-compare", is_flag=True, help="Skip the cross-validated comparison of model choices (faster).")
@click.pass_obj
def train(obj, data, out, columns, speech_acts, measures, seed, no_compare):
    """Train the commitment, area and concreteness models and write them with model cards."""
    from .labeled import read_speech_acts
    from .train import train_models

    measured = {"corpus_test"} | ({"speech_acts"} if speech_acts else set())
    paths = {}
    for measure in measures:  # checked before any data is read: a typo costs no wait
        name, _, path = measure.partition("=")
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name) or not path:
            raise InputError(f"--measure {measure!r}: give NAME=PATH, NAME in lower-case letters, digits and _ "
                             "(e.g. --measure mine=labels.jsonl)")
        if name in measured or name in paths:
            raise InputError(f"--measure {name}: that name is already measured; choose another")
        if not Path(path).exists():
            raise InputError(f"--measure {name}: {path}: no such file or folder")
        paths[name] = path
    units, source = _read_data(data, columns)
    extra = {"speech_acts": read_speech_acts(speech_acts)} if speech_acts else {}
    extra.update({name: _read_data(path, columns)[0] for name, path in paths.items()})
    step = (lambda m: click.echo(m, err=True)) if not obj["quiet"] else None
    models = train_models(units, out, seed=seed, extra_eval=extra, compare=not no_compare, on_step=step, source=source)
    for name, card in models.cards.items():
        for where, m in card["metrics"].items():
            click.echo(f"{name}\t{where}\tmacro-F1 {m['macro_f1']:.3f}" + (f"\tF1 {m['f1']:.3f}" if "f1" in m else ""))


@cli.command(context_settings=CONTEXT)
@click.option("--data", type=click.Path(exists=True), help="Labeled data (default: the project corpus's test split).")
@click.option("--model", "models_dir", type=click.Path(file_okay=False), help="Model folder (default: the shipped models).")
@click.option("--column", "columns", multiple=True, help="For CSV data: KEY=COLUMN mapping (repeatable).")
@click.option("--speech-acts", "speech_acts", is_flag=True, help="Read --data as the Speech-Acts layout (a folder of CSVs).")
@click.option("--split", type=click.Choice(["test", "dev", "train", "all"]), default=None, help="Only this split of the data (default: test for the project corpus, all otherwise).")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
def evaluate(data, models_dir, columns, speech_acts, split, as_json):
    """Per-class precision, recall and F1, macro-F1 and confusion matrices of the models."""
    from .classify import load_models
    from .labeled import split_of
    from .train import evaluate_models

    units, source = _read_data(data, columns, speech_acts)
    split = split or ("test" if data is None else "all")
    if split != "all":
        units = [u for u in units if split_of(u.get("doc", u.get("id", ""))) == split]
    if not units:
        raise InputError(f"{source}: no labeled units to evaluate")
    models = load_models(models_dir)
    results = {"data": source, "split": split, "model_version": models.version, "metrics": evaluate_models(models, units)}
    if as_json:
        click.echo(json.dumps(results, sort_keys=True))
        return
    for task, m in results["metrics"].items():
        click.echo(f"\n{task} (n={m['n']}): macro-F1 {m['macro_f1']:.3f}, accuracy {m['accuracy']:.3f}")
        click.echo(f"  {'class':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
        for label, c in m["per_class"].items():
            click.echo(f"  {label:<14}{c['precision']:>10.3f}{c['recall']:>10.3f}{c['f1']:>10.3f}{c['support']:>10}")
        click.echo("  confusion (rows: true, columns: predicted; " + ", ".join(m["labels"]) + ")")
        for label, row in zip(m["labels"], m["confusion"]):
            click.echo(f"  {label:<14}" + "".join(f"{v:>8}" for v in row))


@cli.group(cls=_Group, context_settings=CONTEXT)
def label():
    """Label next what the models are least sure of (active learning)."""


@label.command("export", context_settings=CONTEXT)
@click.argument("input", type=click.Path(exists=True))
@click.option("--uncertain", type=click.IntRange(min=1), default=100, show_default=True, help="How many units to export.")
@click.option("-o", "--output", type=str, help="JSONL to write (default: standard output).")
@click.option("--models", "models_dir", type=click.Path(file_okay=False), help="Model folder (default: the shipped models).")
def label_export(input, uncertain, output, models_dir):
    """Export the N units the models are least sure of, ready to label.

    INPUT is an analysis.sqlite store or a JSONL of units. Each exported line holds the unit,
    the models' guesses as pre-filled labels, and "note": "" for the labeler.
    """
    from .activelearn import export_uncertain

    rows = export_uncertain(Path(input), uncertain, models_dir)
    _write_jsonl(rows, output)


@label.command("import", context_settings=CONTEXT)
@click.argument("labeled", type=click.Path(exists=True, dir_okay=False))
@click.option("--into", type=click.Path(file_okay=False), default="corpora/labeled/units", show_default=True, help="Corpus folder to add the units to.")
@click.option("--name", help="File name for the batch (default: the input's name).")
def label_import(labeled, into, name):
    """Validate a labeled JSONL batch and add it to the corpus."""
    from .activelearn import import_labeled

    path, count = import_labeled(Path(labeled), Path(into), name)
    click.echo(f"added {count} units to {path}")


@label.command("stats", context_settings=CONTEXT)
@click.option("--data", type=click.Path(exists=True), help="Labeled data (default: the project corpus).")
def label_stats(data):
    """Counts of a labeled corpus as one JSON object (units, documents, labels, splits, styles)."""
    from .labeled import CORPUS_DIR, corpus_stats, dedupe, read_labeled

    units, dropped = dedupe(read_labeled(Path(data) if data else CORPUS_DIR / "units"))
    click.echo(json.dumps(corpus_stats(units, dropped), indent=2))


def main():
    cli(prog_name="analyzer")


if __name__ == "__main__":
    main()
