"""Reusable pieces of the lesson "Dropout and batch normalization"."""

from __future__ import annotations

import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.dropout_batchnorm import VARIANTS, hidden_activation_stats, variant_network
from dlcourse.training import train_classifier
from torch import nn


def test_dropout_rescales_in_train_mode_and_is_identity_in_eval():
    layer = nn.Dropout(p=0.25)
    x = torch.ones(10000)
    out = layer.train()(x)
    kept = out[out != 0]
    assert torch.allclose(kept, torch.full_like(kept, 1 / 0.75))
    assert abs(out.mean().item() - 1.0) < 0.05
    assert torch.equal(layer.eval()(x), x)


def test_batch_norm_standardises_each_feature_in_train_mode():
    layer = nn.BatchNorm1d(3).train()
    x = torch.randn(64, 3) * torch.tensor([1.0, 5.0, 0.1]) + torch.tensor([2.0, -3.0, 7.0])
    y = layer(x)
    assert torch.allclose(y.mean(0), torch.zeros(3), atol=1e-5)
    assert torch.allclose(y.var(0, unbiased=False), torch.ones(3), atol=5e-3)  # eps


def test_variants_have_the_expected_layers_and_the_same_linear_weights():
    networks = {v: variant_network(v, (8, 16, 16, 2), seed=3) for v in VARIANTS}
    assert not any(isinstance(m, nn.Dropout) for m in networks["batch norm"])
    assert sum(isinstance(m, nn.BatchNorm1d) for m in networks["both"]) == 2
    assert sum(isinstance(m, nn.Dropout) for m in networks["dropout"]) == 2
    first = [m.weight for m in networks["neither"] if isinstance(m, nn.Linear)][0]
    same = [m.weight for m in networks["dropout"] if isinstance(m, nn.Linear)][0]
    assert torch.equal(first, same)


def test_activation_stats_read_the_inputs_of_each_relu():
    model = variant_network("batch norm", (64, 32, 32, 10)).train()
    x = torch.randn(128, 64)
    stats = hidden_activation_stats(model, x)
    assert len(stats) == 2
    assert all(abs(mean) < 1e-5 and abs(std - 1) < 0.02 for mean, std in stats)
    assert not model[0]._forward_hooks and not model[2]._forward_hooks  # hooks removed


def test_train_classifier_learns_the_digits():
    split = digits_split(train_size=300)
    model = variant_network("neither", (64, 64, 10))
    history = train_classifier(model, split, torch.optim.Adam(model.parameters(), 3e-3), epochs=10)
    assert history.val_acc[-1] > 0.7 and history.train_loss[-1] < history.train_loss[0]
