"""Tokenizers written from scratch: characters, words and byte-level BPE.

The BPE tokenizer follows Sennrich et al. (2016) on UTF-8 bytes, as GPT-2 does: the base
vocabulary is the 256 byte values, so any text can be encoded (no unknown tokens) and decoding
gives back exactly the original string. Text is first cut into chunks (a word with its leading
space, a run of punctuation, whitespace) and merges never cross a chunk boundary.

Introduced in lesson "Tokenization".
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import torch

CHUNK_PATTERN = re.compile(r" ?\w+| ?[^\w\s]+|\s+")
"""Pre-tokenization: a word with its leading space, a run of punctuation, or whitespace."""

SPACE_MARK = "▁"  # shown in place of a leading space when printing tokens (SentencePiece style)


def char_tokenize(text: str) -> list[str]:
    """One token per Unicode character (spaces included)."""
    return list(text)


def word_tokenize(text: str, *, lowercase: bool = True) -> list[str]:
    """Words and punctuation marks as tokens; spaces are dropped, so this is not reversible."""
    return re.findall(r"\w+|[^\w\s]", text.lower() if lowercase else text)


def pad_batch(sequences: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Id lists of different lengths -> a padded (B, T_max) tensor and their lengths (B,).

    Padding goes at the end (right padding), so position t means the same in every row.
    Shared by every lesson that batches token ids (introduced in "Sequence classification").
    """
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.long)  # (B,)
    ids = torch.full((len(sequences), int(lengths.max())), pad_id, dtype=torch.long)
    for row, sequence in enumerate(sequences):
        ids[row, : len(sequence)] = torch.as_tensor(sequence, dtype=torch.long)
    return ids, lengths


