"""Locality-sensitive hashing with random hyperplanes, and LSH-bucketed attention.

Two vectors at angle ``theta`` fall on the same side of a random hyperplane through the
origin with probability ``1 - theta / pi`` (Charikar, 2002). Concatenating ``bits`` such
signs gives a hash code that nearby vectors tend to share; several independent tables
recover the neighbors one table misses. Reformer (Kitaev, Kaiser and Levskaya, 2020,
arXiv:2001.04451) uses the same idea to restrict attention to keys hashed into the query's
bucket, so the score matrix is never ``T x T``. Introduced in lesson "Long sequences and LSH".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from dlcourse.runtime import seeded_generator


def random_planes(dim: int, count: int, *, seed: int) -> torch.Tensor:
    """``count`` random hyperplane normals in ``dim`` dimensions, shape (dim, count)."""
    return torch.randn(dim, count, generator=seeded_generator(seed))


def hyperplane_codes(x: torch.Tensor, planes: torch.Tensor) -> torch.Tensor:
    """One integer code per row of ``x`` (N, D): bit ``b`` is the side of hyperplane ``b``."""
    bits = (x @ planes > 0).long()  # (N, H)
    weights = 2 ** torch.arange(planes.shape[1])  # (H,)
    return bits @ weights  # (N,)


@dataclass
class HyperplaneIndex:
    """``tables`` hash tables of ``bits`` random hyperplanes each, over unit-normalized rows.

    A query's candidates are the stored rows sharing its code in at least one table; only
    those are compared exactly. More bits: smaller buckets (fewer candidates, more misses);
    more tables: more chances to meet each true neighbor (more candidates, fewer misses).
    """

    data: torch.Tensor  # (N, D), unit rows
    planes: list[torch.Tensor]  # tables x (D, bits)
    codes: list[torch.Tensor]  # tables x (N,)

    @classmethod
    def build(cls, data: torch.Tensor, *, bits: int, tables: int, seed: int = 0) -> HyperplaneIndex:
        data = F.normalize(data, dim=1)
        planes = [random_planes(data.shape[1], bits, seed=seed + t) for t in range(tables)]
        return cls(data, planes, [hyperplane_codes(data, p) for p in planes])

    def candidates(self, query: torch.Tensor) -> torch.Tensor:
        """Indices of stored rows that share a bucket with ``query`` (D,) in any table."""
        query = F.normalize(query, dim=0)
        hit = torch.zeros(len(self.data), dtype=torch.bool)
        for planes, codes in zip(self.planes, self.codes, strict=True):
            hit |= codes == hyperplane_codes(query[None], planes)[0]
        return torch.nonzero(hit).squeeze(1)

    def search(self, query: torch.Tensor, k: int) -> tuple[torch.Tensor, int]:
        """The ``k`` most cosine-similar candidates (fewer if the buckets hold fewer), and how
        many rows were compared."""
        rows = self.candidates(query)
        similarity = self.data[rows] @ F.normalize(query, dim=0)  # (n_candidates,)
        best = similarity.topk(min(k, len(rows))).indices
        return rows[best], len(rows)


def exact_neighbours(data: torch.Tensor, queries: torch.Tensor, k: int) -> torch.Tensor:
    """Indices of the ``k`` most cosine-similar rows of ``data`` for each query, (Q, k)."""
    similarity = F.normalize(queries, dim=1) @ F.normalize(data, dim=1).T  # (Q, N)
    return similarity.topk(k, dim=1).indices


def recall_and_cost(
    index: HyperplaneIndex, queries: torch.Tensor, truth: torch.Tensor
) -> tuple[float, float]:
    """Mean recall@k against ``truth`` (Q, k) and mean fraction of the data compared."""
    k = truth.shape[1]
    recalls, scanned = [], []
    for query, true_rows in zip(queries, truth, strict=True):
        found, compared = index.search(query, k)
        recalls.append(len(set(found.tolist()) & set(true_rows.tolist())) / k)
        scanned.append(compared / len(index.data))
    return sum(recalls) / len(recalls), sum(scanned) / len(scanned)


def angular_buckets(x: torch.Tensor, buckets: int, *, seed: int) -> torch.Tensor:
    """Reformer's angular hash: ``argmax([xR; -xR])`` for a random R (D, buckets/2).

    x: (T, D) -> bucket ids (T,) in ``0..buckets-1``; vectors pointing the same way share one.
    """
    rotations = random_planes(x.shape[1], buckets // 2, seed=seed)  # (D, b/2)
    rotated = F.normalize(x, dim=1) @ rotations  # (T, b/2)
    return torch.cat([rotated, -rotated], dim=1).argmax(dim=1)


def full_attention(qk: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Shared-QK attention over the whole (T, T) score matrix, the reference for
    :func:`lsh_attention`: queries ``qk``, keys ``qk`` normalized, as Reformer does.

    qk, v: (T, D) -> (T, D).
    """
    scores = qk @ F.normalize(qk, dim=1).T / math.sqrt(qk.shape[1])  # (T, T)
    return torch.softmax(scores, dim=-1) @ v  # (T, D)


