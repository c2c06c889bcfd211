"""Reusable pieces of the lesson "Sparse mixture of experts"."""

from __future__ import annotations

import pytest
import torch
from dlcourse.data.digits import digits_split
from dlcourse.lessons.mixture_of_experts import (
    SwitchFeedForward,
    expert_capacity,
    route_top1,
    train_switch,
)


def test_capacity_rounds_up():
    assert expert_capacity(128, 4, 1.0) == 32
    assert expert_capacity(10, 4, 1.0) == 3
    assert expert_capacity(128, 4, 1.25) == 40


def test_routing_keeps_the_first_tokens_up_to_capacity():
    logits = torch.full((5, 2), -10.0)
    logits[:, 0] = 10.0  # every token prefers expert 0
    routing = route_top1(logits, capacity=2)
    assert routing.expert.tolist() == [0] * 5
    assert routing.kept.tolist() == [True, True, False, False, False]
    assert routing.dropped_fraction == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("preferred", "expected"), [([0, 1, 2, 3], 1.0), ([0, 0, 1, 1], 2.0), ([0, 0, 0, 0], 4.0)]
)
def test_balance_loss_against_hand_computed_values(preferred, expected):
    logits = torch.full((4, 4), -30.0)
    logits[torch.arange(4), torch.tensor(preferred)] = 30.0  # confident routers: P_i = f_i
    assert route_top1(logits, capacity=4).balance_loss.item() == pytest.approx(expected)


def test_balance_loss_gradient_lowers_the_overloaded_expert():
    logits = torch.tensor([[2.0, 0.0], [2.0, 0.0], [0.0, 1.0]], requires_grad=True)
    route_top1(logits, capacity=3).balance_loss.backward()
    # Expert 0 receives 2 of 3 tokens: descending the gradient lowers its logits.
    assert (logits.grad[:, 0] > 0).all() and (logits.grad[:, 1] < 0).all()


def test_layer_output_is_gate_times_expert_and_zero_for_dropped_tokens():
    torch.manual_seed(0)
    layer = SwitchFeedForward(width=6, hidden=8, experts=2, capacity_factor=0.5)
    x = torch.randn(8, 6)  # capacity ceil(0.5 * 8 / 2) = 2 per expert
    out, routing = layer(x)
    for t in range(8):
        if routing.kept[t]:
            expected = routing.gate[t] * layer.experts[routing.expert[t]](x[t : t + 1])[0]
            assert torch.allclose(out[t], expected, atol=1e-6)
        else:
            assert torch.count_nonzero(out[t]) == 0
    assert int(routing.kept.sum()) <= 4


def test_balancing_spreads_tokens_and_reduces_drops():
    split = digits_split(train_size=512)
    plain = train_switch(split, balance_coef=0.0, epochs=8)
    balanced = train_switch(split, balance_coef=0.1, epochs=8)
    assert balanced.history["val_dropped"][-1] < plain.history["val_dropped"][-1]
    assert max(balanced.utilisation[-1]) < max(plain.utilisation[-1])
    assert balanced.history["val_acc"][-1] > 0.8
