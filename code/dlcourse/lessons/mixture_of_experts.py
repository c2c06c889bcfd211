"""A Switch-style sparse mixture of experts: top-1 routing, expert capacity, load balancing.

Fedus, Zoph and Shazeer (2022, arXiv:2101.03961) replace a transformer's feed-forward block
with several expert feed-forward networks and send each token to exactly one of them, the
one its router scores highest. Each expert processes at most ``capacity`` tokens per batch;
tokens beyond that are *dropped* (the layer outputs zero for them and the residual connection
carries them through unchanged). An auxiliary loss pushes the router to spread tokens evenly.
Introduced in lesson "Sparse mixture of experts".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlcourse.data.tables import TableSplit
from dlcourse.runtime import seed_torch, seeded_generator


def expert_capacity(tokens: int, experts: int, capacity_factor: float) -> int:
    """How many tokens one expert may take from a batch: ``ceil(factor * tokens / experts)``."""
    return math.ceil(capacity_factor * tokens / experts)


@dataclass
class Routing:
    """What the router decided for one batch of ``T`` tokens and ``E`` experts."""

    probabilities: torch.Tensor  # (T, E) softmax of the router logits
    expert: torch.Tensor  # (T,) index of the chosen expert (top-1)
    gate: torch.Tensor  # (T,) router probability of the chosen expert
    kept: torch.Tensor  # (T,) False where the chosen expert was already full
    capacity: int

    @property
    def dispatch_fraction(self) -> torch.Tensor:
        """f_i: the share of tokens whose top-1 choice is expert i, shape (E,)."""
        experts = self.probabilities.shape[1]
        counts = torch.bincount(self.expert, minlength=experts).to(self.probabilities.dtype)
        return counts / len(self.expert)

    @property
    def mean_probability(self) -> torch.Tensor:
        """P_i: the router probability given to expert i, averaged over tokens, shape (E,)."""
        return self.probabilities.mean(dim=0)

    @property
    def balance_loss(self) -> torch.Tensor:
        """Switch's auxiliary loss ``E * sum_i f_i * P_i``: 1 when perfectly uniform.

        ``f_i`` is a count and carries no gradient; the gradient flows through ``P_i``,
        lowering the probability of experts that already receive more than their share.
        """
        experts = self.probabilities.shape[1]
        return experts * torch.sum(self.dispatch_fraction * self.mean_probability)

    @property
    def dropped_fraction(self) -> float:
        return 1.0 - self.kept.float().mean().item()


def route_top1(router_logits: torch.Tensor, capacity: int) -> Routing:
    """Top-1 routing with a capacity limit; the first tokens of the batch are served first."""
    probabilities = torch.softmax(router_logits, dim=-1)  # (T, E)
    gate, expert = probabilities.max(dim=-1)  # (T,), (T,)
    one_hot = F.one_hot(expert, probabilities.shape[1])  # (T, E)
    # Position of each token in its expert's queue: 1 for the first token sent there, 2 for ...
    position = (torch.cumsum(one_hot, dim=0) * one_hot).sum(dim=-1)  # (T,)
    return Routing(probabilities, expert, gate, position <= capacity, capacity)


class SwitchFeedForward(nn.Module):
    """``E`` two-layer feed-forward experts behind a linear router; each token uses one."""

    def __init__(self, width: int, hidden: int, experts: int, capacity_factor: float = 1.0):
        super().__init__()
        self.capacity_factor = capacity_factor
        self.router = nn.Linear(width, experts, bias=False)
        self.experts = nn.ModuleList(
            nn.Sequential(nn.Linear(width, hidden), nn.ReLU(), nn.Linear(hidden, width))
            for _ in range(experts)
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, Routing]:  # x: (T, D)
        capacity = expert_capacity(len(x), len(self.experts), self.capacity_factor)
        routing = route_top1(self.router(x), capacity)
        out = torch.zeros_like(x)  # dropped tokens get 0 here; the residual carries them
        for index, expert in enumerate(self.experts):
            rows = torch.nonzero((routing.expert == index) & routing.kept).squeeze(1)  # (n_i,)
            if len(rows):
                # Scaling by the gate is what lets the router learn from the task loss.
                out[rows] = routing.gate[rows, None] * expert(x[rows])  # (n_i, D)
        return out, routing


class SwitchClassifier(nn.Module):
    """Features -> width, one residual Switch layer, then a linear head to the classes."""

    def __init__(
        self,
        features: int,
        classes: int,
        *,
        width: int = 32,
        hidden: int = 64,
        experts: int = 4,
        capacity_factor: float = 1.0,
    ):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(features, width), nn.ReLU())
        self.switch = SwitchFeedForward(width, hidden, experts, capacity_factor)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, Routing]:  # x: (B, F)
        h = self.embed(x)  # (B, D)
        update, routing = self.switch(h)
        return self.head(self.norm(h + update)), routing  # logits (B, C)


@dataclass
class SwitchRun:
    """Per-epoch history of one training run and the trained model."""

    model: SwitchClassifier
    balance_coef: float
    history: dict[str, list[float]] = field(default_factory=dict)
    utilisation: list[list[float]] = field(default_factory=list)  # per epoch, (E,) on validation


def train_switch(
    split: TableSplit,
    *,
    balance_coef: float,
    epochs: int = 30,
    batch_size: int = 128,
    lr: float = 3e-3,
    experts: int = 4,
    capacity_factor: float = 1.0,
    seed: int = 0,
    device: torch.device | str = "cpu",
) -> SwitchRun:
    """Train a :class:`SwitchClassifier` with loss ``cross-entropy + coef * balance loss``.

    After every epoch the whole validation split goes through the model in batches of the
    training size (capacity is per batch) to record accuracy, the share of dropped tokens and
    how the tokens spread over the experts.
    """
    seed_torch(seed)
    classes = int(split.y_train.max()) + 1
    model = SwitchClassifier(
        split.x_train.shape[1], classes, experts=experts, capacity_factor=capacity_factor
    ).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    generator = seeded_generator(seed)
    loader = DataLoader(
        TensorDataset(split.x_train, split.y_train),
        batch_size=batch_size,
        shuffle=True,
        generator=generator,
        drop_last=True,  # equal batches: equal capacity per step
    )
    run = SwitchRun(model, balance_coef)
    keys = ("train_loss", "balance_loss", "val_acc", "val_dropped")
    run.history = {key: [] for key in keys}
    for _ in range(epochs):
        model.train()
        losses, balances = [], []
        for x, y in loader:
            x, y = x.to(device), y.to(device)  # (B, F), (B,)
            logits, routing = model(x)
            task = F.cross_entropy(logits, y)
            balance = routing.balance_loss
            loss = task + balance_coef * balance
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(task.item())
            balances.append(balance.item())
        accuracy, dropped, share = evaluate_switch(model, split, batch_size, device)
        run.history["train_loss"].append(sum(losses) / len(losses))
        run.history["balance_loss"].append(sum(balances) / len(balances))
        run.history["val_acc"].append(accuracy)
        run.history["val_dropped"].append(dropped)
        run.utilisation.append(share)
    return run


@torch.no_grad()
def evaluate_switch(
    model: SwitchClassifier, split: TableSplit, batch_size: int, device: torch.device | str
) -> tuple[float, float, list[float]]:
    """Validation accuracy, share of dropped tokens and share of tokens per expert."""
    model.eval()
    correct, dropped, counts = 0, 0, None
    for start in range(0, len(split.x_val), batch_size):
        x = split.x_val[start : start + batch_size].to(device)  # (B, F)
        y = split.y_val[start : start + batch_size].to(device)  # (B,)
        logits, routing = model(x)
        correct += (logits.argmax(dim=1) == y).sum().item()
        dropped += (~routing.kept).sum().item()
        chosen = torch.bincount(routing.expert, minlength=len(model.switch.experts))
        counts = chosen if counts is None else counts + chosen
    total = len(split.x_val)
    assert counts is not None, "the validation split is empty"
    return correct / total, dropped / total, (counts.float() / total).tolist()
