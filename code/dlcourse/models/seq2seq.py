"""Encoder-decoder LSTMs for character translation, with and without Bahdanau attention.

* :class:`BiLSTMEncoder`: embeds the source characters and reads them in both directions;
  padding is never read before a real character, so the annotations do not depend on how
  much padding follows.
* :class:`AttentionSeq2Seq`: an LSTM decoder that, before emitting each character, scores
  every source annotation with the additive alignment model of Bahdanau, Cho and Bengio
  (2014, arXiv:1409.0473) and reads their weighted average (the context vector).
* :class:`PlainSeq2Seq`: the same decoder with one fixed context, the encoder's final
  states, as in the RNN encoder-decoder of Cho et al. (2014, arXiv:1406.1078) and the
  sequence-to-sequence LSTM of Sutskever, Vinyals and Le (2014, arXiv:1409.3215).

Both follow the interface of :mod:`dlcourse.training.translation`: ``model(source, target_in)``
returns next-character logits ``(B, T, V)`` and the source padding mask comes from
``source == PAD``. Introduced in lesson "Seq2seq with attention"; the transformer lesson
compares its model with :class:`AttentionSeq2Seq`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from dlcourse.data.dates import BOS, EOS, PAD, SOURCE_VOCAB, TARGET_VOCAB
from dlcourse.models.attention import AdditiveScore
from dlcourse.training.translation import greedy_decode


@dataclass
class Encoded:
    """What the decoder may read from the source."""

    annotations: torch.Tensor  # (B, S, 2H) [forward; backward] state at each source position
    summary: torch.Tensor  # (B, 2H) [forward state at the last character; backward at the first]
    mask: torch.Tensor  # (B, S) True at real characters, False at padding


ContextReader = Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor | None]]


def reverse_within_length(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse the first ``lengths[b]`` positions of each row of ``x`` (B, S, ...) and leave
    the padding after them in place; applying it twice gives ``x`` back."""
    positions = torch.arange(x.shape[1], device=x.device)[None, :]  # (1, S)
    index = torch.where(positions < lengths[:, None], lengths[:, None] - 1 - positions, positions)
    return x.gather(1, index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x))


class BiLSTMEncoder(nn.Module):
    """Character embedding followed by two LSTMs, one reading each row left to right and one
    right to left, both starting at the real characters and never reading padding first.

    The left-to-right LSTM runs over the padded batch as is: padding comes after the real
    characters and cannot change their states. The right-to-left one runs over each row
    reversed within its length, so it too meets the padding only at the end. This gives the
    same states as packing the sequences and, on a CPU, runs faster.
    """

    def __init__(self, vocab_size: int, embed_dim: int, hidden_size: int):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        self.forward_lstm = nn.LSTM(embed_dim, hidden_size, batch_first=True)
        self.backward_lstm = nn.LSTM(embed_dim, hidden_size, batch_first=True)

    def forward(self, source: torch.Tensor) -> Encoded:  # source: (B, S) ids, PAD at the end
        mask = source != PAD  # (B, S)
        lengths = mask.sum(dim=1).clamp(min=1)  # (B,)
        x = self.embed(source)  # (B, S, E)
        ahead, _ = self.forward_lstm(x)  # (B, S, H)
        behind = reverse_within_length(
            self.backward_lstm(reverse_within_length(x, lengths))[0], lengths
        )
        annotations = torch.cat([ahead, behind], dim=-1) * mask[..., None]  # (B, S, 2H)
        rows = torch.arange(len(source), device=source.device)
        summary = torch.cat([ahead[rows, lengths - 1], behind[:, 0]], dim=-1)  # (B, 2H)
        return Encoded(annotations, summary, mask)


