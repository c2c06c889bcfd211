"""A transformer encoder-decoder written out piece by piece, sized for the date task.

* :func:`attention_with_masks` and :class:`MultiHeadAttention`: scaled dot-product attention
  over several heads at once, with a key padding mask and an attention mask (for causality).
  Masks follow the convention of :class:`torch.nn.MultiheadAttention`: ``True`` means
  *blocked*, so the same masks can be passed to both and the outputs compared
  (:func:`to_torch_attention`).
* :func:`sinusoidal_encoding`: the positional encoding of Vaswani et al. (2017,
  arXiv:1706.03762), section 3.5.
* :class:`EncoderBlock`, :class:`DecoderBlock`: self-attention, cross-attention and a
  position-wise feed-forward network, each wrapped in a residual connection with layer
  normalization. Pre-norm by default (``LayerNorm`` inside the residual branch, as in Xiong
  et al., 2020, arXiv:2002.04745), because it trains with a constant learning rate and no
  warm-up; ``norm_first=False`` gives the paper's post-norm.
* :class:`DateTransformer`: the whole encoder-decoder, with the interface of
  :mod:`dlcourse.training.translation` (``model(source, target_in)`` returns logits ``(B, T, V)``).

Introduced in lesson "A transformer by hand".
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

from dlcourse.data.dates import PAD


def causal_mask(length: int, device: torch.device | str | None = None) -> torch.Tensor:
    """(T, T) boolean mask, True above the diagonal: position t may not see positions > t."""
    return torch.ones(length, length, dtype=torch.bool, device=device).triu(diagonal=1)


def attention_with_masks(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    *,
    key_padding_mask: torch.Tensor | None = None,
    attn_mask: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """softmax(q k^T / sqrt(d) + masks) v over leading batch and head dimensions.

    q: (B, H, Q, d), k and v: (B, H, K, d). ``key_padding_mask`` (B, K) blocks keys per
    example (padding); ``attn_mask`` (Q, K) blocks query-key pairs for every example (the
    future). Blocked scores become minus infinity, hence a weight of exactly 0; every query
    must keep at least one key. Returns the output (B, H, Q, d) and the weights (B, H, Q, K).
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (B, H, Q, K)
    if attn_mask is not None:
        scores = scores.masked_fill(attn_mask, float("-inf"))  # broadcast over B, H
    if key_padding_mask is not None:
        scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


