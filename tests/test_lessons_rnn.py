"""Reusable pieces of the lessons "An RNN by hand" and "Vanishing gradients"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.models.rnn import (
    RecurrentClassifier,
    RNNWeights,
    decay_per_step,
    first_token_task,
    fit_classifier,
    input_gradient_norms,
    rnn_forward,
    rnn_step,
    state_perturbation,
    to_torch_rnn,
)


def test_hand_rnn_matches_nn_rnn():
    weights = RNNWeights.random(input_size=4, hidden_size=5, spectral_radius=0.9, seed=3)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(3, 7, 4, generator=generator)  # (B, T, D)
    h0 = torch.randn(3, 5, generator=generator)
    ours = rnn_forward(x, weights, h0)  # (B, T, H)
    with torch.no_grad():
        output, h_n = to_torch_rnn(weights)(x, h0[None])
    assert ours.shape == output.shape == (3, 7, 5)
    assert torch.allclose(ours, output, atol=1e-6)
    assert torch.allclose(h_n[0], ours[:, -1], atol=1e-6)
    # one step is the formula itself
    by_hand = torch.tanh(weights.w_xh @ x[1, 0] + weights.w_hh @ h0[1] + weights.b)
    assert torch.allclose(rnn_step(x[:, 0], h0, weights)[1], by_hand, atol=1e-6)


def test_weights_have_the_requested_spectral_radius_and_count():
    weights = RNNWeights.random(input_size=6, hidden_size=16, spectral_radius=0.7, seed=0)
    assert weights.spectral_radius() == pytest.approx(0.7, rel=1e-4)
    assert weights.n_parameters == 16 * 6 + 16 * 16 + 16
    # nn.RNN keeps one extra bias vector
    assert sum(p.numel() for p in to_torch_rnn(weights).parameters()) == weights.n_parameters + 16


def test_perturbation_dies_out_only_for_a_small_spectral_radius():
    generator = torch.Generator().manual_seed(0)
    x = torch.nn.functional.one_hot(torch.randint(0, 8, (16, 30), generator=generator), 8).float()
    small = state_perturbation(x, RNNWeights.random(8, 32, spectral_radius=0.5, seed=1))
    large = state_perturbation(x, RNNWeights.random(8, 32, spectral_radius=2.0, seed=1))
    assert small.shape == large.shape == (30,)
    assert small[-1] < 1e-8 * small[0]  # float64 lets it fall far below float32 rounding
    assert large[-1] > large[0]


def test_first_token_task_labels_are_the_first_token():
    x, y = first_token_task(200, 15, n_classes=4, n_distractors=16, seed=0)
    assert x.shape == (200, 15) and y.shape == (200,)
    assert torch.equal(x[:, 0], y)
    assert ((x[:, 1:] >= 4) & (x[:, 1:] < 20)).all()  # the rest is noise, never a label token
    assert set(y.tolist()) == {0, 1, 2, 3}
    assert torch.equal(first_token_task(200, 15, seed=0)[0], x)  # reproducible


def test_gradient_norms_vanish_faster_in_the_rnn_than_in_the_lstm():
    x, y = first_token_task(64, 30, seed=2)
    rates = {}
    for cell in ("rnn", "lstm"):
        torch.manual_seed(0)
        model = RecurrentClassifier(20, 4, cell=cell, embed_dim=8, hidden_size=16)
        model.train()
        norms = input_gradient_norms(model, x, y)
        assert norms.shape == (30,) and (norms > 0).all()
        assert norms[0] < norms[-1]  # the first step is the farthest from the loss
        assert model.training  # the mode is restored
        assert all(p.grad is None for p in model.parameters())
        rates[cell] = decay_per_step(norms)
    assert rates["rnn"] < rates["lstm"] < 1.0


def test_forget_bias_keeps_the_lstm_gradient_flat():
    torch.manual_seed(0)
    model = RecurrentClassifier(20, 4, cell="lstm", embed_dim=8, hidden_size=16, forget_bias=4.0)
    forget = model.recurrent.bias_hh_l0[16:32]  # PyTorch gate order: input, forget, cell, output
    assert forget.mean() > 3.5 and model.recurrent.bias_hh_l0[:16].abs().max() < 0.5
    x, y = first_token_task(64, 30, seed=2)
    assert decay_per_step(input_gradient_norms(model, x, y)) > 0.95


def test_decay_per_step_of_a_geometric_sequence():
    assert decay_per_step(0.5 ** torch.arange(10, 0, -1.0)) == pytest.approx(0.5)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_padding_does_not_change_predictions(cell):
    torch.manual_seed(0)
    model = RecurrentClassifier(10, 3, cell=cell, embed_dim=4, hidden_size=6, padding_idx=0).eval()
    short = torch.tensor([[3, 4, 5]])
    padded = torch.tensor([[3, 4, 5, 0, 0], [1, 2, 3, 4, 5]])
    with torch.no_grad():
        alone = model(short)
        batched = model(padded, torch.tensor([3, 5]))
    assert batched.shape == (2, 3)
    assert torch.allclose(alone[0], batched[0], atol=1e-6)


def test_fit_classifier_learns_a_short_dependency():
    x, y = first_token_task(512, 5, seed=1)
    x_val, y_val = first_token_task(256, 5, seed=2)
    torch.manual_seed(0)
    model = RecurrentClassifier(20, 4, cell="rnn", embed_dim=8, hidden_size=32)
    history = fit_classifier(
        model, x, y, x_val=x_val, y_val=y_val, steps=60, batch_size=64, eval_every=30
    )
    assert len(history.loss) == len(history.grad_norm) == 60
    assert history.eval_steps == [30, 60]
    assert history.accuracy[-1] > 0.9
    assert history.loss[-1] < history.loss[0]
