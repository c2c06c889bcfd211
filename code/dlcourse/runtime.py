"""Where a lesson runs: device, seeds and a scratch folder outside the repository.

Introduced in lesson "A single neuron"; used by every lesson.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch


def pick_device() -> torch.device:
    """CUDA when a GPU is present, else the CPU (introduced in lesson "A single neuron").

    ``DLCOURSE_DEVICE=cpu`` keeps a lesson on the CPU of a GPU machine (the build's cache
    key follows the same variable, so the page says what really ran).
    """
    forced = os.environ.get("DLCOURSE_DEVICE")
    if forced:
        return torch.device(forced)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one CPU thread inside the block (or decorated function), then restore.

    Small embedding and recurrent models gain nothing from several intra-op threads: handing
    tiny matrices between threads costs more than the arithmetic, and on a busy machine the
    threads mostly wait for each other. One thread also prints the same digits whatever the
    number of cores. Introduced in lesson "Word embeddings".
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


SEED_SHIFT_VARIABLE = "DLCOURSE_SEED_SHIFT"


def seed_shift() -> int:
    """The shift added to every seed of the course (``DLCOURSE_SEED_SHIFT``, default 0).

    All seeding goes through this module, so a build with ``DLCOURSE_SEED_SHIFT=1`` draws
    other data splits, initial weights and batches everywhere: a stand-in for a GPU, whose
    numbers differ from the CPU's. The pages must stay true (their claims are checked).
    """
    value = os.environ.get(SEED_SHIFT_VARIABLE, "").strip()
    try:
        return int(value) if value else 0
    except ValueError:
        raise ValueError(f"{SEED_SHIFT_VARIABLE}={value!r} is not an integer") from None


def shifted(seed: int) -> int:
    """``seed`` plus the course's seed shift: for ``random_state=`` and NumPy generators."""
    return seed + seed_shift()


def seeded_generator(seed: int) -> torch.Generator:
    """A torch random generator of its own (data splits, shuffling), seeded with ``seed``."""
    return torch.Generator().manual_seed(shifted(seed))


def seed_torch(seed: int) -> None:
    """Seed torch's global generator (initial weights, dropout) and nothing else."""
    torch.manual_seed(shifted(seed))


def seed_all(seed: int = 0) -> None:
    """Seed Python, NumPy and torch so that two runs print the same numbers."""
    random.seed(shifted(seed))
    np.random.seed(shifted(seed))
    torch.manual_seed(shifted(seed))


def scratch_dir(name: str) -> Path:
    """A folder for logs and checkpoints that is never inside the repository.

    The site build sets ``DLCOURSE_WORKDIR`` to a temporary folder per lesson; a lesson
    run by hand writes under the system's temporary directory instead.
    """
    base = Path(os.environ.get("DLCOURSE_WORKDIR") or Path(tempfile.gettempdir()) / "dlcourse")
    path = base / name
    path.mkdir(parents=True, exist_ok=True)
    return path