class MultiHeadAttention(nn.Module):
    """Multi-head attention by hand: project, split into heads, attend, concatenate, project.

    ``head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)`` and the output is
    ``Concat(head_1, ..., head_h) W^O``. The h projections of size d_model/h are stored as
    one d_model x d_model matrix each for Q, K and V and cut into heads after the product,
    which is the same computation done in one matrix product instead of h.
    """

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def _split(self, x: torch.Tensor) -> torch.Tensor:  # (B, L, D) -> (B, H, L, D/H)
        return x.unflatten(-1, (self.n_heads, self.d_head)).transpose(1, 2)

    def forward(
        self,
        query: torch.Tensor,  # (B, Q, D)
        key: torch.Tensor,  # (B, K, D)
        value: torch.Tensor,  # (B, K, D)
        *,
        key_padding_mask: torch.Tensor | None = None,  # (B, K), True at padding
        attn_mask: torch.Tensor | None = None,  # (Q, K), True where blocked
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Output (B, Q, D) and the weights of every head (B, H, Q, K)."""
        q = self._split(self.q_proj(query))
        k = self._split(self.k_proj(key))
        v = self._split(self.v_proj(value))
        heads, weights = attention_with_masks(
            q, k, v, key_padding_mask=key_padding_mask, attn_mask=attn_mask
        )  # (B, H, Q, D/H)
        concat = heads.transpose(1, 2).flatten(-2)  # (B, Q, D), heads side by side
        return self.out_proj(concat), weights


def to_torch_attention(mine: MultiHeadAttention) -> nn.MultiheadAttention:
    """An ``nn.MultiheadAttention`` (batch first) holding exactly the weights of ``mine``.

    PyTorch keeps the three input projections stacked in one ``in_proj_weight`` (3D, D) in
    the order Q, K, V; the output projection is a Linear like ours.
    """
    d_model = mine.q_proj.in_features
    theirs = nn.MultiheadAttention(d_model, mine.n_heads, batch_first=True)
    theirs = theirs.to(mine.q_proj.weight.device)
    projections = (mine.q_proj, mine.k_proj, mine.v_proj)
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat([p.weight for p in projections]))
        theirs.in_proj_bias.copy_(torch.cat([p.bias for p in projections]))
        theirs.out_proj.weight.copy_(mine.out_proj.weight)
        theirs.out_proj.bias.copy_(mine.out_proj.bias)
    return theirs


def sinusoidal_encoding(length: int, d_model: int) -> torch.Tensor:
    """(length, d_model) table: PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(same).

    Each pair of columns is a sine and cosine of one frequency; the wavelengths grow
    geometrically from 2 pi to 10000 * 2 pi, so nearby positions get similar vectors and
    a fixed offset is a fixed rotation of each pair (a linear map that attention can use).
    """
    if d_model % 2:
        raise ValueError("d_model must be even (columns come in sine-cosine pairs)")
    position = torch.arange(length, dtype=torch.float32)[:, None]  # (L, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float32)  # (D/2,)
    angle = position / 10000 ** (two_i / d_model)  # (L, D/2)
    table = torch.empty(length, d_model)
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)
    return table


class FeedForward(nn.Sequential):
    """FFN(x) = max(0, x W1 + b1) W2 + b2, applied to every position separately."""

    def __init__(self, d_model: int, d_ff: int):
        super().__init__(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))


class _Residual(nn.Module):
    """x + dropout(sublayer(LayerNorm(x))) when pre-norm, LayerNorm(x + dropout(sublayer(x)))
    when post-norm; ``sublayer`` is passed to :meth:`forward`, so one wrapper serves all."""

    def __init__(self, d_model: int, dropout: float, norm_first: bool):
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        self.norm_first = norm_first

    def forward(
        self, x: torch.Tensor, sublayer: Callable[[torch.Tensor], object]
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """New x and, when the sublayer is an attention, its weights (else None)."""
        out = sublayer(self.norm(x) if self.norm_first else x)
        out, weights = out if isinstance(out, tuple) else (out, None)
        x = x + self.dropout(out)
        return (x if self.norm_first else self.norm(x)), weights


class EncoderBlock(nn.Module):
    """Self-attention over the source, then the feed-forward network, each with a residual."""

    def __init__(
        self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0, norm_first: bool = True
    ):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.ff = FeedForward(d_model, d_ff)
        self.res_attn = _Residual(d_model, dropout, norm_first)
        self.res_ff = _Residual(d_model, dropout, norm_first)

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor | None) -> torch.Tensor:
        # x: (B, S, D); pad_mask: (B, S), True at padding (no position attends to padding)
        x, _ = self.res_attn(x, lambda h: self.self_attn(h, h, h, key_padding_mask=pad_mask))
        x, _ = self.res_ff(x, self.ff)
        return x


class DecoderBlock(nn.Module):
    """Masked self-attention over the output so far, cross-attention to the encoder output
    (queries from the decoder, keys and values from the source), then the feed-forward network."""

    def __init__(
        self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0, norm_first: bool = True
    ):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.cross_attn = MultiHeadAttention(d_model, n_heads)
        self.ff = FeedForward(d_model, d_ff)
        self.res_self = _Residual(d_model, dropout, norm_first)
        self.res_cross = _Residual(d_model, dropout, norm_first)
        self.res_ff = _Residual(d_model, dropout, norm_first)

    def forward(
        self,
        y: torch.Tensor,  # (B, T, D) decoder states
        memory: torch.Tensor,  # (B, S, D) encoder output
        memory_pad_mask: torch.Tensor | None,  # (B, S), True at source padding
        causal: torch.Tensor,  # (T, T), True above the diagonal
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """New decoder states (B, T, D) and the cross-attention weights (B, H, T, S)."""
        y, _ = self.res_self(y, lambda h: self.self_attn(h, h, h, attn_mask=causal))
        y, cross = self.res_cross(
            y, lambda h: self.cross_attn(h, memory, memory, key_padding_mask=memory_pad_mask)
        )
        y, _ = self.res_ff(y, self.ff)
        assert cross is not None
        return y, cross


class DateTransformer(nn.Module):
    """Encoder-decoder transformer for character translation (Vaswani et al., 2017).

    Embeddings are scaled by sqrt(d_model) and summed with the sinusoidal encoding, as in
    the paper's section 3.4. With pre-norm blocks the residual stream is never normalized
    inside the stacks, so a final LayerNorm closes the encoder and the decoder.
    ``causal=False`` drops the decoder's causal mask; it exists only for an exercise.
    """

    positions: torch.Tensor  # (max_len, d_model), a buffer registered in __init__

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        *,
        d_model: int = 64,
        n_heads: int = 4,
        n_layers: int = 2,
        d_ff: int | None = None,
        dropout: float = 0.0,
        norm_first: bool = True,
        max_len: int = 64,
        causal: bool = True,
    ):
        super().__init__()
        d_ff = d_ff or 4 * d_model  # the paper's ratio, 2048 / 512
        self.d_model, self.causal = d_model, causal
        self.source_embed = nn.Embedding(source_vocab_size, d_model, padding_idx=PAD)
        self.target_embed = nn.Embedding(target_vocab_size, d_model, padding_idx=PAD)
        self.register_buffer("positions", sinusoidal_encoding(max_len, d_model), persistent=False)
        self.dropout = nn.Dropout(dropout)
        block = (d_model, n_heads, d_ff, dropout, norm_first)
        self.encoder = nn.ModuleList(EncoderBlock(*block) for _ in range(n_layers))
        self.decoder = nn.ModuleList(DecoderBlock(*block) for _ in range(n_layers))
        self.encoder_norm = nn.LayerNorm(d_model) if norm_first else nn.Identity()
        self.decoder_norm = nn.LayerNorm(d_model) if norm_first else nn.Identity()
        self.output = nn.Linear(d_model, target_vocab_size)
        for table in (self.source_embed, self.target_embed):
            # std d^-1/2, so that after the sqrt(d) scaling the embeddings have unit variance,
            # like the positional encoding; with PyTorch's N(0, 1) they would drown it.
            nn.init.normal_(table.weight, std=d_model**-0.5)
            with torch.no_grad():
                table.weight[PAD].zero_()

    def _embed(self, ids: torch.Tensor, table: nn.Embedding) -> torch.Tensor:
        length = ids.shape[1]
        x = table(ids) * math.sqrt(self.d_model) + self.positions[:length]  # (B, L, D)
        return self.dropout(x)

    def encode(self, source: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Encoder output (B, S, D) and the source padding mask (B, S), True at PAD."""
        pad_mask = source == PAD
        x = self._embed(source, self.source_embed)
        for block in self.encoder:
            x = block(x, pad_mask)
        return self.encoder_norm(x), pad_mask

    def forward_with_attention(
        self, source: torch.Tensor, target_in: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits (B, T, V) and cross-attention weights (n_layers, B, H, T, S)."""
        memory, pad_mask = self.encode(source)
        causal = causal_mask(target_in.shape[1], device=target_in.device)
        if not self.causal:  # only to show what goes wrong: every position sees the answer
            causal = torch.zeros_like(causal)
        y = self._embed(target_in, self.target_embed)
        cross = []
        for block in self.decoder:
            y, weights = block(y, memory, pad_mask, causal)
            cross.append(weights)
        return self.output(self.decoder_norm(y)), torch.stack(cross)

    def forward(self, source: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        """Next-character logits (B, T, V) for source ids (B, S) and decoder input (B, T)."""
        return self.forward_with_attention(source, target_in)[0]
