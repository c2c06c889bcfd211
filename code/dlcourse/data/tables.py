"""Offline data: scikit-learn's bundled tables as standardized torch tensors.

Nothing here downloads anything; every loader works without a network. Introduced in lesson
"A single neuron".
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from sklearn import datasets
from sklearn.model_selection import train_test_split

from dlcourse.runtime import shifted

TABLES = {
    "diabetes": datasets.load_diabetes,  # regression: disease progression after one year
    "breast_cancer": datasets.load_breast_cancer,  # binary: malignant (0) vs benign (1)
    "wine": datasets.load_wine,  # 3 classes of cultivar
    "iris": datasets.load_iris,  # 3 species of iris
    "digits": datasets.load_digits,  # 10 classes, 8x8 images: the offline stand-in for MNIST
}


@dataclass(frozen=True)
class TableSplit:
    """A train/validation split of a table, standardized with the training statistics."""

    x_train: torch.Tensor  # (N_train, F) float32
    y_train: torch.Tensor  # (N_train,) float32 for regression/binary, int64 for classes
    x_val: torch.Tensor  # (N_val, F)
    y_val: torch.Tensor  # (N_val,)
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]  # class names, or the target's name for regression

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]


def load_table(
    name: str,
    *,
    val_fraction: float = 0.25,
    seed: int = 0,
    standardize_target: bool = False,
    positive: str | None = None,
) -> TableSplit:
    """Load a bundled table, split it (stratified for classes) and standardize features.

    Standardizing with the training split's mean and std only keeps validation data
    unseen. For a two-class table, ``positive`` names the class coded as 1 (scikit-learn
    codes breast-cancer *benign* as 1; a screening model wants *malignant* as 1).
    Introduced in lesson "A single neuron".
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; choose one of {sorted(TABLES)}")
    bunch = TABLES[name]()
    x, y = bunch.data, bunch.target
    is_classification = name != "diabetes"
    target_names = [str(t) for t in getattr(bunch, "target_names", ())]
    # Split on the original labels so the rows in each split do not depend on `positive`.
    x_train, x_val, y_train, y_val = train_test_split(
        x,
        y,
        test_size=val_fraction,
        random_state=shifted(seed),
        stratify=y if is_classification else None,
    )
    if positive is not None:
        if len(target_names) != 2 or positive not in target_names:
            raise ValueError(
                f"positive={positive!r} needs a two-class table with that class; got {target_names}"
            )
        code = target_names.index(positive)
        y_train, y_val = (y_train == code).astype(int), (y_val == code).astype(int)
        target_names = [n for n in target_names if n != positive] + [positive]
    x_train_t = torch.tensor(x_train, dtype=torch.float32)
    x_val_t = torch.tensor(x_val, dtype=torch.float32)
    mean, std = x_train_t.mean(0), x_train_t.std(0).clamp_min(1e-8)
    x_train_t, x_val_t = (x_train_t - mean) / std, (x_val_t - mean) / std

    if is_classification:
        dtype = torch.float32 if len(target_names) == 2 else torch.int64
        y_train_t, y_val_t = torch.tensor(y_train, dtype=dtype), torch.tensor(y_val, dtype=dtype)
        targets = tuple(target_names)
    else:
        y_train_t = torch.tensor(y_train, dtype=torch.float32)
        y_val_t = torch.tensor(y_val, dtype=torch.float32)
        if standardize_target:
            y_mean, y_std = y_train_t.mean(), y_train_t.std()
            y_train_t, y_val_t = (y_train_t - y_mean) / y_std, (y_val_t - y_mean) / y_std
        targets = ("progression",)
    features = tuple(str(f) for f in getattr(bunch, "feature_names", range(x.shape[1])))
    return TableSplit(x_train_t, y_train_t, x_val_t, y_val_t, features, targets)
