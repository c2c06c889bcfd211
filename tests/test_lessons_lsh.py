"""Reusable pieces of the lesson "Long sequences and LSH"."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from dlcourse.lessons.lsh import (
    HyperplaneIndex,
    angular_buckets,
    clustered_sequence,
    exact_neighbours,
    full_attention,
    hyperplane_codes,
    lsh_attention,
    random_planes,
    recall_and_cost,
)


def test_codes_pack_one_sign_bit_per_plane():
    planes = torch.eye(3)  # the coordinate axes as normals
    x = torch.tensor([[1.0, -1.0, 1.0], [-1.0, -1.0, -1.0]])
    assert hyperplane_codes(x, planes).tolist() == [0b101, 0]


def test_collision_rate_matches_one_minus_angle_over_pi():
    planes = random_planes(16, 20000, seed=3)
    x = torch.zeros(16)
    x[0] = 1.0
    y = torch.zeros(16)
    y[0], y[1] = math.cos(math.pi / 3), math.sin(math.pi / 3)  # 60 degrees apart
    same = (torch.sign(x @ planes) == torch.sign(y @ planes)).float().mean().item()
    assert same == pytest.approx(2 / 3, abs=0.015)


def test_more_tables_raise_recall_and_cost():
    data = torch.randn(400, 16, generator=torch.Generator().manual_seed(0))
    queries = data[:40] + 0.1 * torch.randn(40, 16, generator=torch.Generator().manual_seed(1))
    truth = exact_neighbours(data, queries, k=5)
    one = recall_and_cost(HyperplaneIndex.build(data, bits=6, tables=1), queries, truth)
    many = recall_and_cost(HyperplaneIndex.build(data, bits=6, tables=12), queries, truth)
    assert many[0] > one[0] and many[1] > one[1]
    # The stated bound on this fixed data set: 12 tables of 6 bits find at least 80 % of the
    # 5 true neighbours while comparing each query with at most a quarter of the data.
    assert many[0] >= 0.8 and many[1] <= 0.25
    # With every row a candidate, the search is exact.
    everything = HyperplaneIndex.build(data, bits=0, tables=1)
    assert recall_and_cost(everything, queries, truth) == (1.0, 1.0)


def test_angular_buckets_are_shared_by_parallel_vectors():
    x = torch.randn(50, 8, generator=torch.Generator().manual_seed(0))
    buckets = angular_buckets(x, 8, seed=0)
    assert buckets.min() >= 0 and buckets.max() < 8
    assert torch.equal(buckets, angular_buckets(3.0 * x, 8, seed=0))


def test_lsh_attention_equals_full_attention_when_everything_shares_a_bucket():
    x = torch.randn(64, 8, generator=torch.Generator().manual_seed(0))
    v = torch.randn(64, 8, generator=torch.Generator().manual_seed(1))
    # Two buckets, but a chunk covering the whole sequence sees every key of its bucket.
    approx = lsh_attention(x, v, buckets=2, chunk=64)
    buckets = angular_buckets(x, 2, seed=0)
    for bucket in (0, 1):
        rows = buckets == bucket
        exact = (
            torch.softmax(x[rows] @ F.normalize(x[rows], dim=1).T / math.sqrt(8), dim=-1) @ v[rows]
        )
        assert torch.allclose(approx[rows], exact, atol=1e-5)


def test_lsh_attention_approximates_clustered_attention():
    seq = clustered_sequence(512, 32, clusters=8, seed=0)
    exact = full_attention(seq, seq)
    approx = lsh_attention(seq, seq, buckets=8, chunk=64)
    assert ((approx - exact).norm() / exact.norm()).item() < 0.1