def lsh_attention(
    qk: torch.Tensor, v: torch.Tensor, *, buckets: int, chunk: int, seed: int = 0
) -> torch.Tensor:
    """Single-round LSH attention with shared queries and keys, as in Reformer.

    Positions are sorted by (bucket, position) and cut into chunks of ``chunk``; each chunk
    attends to itself and the previous chunk, only to keys of the same bucket. The largest
    score tensor is (T / chunk, chunk, 2 * chunk) instead of (T, T). Simplifications: one
    hash round, and a position may attend to itself (Reformer masks that except when
    nothing else is available). qk, v: (T, D) with T a multiple of ``chunk``.
    """
    length, dim = qk.shape
    bucket = angular_buckets(qk, buckets, seed=seed)  # (T,)
    order = torch.argsort(bucket * length + torch.arange(length))  # stable by position
    keys = F.normalize(qk, dim=1)[order]  # Reformer normalizes the shared keys
    q, v_sorted, b = qk[order], v[order], bucket[order]
    n = length // chunk
    q, keys, v_sorted, b = (t.reshape(n, chunk, *t.shape[1:]) for t in (q, keys, v_sorted, b))

    def with_previous(t: torch.Tensor) -> torch.Tensor:  # (n, chunk, ...) -> (n, 2 chunk, ...)
        return torch.cat([t, torch.roll(t, 1, dims=0)], dim=1)

    scores = q @ with_previous(keys).transpose(1, 2) / math.sqrt(dim)  # (n, chunk, 2 chunk)
    same_bucket = b[:, :, None] == with_previous(b)[:, None, :]  # (n, chunk, 2 chunk)
    weights = torch.softmax(scores.masked_fill(~same_bucket, float("-inf")), dim=-1)
    out_sorted = (weights @ with_previous(v_sorted)).reshape(length, -1)  # (T, D)
    out = torch.empty_like(out_sorted)
    out[order] = out_sorted  # back to the original positions
    return out


def clustered_sequence(
    length: int, dim: int, clusters: int, *, noise: float = 0.2, seed: int = 0
) -> torch.Tensor:
    """A (T, D) sequence of vectors, each a random one of ``clusters`` directions plus noise
    of relative size ``noise``.

    Attention over such a sequence is nearly block-structured (a position attends to its own
    cluster), the situation in which restricting attention to a hash bucket loses little.
    """
    generator = seeded_generator(seed)
    centres = F.normalize(torch.randn(clusters, dim, generator=generator), dim=1)  # (C, D)
    labels = torch.randint(clusters, (length,), generator=generator)  # (T,)
    # Length ``dim``: scores q.k/sqrt(d) near sqrt(d) within a cluster, near 0 across clusters.
    jitter = noise / math.sqrt(dim) * torch.randn(length, dim, generator=generator)  # norm ~noise
    return dim * F.normalize(centres[labels] + jitter, dim=1)
