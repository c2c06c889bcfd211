"""Unit tests of the course package used by the first two lessons."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from dlcourse.data.tables import load_table
from dlcourse.models import SingleNeuron, count_parameters, mlp
from dlcourse.plotting import course_style, plot_confusion_matrix, plot_curves
from dlcourse.training import gradient_descent
from torch import nn


def test_load_table_standardizes_with_training_statistics():
    table = load_table("diabetes", standardize_target=True)
    assert table.x_train.shape == (331, 10) and table.x_val.shape == (111, 10)
    assert torch.allclose(table.x_train.mean(0), torch.zeros(10), atol=1e-5)
    assert torch.allclose(table.x_train.std(0), torch.ones(10), atol=1e-4)
    assert not torch.allclose(table.x_val.mean(0), torch.zeros(10), atol=1e-3), (
        "validation must not be re-centred"
    )


def test_binary_table_can_name_its_positive_class():
    default = load_table("breast_cancer")
    malignant = load_table("breast_cancer", positive="malignant")
    assert default.target_names == ("malignant", "benign")
    assert malignant.target_names == ("benign", "malignant")
    assert torch.equal(malignant.y_train, 1 - default.y_train)
    assert 0.3 < malignant.y_train.mean() < 0.45  # 212 malignant of 569, stratified split
    with pytest.raises(ValueError):
        load_table("wine", positive="class_0")


def test_multiclass_targets_are_integer_labels():
    digits = load_table("digits")
    assert digits.y_train.dtype == torch.int64 and digits.n_features == 64
    assert set(digits.y_train.unique().tolist()) == set(range(10))


def test_single_neuron_is_an_affine_map():
    neuron = SingleNeuron(3)
    x = torch.randn(5, 3)
    expected = x @ neuron.linear.weight.T.squeeze(1) + neuron.linear.bias
    assert torch.allclose(neuron(x), expected)
    sigmoid_neuron = SingleNeuron(3, activation=torch.sigmoid)
    assert ((sigmoid_neuron(x) > 0) & (sigmoid_neuron(x) < 1)).all()


def test_mlp_layout_and_parameter_count():
    net = mlp((30, 16, 8, 1), dropout=0.2, batch_norm=True)
    kinds = [type(layer).__name__ for layer in net]
    assert kinds == [
        "Linear",
        "BatchNorm1d",
        "ReLU",
        "Dropout",
        "Linear",
        "BatchNorm1d",
        "ReLU",
        "Dropout",
        "Linear",
    ]
    assert count_parameters(mlp((30, 16, 8, 1))) == 30 * 16 + 16 + 16 * 8 + 8 + 8 + 1
    with pytest.raises(ValueError):
        mlp((4,))


def test_gradient_descent_reaches_the_least_squares_solution():
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(200, 3, generator=generator)
    true_w = torch.tensor([1.5, -2.0, 0.5])
    y = x @ true_w + 0.3 + 0.01 * torch.randn(200, generator=generator)
    neuron = SingleNeuron(3)
    history = gradient_descent(neuron, x, y, loss_fn=nn.functional.mse_loss, lr=0.1, epochs=300)
    design = torch.cat([x, torch.ones(200, 1)], dim=1)
    reference = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1)  # trusted solver
    assert torch.allclose(neuron.linear.weight.squeeze(0), reference[:3], atol=1e-3)
    assert abs(neuron.linear.bias.item() - reference[3].item()) < 1e-3
    assert history.train_loss[-1] < history.train_loss[0] / 100


def test_mini_batch_gradient_descent_is_reproducible():
    x, y = torch.randn(64, 2), torch.randn(64)
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = SingleNeuron(2)
        runs.append(
            gradient_descent(
                model, x, y, loss_fn=nn.functional.mse_loss, lr=0.05, epochs=3, batch_size=8
            ).train_loss
        )
    assert runs[0] == runs[1]


def test_plot_helpers_attach_bilingual_alt_text_and_leave_global_style_alone():
    before = dict(plt.rcParams)
    fig = plot_curves({"a": [3, 2, 1]}, title="t", xlabel="x", ylabel="y", alt_es="es", alt_en="en")
    assert fig.course_alt == {"es": "es", "en": "en"}
    assert fig.axes[0].get_title() == "t"
    cm = plot_confusion_matrix(
        np.array([[5, 1], [2, 7]]), ["a", "b"], title="cm", alt_es="x", alt_en="y"
    )
    texts = sorted(t.get_text() for t in cm.axes[0].texts)
    assert texts == ["1", "2", "5", "7"]
    with course_style():
        pass
    assert dict(plt.rcParams) == before
    plt.close("all")
