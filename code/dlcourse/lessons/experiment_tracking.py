"""Experiment tracking on local files: TensorBoard and MLflow loggers, and reading them back.

Both tools are used here without any server: TensorBoard writes event files, MLflow a
folder of runs (its file store). Nothing leaves the machine: MLflow's usage telemetry,
which would contact MLflow's servers, is switched off while MLflow is used. Introduced
in lesson "Experiment tracking and visualization".
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pytorch_lightning.loggers import MLFlowLogger, TensorBoardLogger

# MLflow reads these when it builds a store or a telemetry client. The file store is in
# "maintenance mode" since MLflow 3 and refuses to start without the opt-in; its sqlite
# alternative needs SQLAlchemy and takes seconds to create its tables.
OFFLINE_MLFLOW_ENV = {"MLFLOW_DISABLE_TELEMETRY": "true", "MLFLOW_ALLOW_FILE_STORE": "true"}


@contextmanager
def offline_mlflow() -> Iterator[None]:
    """Use MLflow inside this block with local files only and no telemetry.

    Sets the variables of ``OFFLINE_MLFLOW_ENV`` for the duration of the block and
    restores the previous values afterwards (the process is left as it was found).
    Importing MLflow here, or re-checking its telemetry switch, leaves its telemetry
    client off for the rest of the process. MLflow's INFO chatter is lowered to warnings.
    """
    previous = {key: os.environ.get(key) for key in OFFLINE_MLFLOW_ENV}
    os.environ.update(OFFLINE_MLFLOW_ENV)
    try:
        from mlflow.telemetry.client import set_telemetry_client

        set_telemetry_client()  # sees MLFLOW_DISABLE_TELEMETRY: drops any telemetry client
        logging.getLogger("mlflow").setLevel(logging.WARNING)
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def tensorboard_logger(root: str | Path, run: str) -> TensorBoardLogger:
    """A TensorBoard logger writing ``<root>/<run>/version_0/events.out.tfevents.*``.

    ``default_hp_metric=False`` keeps TensorBoard's placeholder ``hp_metric`` out of the log.
    """
    return TensorBoardLogger(save_dir=str(root), name=run, version=0, default_hp_metric=False)


def mlflow_uri(root: str | Path) -> str:
    """The tracking URI of a local MLflow file store in ``<root>/mlruns``."""
    return (Path(root) / "mlruns").resolve().as_uri()


def mlflow_logger(root: str | Path, experiment: str, run: str) -> MLFlowLogger:
    """An MLflow logger for run ``run`` of ``experiment`` in the file store under ``root``.

    Train with it inside :func:`offline_mlflow`. The experiment is created first if
    needed (with its artifacts under ``root`` too) so the logger finds it instead of
    announcing that it creates it. Model checkpoints are not logged.
    """
    with offline_mlflow():
        from mlflow import MlflowClient

        uri = mlflow_uri(root)
        client = MlflowClient(tracking_uri=uri)
        if client.get_experiment_by_name(experiment) is None:
            artifacts = (Path(root) / "mlartifacts").resolve().as_uri()
            client.create_experiment(experiment, artifact_location=artifacts)
        return MLFlowLogger(
            experiment_name=experiment, run_name=run, tracking_uri=uri, log_model=False
        )


def read_tensorboard_scalars(log_dir: str | Path) -> dict[str, list[tuple[int, float]]]:
    """Every scalar series in a TensorBoard run folder: ``{tag: [(step, value), ...]}``.

    Uses TensorBoard's own ``EventAccumulator``, the reader behind its web page, with no
    cap on the number of points kept.
    """
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(log_dir), size_guidance={"scalars": 0})
    events.Reload()
    return {
        tag: [(event.step, event.value) for event in events.Scalars(tag)]
        for tag in events.Tags()["scalars"]
    }


def read_mlflow_runs(root: str | Path, experiment: str) -> list[dict]:
    """The runs of an experiment, oldest first, as plain dicts.

    Each has ``name``, ``run_id``, ``params`` (strings, as MLflow stores them), ``metrics``
    (last value of each) and ``history`` (``{key: [(step, value), ...]}`` from the client's
    metric history).
    """
    with offline_mlflow():
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri=mlflow_uri(root))
        found = client.get_experiment_by_name(experiment)
        if found is None:
            return []
        runs = client.search_runs([found.experiment_id], order_by=["attributes.start_time ASC"])
        result = []
        for run in runs:
            history = {
                key: [(m.step, m.value) for m in client.get_metric_history(run.info.run_id, key)]
                for key in run.data.metrics
            }
            result.append(
                {
                    "name": run.info.run_name,
                    "run_id": run.info.run_id,
                    "params": dict(run.data.params),
                    "metrics": dict(run.data.metrics),
                    "history": history,
                }
            )
    return result


def values(series: list[tuple[int, float]]) -> list[float]:
    """The values of a ``[(step, value), ...]`` series in step order (one per epoch here)."""
    return [value for _, value in sorted(series, key=lambda point: point[0])]
