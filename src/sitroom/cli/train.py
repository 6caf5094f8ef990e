"""`sitroom train`: fit the coder's decisions on annotated stories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitroom.cli.app import _fail, app, say
from sitroom.errors import SitroomError


def _data_argument(value: str) -> tuple[Path, float]:
    """ "folder" or "folder@weight" (text after the last @ that is not a number belongs to
    the folder's name)."""
    folder, sep, weight = value.rpartition("@")
    if not sep or Path(value).is_dir():
        return Path(value), 1.0
    try:
        number = float(weight)
    except ValueError:
        if "/" in weight or not weight:
            return Path(value), 1.0
        raise _fail(f"{value}: the weight after @ must be a number", 2) from None
    if not 0 < number <= 10:
        raise _fail(f"{value}: the weight after @ must be above 0 and at most 10", 2)
    return Path(folder), number


@app.command("train")
def train_command(
    data: Annotated[
        list[str],
        typer.Argument(
            help="Folders of annotated stories in the voa_events format (stories.jsonl and "
            "annotations.jsonl); FOLDER@0.5 weighs a folder's stories. The VOA dev stories "
            "are always left out.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the model file (default: the package's own)."),
    ] = None,
    folds: Annotated[
        int, typer.Option(min=2, max=10, help="Folds for fitting the confidence model.")
    ] = 3,
) -> None:
    """Fit event type, role, modality and confidence models on annotated stories."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise _fail(
            "training needs scikit-learn: pip install 'sitroom[train]' (coding does not)"
        ) from None
    from sitroom.extract.model_files import check_writable, packaged_model_path
    from sitroom.training.pipeline import TrainingData, TrainOptions, train

    sets = [TrainingData(*_data_argument(item)) for item in data]
    for item in sets:
        if not item.folder.is_dir():
            raise _fail(f"{item.folder}: no such folder of annotated stories", 2)
    target = out or packaged_model_path()
    try:
        check_writable(target)
        report = train(sets, target, TrainOptions(folds=folds), say=say)
    except SitroomError as exc:
        raise _fail(str(exc)) from None
    say(
        f"trained on {report.stories} stories ({report.sentences:,} sentences, "
        f"{report.gold_events:,} events; {report.dropped_dev} dev stories left out) in "
        f"{report.seconds:.0f} s -> {target} ({target.stat().st_size / 1e6:.1f} MB)"
    )