class Vocabulary:
    """A token <-> id map with reserved special tokens (padding first, unknown second).

    Tokens not in the vocabulary map to ``<unk>``: the price of a closed word vocabulary.
    Introduced in lesson "Tokenization".
    """

    def __init__(self, tokens: Sequence[str], *, specials: Sequence[str] = ("<pad>", "<unk>")):
        self.itos: list[str] = list(dict.fromkeys([*specials, *tokens]))  # id -> token
        self.stoi: dict[str, int] = {token: i for i, token in enumerate(self.itos)}
        self.specials = tuple(specials)

    @classmethod
    def build(
        cls,
        tokens: Iterable[str],
        *,
        min_count: int = 1,
        max_size: int | None = None,
        specials: Sequence[str] = ("<pad>", "<unk>"),
    ) -> Vocabulary:
        """Most frequent tokens first (ties alphabetical, so the order is reproducible)."""
        counts = Counter(tokens)
        kept = sorted(
            (t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t)
        )
        if max_size is not None:
            kept = kept[: max(0, max_size - len(specials))]
        return cls(kept, specials=specials)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: str) -> bool:
        return token in self.stoi

    @property
    def pad_id(self) -> int:
        return self.stoi["<pad>"]

    @property
    def unk_id(self) -> int:
        return self.stoi["<unk>"]

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Ids of the tokens; unknown ones become ``unk_id``."""
        unk = self.stoi.get("<unk>")
        if unk is None:  # no <unk> entry (``specials`` without it): every token must be known
            return [self.stoi[token] for token in tokens]
        return [self.stoi.get(token, unk) for token in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.itos[i] for i in ids]

    def unknown_rate(self, tokens: Sequence[str]) -> float:
        """Share of tokens that the vocabulary does not contain."""
        return sum(token not in self.stoi for token in tokens) / max(len(tokens), 1)


@dataclass
class BPETokenizer:
    """Byte-level byte-pair encoding: 256 byte tokens plus one new token per learned merge.

    ``merges[k] = (a, b)`` means token ``256 + k`` is the concatenation of tokens ``a`` and
    ``b``; earlier merges have priority when encoding. Train with :meth:`train`.
    Introduced in lesson "Tokenization".
    """

    merges: list[tuple[int, int]] = field(default_factory=list)
    merge_counts: list[int] = field(default_factory=list)  # pair frequency when it was merged

    def __post_init__(self) -> None:
        self.ranks = {pair: rank for rank, pair in enumerate(self.merges)}
        self.vocab: list[bytes] = [bytes([b]) for b in range(256)]
        for a, b in self.merges:
            self.vocab.append(self.vocab[a] + self.vocab[b])
        self._cache: dict[tuple[str, int], list[int]] = {}

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @classmethod
    def train(cls, text: str, num_merges: int, *, min_frequency: int = 2) -> BPETokenizer:
        """Learn up to ``num_merges`` merges from ``text``, most frequent adjacent pair first.

        Chunks are counted once with their frequency, and after each merge only the chunks
        that contain the merged pair are updated; a heap finds the most frequent pair. Training
        takes well under a second on the course corpus. Ties go to the smaller pair of ids, so
        the result is deterministic.
        Stops early when no pair occurs ``min_frequency`` times.
        """
        chunk_counts = Counter(CHUNK_PATTERN.findall(text))
        words = [list(chunk.encode("utf-8")) for chunk in chunk_counts]
        freqs = list(chunk_counts.values())
        pair_counts: Counter[tuple[int, int]] = Counter()
        where: dict[tuple[int, int], set[int]] = {}
        for index, (word, freq) in enumerate(zip(words, freqs, strict=True)):
            for pair in pairwise(word):
                pair_counts[pair] += freq
                where.setdefault(pair, set()).add(index)

        # A max-heap of (-count, pair) entries; stale entries are skipped when popped.
        heap = [(-count, pair) for pair, count in pair_counts.items()]
        heapq.heapify(heap)
        merges: list[tuple[int, int]] = []
        counts: list[int] = []
        while len(merges) < num_merges and heap:
            negative, best = heapq.heappop(heap)
            if pair_counts.get(best, 0) != -negative:
                continue  # stale: this pair's count changed after the entry was pushed
            if -negative < min_frequency:
                break
            new_id = 256 + len(merges)
            merges.append(best)
            counts.append(-negative)
            changed: set[tuple[int, int]] = set()
            for index in sorted(where.pop(best, ())):
                word, freq = words[index], freqs[index]
                for pair in pairwise(word):  # remove this word's old pairs
                    pair_counts[pair] -= freq
                    changed.add(pair)
                word = _merge(word, best, new_id)
                words[index] = word
                for pair in pairwise(word):  # and add its new ones
                    pair_counts[pair] += freq
                    changed.add(pair)
                    where.setdefault(pair, set()).add(index)
            for pair in sorted(changed):
                if pair_counts[pair] > 0:
                    heapq.heappush(heap, (-pair_counts[pair], pair))
                else:
                    del pair_counts[pair]
        return cls(merges=merges, merge_counts=counts)

    def truncated(self, num_merges: int) -> BPETokenizer:
        """The same tokenizer with only its first ``num_merges`` merges (a smaller vocabulary)."""
        return BPETokenizer(self.merges[:num_merges], self.merge_counts[:num_merges])

    def _encode_chunk(self, chunk: str) -> list[int]:
        ids = list(chunk.encode("utf-8"))
        while len(ids) > 1:
            pair = min(pairwise(ids), key=lambda p: self.ranks.get(p, len(self.ranks)))
            rank = self.ranks.get(pair)
            if rank is None:
                break
            ids = _merge(ids, pair, 256 + rank)
        return ids

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``; every string can be encoded (there is no unknown token)."""
        ids: list[int] = []
        for chunk in CHUNK_PATTERN.findall(text):
            key = (chunk, len(self.merges))
            if key not in self._cache:
                self._cache[key] = self._encode_chunk(chunk)
            ids.extend(self._cache[key])
        return ids

    def decode(self, ids: Iterable[int]) -> str:
        """The text back from token ids: ``decode(encode(s)) == s`` for every string ``s``."""
        return b"".join(self.vocab[i] for i in ids).decode("utf-8", errors="replace")

    def token_text(self, token_id: int) -> str:
        """A printable form of one token: leading space as ``▁``, split UTF-8 bytes as ``\\xNN``."""
        text = self.vocab[token_id].decode("utf-8", errors="backslashreplace")
        return text.replace(" ", SPACE_MARK).replace("\n", "\\n")

    def segment(self, text: str, *, sep: str = "|") -> str:
        """``text`` with its tokens separated by ``sep``, to see where BPE cuts."""
        return sep.join(self.token_text(i) for i in self.encode(text))


def _merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace every non-overlapping occurrence of ``pair`` in ``ids`` by ``new_id``."""
    out: list[int] = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out
