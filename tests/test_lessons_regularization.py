"""Reusable pieces of the lesson "Dropout and batch normalization"."""

from __future__ import annotations

import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.dropout_batchnorm import VARIANTS, hidden_activation_stats, variant_network
from dlcourse.training import train_classifier
from torch import nn


def test_dropout_variant_rescales_in_train_mode_and_is_the_plain_network_in_eval():
    sizes = (8, 32, 32, 2)
    plain = variant_network("neither", sizes, seed=3).eval()
    dropout = variant_network("dropout", sizes, seed=3)
    x = torch.randn(500, 8, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.equal(dropout.eval()(x), plain(x))  # eval: dropout is the identity
        hidden = plain[:2](x)  # Linear -> ReLU: (500, 32)
        torch.manual_seed(0)
        dropped = dropout.train()[:3](x)  # Linear -> ReLU -> Dropout, same weights
    p = VARIANTS["dropout"]["dropout"]
    kept = dropped != 0
    assert torch.allclose(dropped[kept], hidden[kept] / (1 - p))  # survivors scaled by 1/(1-p)
    assert abs(kept[hidden > 0].float().mean().item() - (1 - p)) < 0.03
    assert abs(dropped.mean().item() / hidden.mean().item() - 1) < 0.05  # same expected value


def test_batch_norm_variant_standardises_each_feature_in_train_mode_only():
    model = variant_network("batch norm", (3, 16, 2), seed=0)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(64, 3, generator=generator) * torch.tensor([1.0, 5.0, 0.1])
    x = x + torch.tensor([2.0, -3.0, 7.0])
    with torch.no_grad():
        received = model.train()[:2](x)  # what the first ReLU receives: Linear -> BatchNorm1d
        in_eval = model.eval()[:2](x)
    assert torch.allclose(received.mean(0), torch.zeros(16), atol=1e-5)
    assert torch.allclose(received.var(0, unbiased=False), torch.ones(16), atol=5e-3)  # eps
    # eval mode uses the running averages (after one batch, mostly their initial 0 and 1)
    assert in_eval.mean(0).abs().max() > 0.5


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
