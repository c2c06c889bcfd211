"""The date-translation task and the shared translation tools (dlcourse.data.dates, dlcourse.training.translation)."""

from __future__ import annotations

import datetime as dt

import pytest
import torch
import torch.nn.functional as F
from dlcourse.data.dates import (
    BOS,
    EOS,
    MONTHS,
    PAD,
    SOURCE_VOCAB,
    TARGET_VOCAB,
    WEEKDAYS,
    DatePair,
    date_pairs,
    day_in_words,
    encode_pairs,
    spanish_date,
)
from dlcourse.training.translation import (
    exact_match,
    field_accuracy,
    greedy_decode,
    teacher_forcing_loss,
    translate,
)
from torch import nn

DAY_WORDS = {day_in_words(d): d for d in range(1, 32)}


def read_spanish(text: str) -> dt.date:
    """An independent reader of the generated sources, to check them against their ISO form."""
    words = text.replace(",", "").split()
    if words[0] in WEEKDAYS:
        words = words[1:]
    if words[0] == "el":
        words = words[1:]
    year = int(words[-1])
    month_at = next(i for i, w in enumerate(words) if w in MONTHS)
    day_words = " ".join(w for w in words[:month_at] if w != "de")
    day = int(day_words) if day_words.isdigit() else DAY_WORDS[day_words]
    return dt.date(year, MONTHS.index(words[month_at]) + 1, day)


def test_day_in_words():
    assert [day_in_words(d) for d in (1, 16, 21, 22, 29, 30, 31)] == [
        "uno",
        "dieciséis",
        "veintiuno",
        "veintidós",
        "veintinueve",
        "treinta",
        "treinta y uno",
    ]
    for bad in (0, 32):
        with pytest.raises(ValueError):
            day_in_words(bad)


def test_sources_say_the_date_of_their_iso_form_and_the_true_weekday():
    pairs = date_pairs(600, seed=5)
    assert any(p.spanish.split()[0].rstrip(",") in WEEKDAYS for p in pairs)
    assert any(not any(ch.isdigit() for ch in p.spanish.split(" de ")[0]) for p in pairs)
    for pair in pairs:
        date = dt.date.fromisoformat(pair.iso)
        assert read_spanish(pair.spanish) == date, pair
        first = pair.spanish.split()[0].rstrip(",")
        if first in WEEKDAYS:
            assert WEEKDAYS.index(first) == date.weekday(), pair
        if " del " in pair.spanish:
            assert date.year >= 2000, pair
    # 3 March 2021 was a Wednesday
    assert spanish_date(dt.date(2021, 3, 3), style=1, day_as_words=False) == (
        "miércoles, 3 de marzo de 2021"
    )
    assert spanish_date(dt.date(1961, 4, 28), style=3, day_as_words=True) == (
        "el veintiocho de abril de 1961"
    )


def test_pairs_are_distinct_deterministic_and_exclude_works():
    train = date_pairs(500, seed=0, years=(2000, 2003))
    assert len({p.iso for p in train}) == 500
    assert train == date_pairs(500, seed=0, years=(2000, 2003))
    test = date_pairs(300, seed=1, years=(2000, 2003), exclude={p.iso for p in train})
    assert not {p.iso for p in test} & {p.iso for p in train}
    assert all("2000-01-01" <= p.iso <= "2003-12-31" for p in train + test)
    with pytest.raises(ValueError):  # 4 years hold 1461 dates, 500 are excluded
        date_pairs(1000, years=(2000, 2003), exclude={p.iso for p in train})


def test_vocabularies_round_trip_every_character():
    pairs = date_pairs(400, seed=2)
    for pair in pairs:
        assert SOURCE_VOCAB.decode(SOURCE_VOCAB.encode(pair.spanish)) == pair.spanish
        ids = TARGET_VOCAB.encode(pair.iso, add_bos=True, add_eos=True)
        assert ids[0] == BOS and ids[-1] == EOS and TARGET_VOCAB.decode(ids) == pair.iso
    assert len(TARGET_VOCAB) == 3 + 11  # specials + ten digits + hyphen
    # decoding skips padding and start symbols and stops at the first end symbol
    three = TARGET_VOCAB.stoi["3"]
    assert TARGET_VOCAB.decode([BOS, three, PAD, three, EOS, three]) == "33"


def test_encoded_pairs_shift_the_target_by_one():
    pairs = [
        DatePair("3 mayo 2001", "2001-05-03"),
        DatePair("el 21 de enero de 1987", "1987-01-21"),
    ]
    data = encode_pairs(pairs)
    assert data.source.shape == (2, len("el 21 de enero de 1987"))
    assert (data.source[0, len("3 mayo 2001") :] == PAD).all()
    assert data.target_in.shape == data.target_out.shape == (2, 11)
    assert (data.target_in[:, 0] == BOS).all() and (data.target_out[:, -1] == EOS).all()
    assert torch.equal(data.target_in[:, 1:], data.target_out[:, :-1])
    assert len(data.subset(torch.tensor([1]))) == 1


class Scripted(nn.Module):
    """A fake translator that emits a fixed id sequence per row, whatever the source."""

    def __init__(self, rows: list[list[int]]):
        super().__init__()
        self.rows = rows
        self.calls = 0

    def forward(self, source: torch.Tensor, target_in: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        t = target_in.shape[1]
        ids = torch.tensor([row[:t] + [PAD] * (t - len(row[:t])) for row in self.rows])
        return F.one_hot(ids, len(TARGET_VOCAB)).float()  # (B, t, V)


def test_greedy_decode_stops_once_every_row_has_ended():
    one, two = TARGET_VOCAB.stoi["1"], TARGET_VOCAB.stoi["2"]
    model = Scripted([[one, EOS, one, one, one], [two, two, EOS, one, one]])
    out = greedy_decode(model, torch.zeros(2, 4, dtype=torch.long), max_len=10)
    assert out.tolist() == [[one, EOS, one], [two, two, EOS]] and model.calls == 3
    assert translate(model, encode_pairs([DatePair("1 mayo 2001", "2001-05-01")] * 2)) == [
        "1",
        "22",
    ]
    endless = greedy_decode(Scripted([[one] * 20]), torch.zeros(1, 4, dtype=torch.long), max_len=5)
    assert endless.shape == (1, 5)


def test_exact_match_and_field_accuracy_on_hand_examples():
    targets = ["2021-03-03", "1961-04-28", "1999-12-31", "2000-01-01"]
    predictions = ["2021-03-03", "1961-04-29", "1999-21-31", "2001-01-"]
    assert exact_match(predictions, targets) == 0.25
    assert field_accuracy(predictions, targets) == {"year": 0.75, "month": 0.75, "day": 0.5}
    assert exact_match([], []) == 0.0
    with pytest.raises(ValueError):
        exact_match(["2021-03-03"], targets)


def test_teacher_forcing_loss_ignores_padding():
    pairs = [DatePair("3 mayo 2001", "2001-05-03")]
    data = encode_pairs(pairs)
    data.target_in = torch.cat([data.target_in, torch.full((1, 3), PAD)], dim=1)
    data.target_out = torch.cat([data.target_out, torch.full((1, 3), PAD)], dim=1)
    torch.manual_seed(0)
    logits = torch.randn(1, data.target_in.shape[1], len(TARGET_VOCAB))

    class Fixed(nn.Module):
        def forward(self, source, target_in):
            return logits

    expected = F.cross_entropy(logits[0, :11], data.target_out[0, :11])
    assert torch.allclose(teacher_forcing_loss(Fixed(), data), expected)
