"""The benchmark compares printed numbers between builds with wall-clock values masked."""

from __future__ import annotations

from coursebuild.benchmark import CODE_EDIT, PACKAGE_EDIT, PROSE_EDIT, WALL_CLOCK

from .conftest import ROOT


def mask(text: str) -> str:
    return WALL_CLOCK.sub(" <time>", text)


def test_right_aligned_timings_mask_to_the_same_text():
    fast = "cpu       64       9.12 ms       57.5 GFLOP/s\n"
    slow = "cpu       64     123.45 ms     1204.0 GFLOP/s\n"
    assert mask(fast) == mask(slow)


def test_numbers_without_a_time_unit_are_kept():
    line = "epoch  3 · loss 0.412 · 1.0 MB of scores · accuracy 0.981"
    assert mask(line) == line
    assert mask("accuracy 0.981 after 12.5 s") != mask("accuracy 0.982 after 12.5 s")


def test_the_benchmark_edits_find_their_targets():
    """The rebuild scenarios edit real lines of the course: a lesson rewrite must keep them."""
    for path, old, _new in (PROSE_EDIT, CODE_EDIT):
        assert (ROOT / path).read_text().count(old) == 1, f"{path}: {old!r}"
    assert (ROOT / PACKAGE_EDIT).exists()
