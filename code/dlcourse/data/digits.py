"""Handwritten digits: scikit-learn's bundled 8x8 images as tensors and as a DataModule.

They stand in for MNIST: 1,797 images of 64 pixels, ten classes, no download. The model
trained on them is :class:`dlcourse.training.lightning.DigitsClassifier`; the same training
written by hand is :func:`dlcourse.training.train_by_hand`. Introduced in lesson "PyTorch
Lightning anatomy".
"""

from __future__ import annotations

import numpy as np
import pytorch_lightning as pl
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

from dlcourse.data.tables import TableSplit
from dlcourse.runtime import seeded_generator, shifted

N_PIXELS = 64  # 8 x 8 gray levels from 0 to 16
N_CLASSES = 10


def digit_images(count: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` random raw images (count, 8, 8) and their labels (count,), for plotting."""
    bunch = load_digits()
    rows = np.random.default_rng(shifted(seed)).choice(len(bunch.images), size=count, replace=False)
    return bunch.images[rows], bunch.target[rows]


def digits_split(*, seed: int = 0, train_size: int | None = None) -> TableSplit:
    """The digits split 75/25 (stratified), pixels scaled from 0..16 to 0..1.

    Scaling by the known pixel range, as ``ToTensor`` does for MNIST, instead of
    standardizing per pixel: some border pixels are always 0 in the training split, and
    dividing by their zero spread would blow up validation images that use them.
    ``train_size`` keeps the first rows of the (shuffled) training split.
    """
    bunch = load_digits()
    x_train, x_val, y_train, y_val = train_test_split(
        bunch.data, bunch.target, test_size=0.25, random_state=shifted(seed), stratify=bunch.target
    )
    x_train, y_train = x_train[:train_size], y_train[:train_size]  # [:None] keeps all
    return TableSplit(
        torch.tensor(x_train / 16.0, dtype=torch.float32),  # (N_train, 64)
        torch.tensor(y_train, dtype=torch.int64),  # (N_train,)
        torch.tensor(x_val / 16.0, dtype=torch.float32),  # (450, 64)
        torch.tensor(y_val, dtype=torch.int64),  # (450,)
        tuple(bunch.feature_names),
        tuple(str(t) for t in bunch.target_names),
    )


class DigitsDataModule(pl.LightningDataModule):
    """The digits of :func:`digits_split`, served in shuffled mini-batches.

    ``train_size`` keeps only the first rows of the (already shuffled, stratified)
    training split: smaller sets overfit sooner, and a size divisible by the number of
    processes avoids the padding a distributed sampler would add. Validation is one batch.
    Introduced in lesson "PyTorch Lightning anatomy".
    """

    def __init__(self, batch_size: int = 64, *, train_size: int | None = None, seed: int = 0):
        super().__init__()
        self.save_hyperparameters()  # loggers record batch_size and train_size with the run
        self.batch_size, self.train_size, self.seed = batch_size, train_size, seed
        self.split: TableSplit | None = None

    def prepare_data(self) -> None:
        """Download or write to disk here: Lightning calls it once per machine (node),
        in a single process, before ``setup``. The digits ship with scikit-learn, so
        there is nothing to fetch; state assigned here would not reach other processes."""

    def setup(self, stage: str | None = None) -> None:
        """Build the splits; runs in every process, so each one holds its own tensors."""
        if self.split is not None:
            return
        self.split = digits_split(seed=self.seed, train_size=self.train_size)

    def train_dataloader(self) -> DataLoader:
        # A seeded generator of its own: the batch order does not depend on global RNG state.
        generator = seeded_generator(self.seed)
        assert self.split is not None, "setup() builds the split before any dataloader"
        dataset = TensorDataset(self.split.x_train, self.split.y_train)  # (N, 64), (N,)
        return DataLoader(dataset, batch_size=self.batch_size, shuffle=True, generator=generator)

    def val_dataloader(self) -> DataLoader:
        assert self.split is not None, "setup() builds the split before any dataloader"
        dataset = TensorDataset(self.split.x_val, self.split.y_val)
        return DataLoader(dataset, batch_size=len(dataset))
