"""Reusable pieces of the lesson "Embeddings"."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from dlcourse.data.corpus import WORD_CATEGORIES, everyday_sentences
from dlcourse.lessons.embeddings import (
    SkipGram,
    category_agreement,
    chance_agreement,
    keep_probabilities,
    nearest_neighbours,
    noise_distribution,
    one_hot_lookup,
    pca_2d,
    skipgram_pairs,
    train_skipgram,
)
from dlcourse.text.tokenizers import Vocabulary


def test_embedding_lookup_equals_one_hot_times_matrix():
    torch.manual_seed(0)
    embedding = torch.nn.Embedding(7, 3)
    ids = torch.tensor([[0, 6, 2], [2, 2, 5]])
    assert torch.allclose(one_hot_lookup(embedding, ids), embedding(ids))
    # the one-hot product gets the lookup's gradient: only the rows looked up receive one
    (by_one_hot,) = torch.autograd.grad(one_hot_lookup(embedding, ids).sum(), embedding.weight)
    (by_lookup,) = torch.autograd.grad(embedding(ids).sum(), embedding.weight)
    assert torch.allclose(by_one_hot, by_lookup)
    touched = by_one_hot.abs().sum(1) > 0
    assert touched.tolist() == [True, False, True, False, False, True, True]


def test_skipgram_pairs_on_a_tiny_example():
    pairs = skipgram_pairs([[1, 2, 3], [4, 5]], window=1).tolist()
    assert pairs == [[1, 2], [2, 1], [2, 3], [3, 2], [4, 5], [5, 4]]  # no pair crosses sentences
    wide = skipgram_pairs([[1, 2, 3, 4]], window=2)
    assert len(wide) == 2 + 3 + 3 + 2 and [1, 3] in wide.tolist() and [1, 4] not in wide.tolist()
    # keep probability 0 removes a word before the windows are taken: 1 and 3 become neighbours
    keep = torch.tensor([1.0, 1.0, 0.0, 1.0])
    assert skipgram_pairs([[1, 2, 3]], window=1, keep=keep).tolist() == [[1, 3], [3, 1]]


def test_noise_distribution_and_subsampling():
    counts = torch.tensor([0.0, 1.0, 16.0, 81.0])
    noise = noise_distribution(counts)
    assert math.isclose(noise.sum().item(), 1.0, rel_tol=1e-6)
    assert torch.allclose(noise, torch.tensor([0.0, 1.0, 8.0, 27.0]) / 36.0)  # counts ** 3/4
    assert noise[1] > counts[1] / counts.sum()  # rare words are drawn more often than their share
    keep = keep_probabilities(torch.tensor([1.0, 999.0]), threshold=1e-2)
    assert keep[0] == 1.0 and math.isclose(keep[1].item(), math.sqrt(1e-2 / 0.999), rel_tol=1e-5)


def test_negative_sampling_loss_by_hand():
    model = SkipGram(4, 2)
    with torch.no_grad():
        model.center.weight.copy_(torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
        model.context.weight.copy_(torch.tensor([[0.0, 0.0], [2.0, 0.0], [0.0, -1.0], [1.0, 1.0]]))
    loss = model.loss(torch.tensor([1]), torch.tensor([1]), torch.tensor([[2, 3]]))
    # u_o·v_c = 2, u_2·v_c = 0, u_3·v_c = 1
    expected = -(F.logsigmoid(torch.tensor(2.0)) + F.logsigmoid(torch.tensor(0.0)))
    expected = expected - F.logsigmoid(torch.tensor(-1.0))
    assert torch.isclose(loss, expected)


def test_neighbours_agreement_and_pca_on_hand_made_vectors():
    vocab = Vocabulary(["a1", "a2", "b1", "b2"], specials=("<unk>",))
    vectors = torch.tensor([[0.0, 0.0], [1.0, 0.1], [1.0, 0.0], [0.0, 1.0], [0.1, 1.0]])
    assert [w for w, _ in nearest_neighbours(vectors, vocab, "a1", k=2)] == ["a2", "b2"]
    groups = {"a": ["a1", "a2"], "b": ["b1", "b2"]}
    assert category_agreement(vectors, vocab, groups, k=1) == 1.0
    assert math.isclose(chance_agreement(vocab, groups), 1 / 3)
    coords, explained = pca_2d(vectors[1:])
    assert coords.shape == (4, 2) and math.isclose(explained.sum().item(), 1.0, rel_tol=1e-5)


def test_trained_vectors_beat_random_ones_on_category_agreement():
    sentences = [s.split() for s in everyday_sentences(300, seed=0)]
    run = train_skipgram(sentences, dim=16, epochs=4, seed=0)
    assert run.losses[-1] < run.losses[0]
    categories = {c: WORD_CATEGORIES[c] for c in ("días", "animales", "colores", "meses")}
    random = torch.randn(run.vectors.shape, generator=torch.Generator().manual_seed(0))
    trained = category_agreement(run.vectors, run.vocab, categories)
    assert trained > 0.8 > category_agreement(random, run.vocab, categories) + 0.3
    again = train_skipgram(sentences, dim=16, epochs=4, seed=0)
    assert torch.equal(run.vectors, again.vectors)  # deterministic for a fixed seed
