"""Reusable pieces of the lesson "Tensors and matrix multiplication"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.lessons.tensors import MatmulTiming, synchronize, time_matmul
from torch import nn


def test_linear_layer_is_a_matrix_product_over_the_last_dimension():
    torch.manual_seed(0)
    layer = nn.Linear(4, 3)
    x = torch.randn(2, 7, 4)  # (B, T, in)
    assert torch.allclose(layer(x), x @ layer.weight.T + layer.bias, atol=1e-6)


def test_broadcasting_rules_used_in_the_lesson():
    assert torch.broadcast_shapes((8, 5, 3), (5, 1)) == (8, 5, 3)
    assert torch.broadcast_shapes((4, 1, 3), (5, 1)) == (4, 5, 3)
    with pytest.raises(RuntimeError):
        torch.ones(2, 3) + torch.ones(2)


def test_gflops_follow_the_two_n_cubed_count():
    timing = MatmulTiming(size=1000, device="cpu", seconds=0.5)
    assert timing.gflops == pytest.approx(2 * 1000**3 / 0.5 / 1e9)


def test_time_matmul_measures_a_positive_best_time_on_cpu():
    synchronize(torch.device("cpu"))  # a no-op that must not fail without CUDA
    timing = time_matmul(64, torch.device("cpu"), repeats=2)
    assert timing.size == 64 and timing.device == "cpu" and timing.seconds > 0