class _Seq2Seq(nn.Module):
    """Shared encoder, decoder cell and output layer; subclasses choose the context vectors.

    At step ``t`` the decoder reads the previous character ``y_{t-1}`` and a context ``c_t``,
    updates its LSTM state to ``s_t`` and predicts the next character from
    ``[s_t; c_t; embed(y_{t-1})]`` with one linear layer: the ``g(y_{t-1}, s_t, c_t)`` of
    Bahdanau et al. (section 3.1), without their maxout hidden layer.
    """

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        *,
        embed_dim: int = 32,
        hidden_size: int = 64,
    ):
        super().__init__()
        context_dim = 2 * hidden_size  # annotations of both directions
        self.encoder = BiLSTMEncoder(source_vocab_size, embed_dim, hidden_size)
        self.bridge = nn.Linear(context_dim, hidden_size)  # s_0 = tanh(W_s summary)
        self.embed = nn.Embedding(target_vocab_size, embed_dim, padding_idx=PAD)
        self.cell = nn.LSTMCell(embed_dim + context_dim, hidden_size)
        self.out = nn.Linear(hidden_size + context_dim + embed_dim, target_vocab_size)

    def _reader(self, encoded: Encoded) -> ContextReader:
        """A function from the previous decoder state (B, H) to the next context (B, 2H) and
        the attention weights (B, S), or None for a model without attention."""
        raise NotImplementedError

    def forward_with_attention(
        self, source: torch.Tensor, target_in: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Logits (B, T, V) and attention weights (B, T, S), or None without attention.

        Row ``[b, t]`` of the weights is the distribution over source characters that the
        decoder read before predicting output character ``t``.
        """
        encoded = self.encoder(source)
        read = self._reader(encoded)
        h = torch.tanh(self.bridge(encoded.summary))  # (B, H) s_0
        c = torch.zeros_like(h)  # LSTM memory cell
        embedded = self.embed(target_in)  # (B, T, E)
        logits, weights = [], []
        for t in range(target_in.shape[1]):
            context, alpha = read(h)  # the query is the previous state s_{t-1}
            h, c = self.cell(torch.cat([embedded[:, t], context], dim=-1), (h, c))
            logits.append(self.out(torch.cat([h, context, embedded[:, t]], dim=-1)))
            if alpha is not None:
                weights.append(alpha)
        stacked = torch.stack(weights, dim=1) if weights else None  # (B, T, S)
        return torch.stack(logits, dim=1), stacked

    def forward(self, source: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        """Next-character logits (B, T, V) for source ids (B, S) and decoder input (B, T)."""
        return self.forward_with_attention(source, target_in)[0]


class AttentionSeq2Seq(_Seq2Seq):
    """Bidirectional LSTM encoder and LSTM decoder with Bahdanau (additive) attention.

    The alignment model is :class:`dlcourse.models.attention.AdditiveScore`,
    ``e_tj = v^T tanh(W s_{t-1} + U h_j)``, applied to a whole batch; ``U h_j`` does not
    depend on ``t`` and is computed once per source. Padding gets a score of minus
    infinity, hence a weight of exactly zero.
    """

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        *,
        embed_dim: int = 32,
        hidden_size: int = 64,
    ):
        super().__init__(
            source_vocab_size, target_vocab_size, embed_dim=embed_dim, hidden_size=hidden_size
        )
        self.score = AdditiveScore(hidden_size, 2 * hidden_size, hidden_size)

    def _reader(self, encoded: Encoded) -> ContextReader:
        keys = self.score.w_key(encoded.annotations)  # (B, S, A) U h_j, once per source
        padding = ~encoded.mask  # (B, S)

        def read(state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            mixed = torch.tanh(self.score.w_query(state)[:, None, :] + keys)  # (B, S, A)
            scores = self.score.v(mixed).squeeze(-1).masked_fill(padding, float("-inf"))
            alpha = torch.softmax(scores, dim=-1)  # (B, S), zero at padding
            context = torch.bmm(alpha[:, None, :], encoded.annotations).squeeze(1)  # (B, 2H)
            return context, alpha

        return read

    def forward_with_attention(
        self, source: torch.Tensor, target_in: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        logits, weights = super().forward_with_attention(source, target_in)
        assert weights is not None
        return logits, weights


class PlainSeq2Seq(_Seq2Seq):
    """The same encoder and decoder without attention: every step reads one fixed context,
    the encoder's final states, so the whole source must fit in that single vector."""

    def _reader(self, encoded: Encoded) -> ContextReader:
        return lambda state: (encoded.summary, None)


@dataclass
class Alignment:
    """Where the decoder looked while translating one source: rows are output characters
    (the last one is the end symbol), columns are source characters."""

    source: list[str]  # S characters of the source
    output: list[str]  # T characters produced, "</s>" last if the model stopped
    weights: torch.Tensor  # (T, S), each row sums to 1


@torch.no_grad()
def align(model: AttentionSeq2Seq, text: str, *, max_len: int = 12) -> Alignment:
    """Translate ``text`` greedily and return the attention weights behind each output
    character (the model's own output, not the reference, is fed back)."""
    model.eval()
    device = next(model.parameters()).device
    source = torch.tensor([SOURCE_VOCAB.encode(text)], device=device)  # (1, S)
    ids = greedy_decode(model, source, max_len=max_len)[0].tolist()
    if EOS in ids:
        ids = ids[: ids.index(EOS) + 1]
    target_in = torch.tensor([[BOS, *ids[:-1]]], device=device)  # what the decoder read
    _, weights = model.forward_with_attention(source, target_in)  # (1, T, S)
    output = [TARGET_VOCAB.itos[i] for i in ids]
    return Alignment(list(text), output, weights[0].cpu())
