"""Every page's default solves its own problem soon after Start: the criterion of
ffnviz.first_seconds, met at seed 0 within a stated number of updates (quality, not time: the
seconds are benchmarks/bench_first_seconds.py's and bench_live.py's, every seed in
docs/PERFORMANCE.md "The first seconds")."""

from __future__ import annotations

import pytest

from ffnviz.first_seconds import CRITERIA, page_default, solve

# Updates within which seed 0 must be solved, with room above what it needs today (in brackets).
WITHIN = {
    "playground": 25 * 30,  # 30 epochs (7): the target, TF Playground needed 68
    "optimizers": 25 * 150,  # 150 epochs (93: Adam first)
    "attention": 250,  # (50)
    "convolution": 600,  # (270)
    "text": 300,  # (87)
}


def test_every_page_with_a_criterion_has_a_bound():
    assert set(WITHIN) == set(CRITERIA)


@pytest.mark.parametrize("page", list(WITHIN))
def test_the_default_is_solved_soon(page):
    criterion = CRITERIA[page]
    result = solve(page_default(page, seed=0), criterion)
    assert result.updates is not None and result.updates <= WITHIN[page], (page, str(result))


def test_a_criterion_not_met_says_so():
    spec = page_default("playground")
    unreachable = type(CRITERIA["playground"])("playground", "test_acc", 1.01, 50, "never")
    result = solve(spec, unreachable)
    assert result.updates is None and result.epochs == 2
