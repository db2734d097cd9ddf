"""The numbers a teacher points at: a tiny loss is not shown as 0.000 (found in a browser QA pass on
the deep page, train loss 1e-5 beside a test loss of 0.189)."""

from __future__ import annotations

import math

from ffnviz.ui.controls import metric_text


def test_a_tiny_loss_keeps_two_significant_digits_and_the_rest_keeps_its_decimals():
    assert metric_text(1.234e-5, 3) == "1.2e-05"
    assert metric_text(0.0004, 3) == "4.0e-04"
    assert metric_text(0.0005, 3) == "0.001"  # shown with its decimals once they say something
    assert metric_text(0.189, 3) == "0.189" and metric_text(0.0, 3) == "0.000" and metric_text(2.5, 0) == "2"
    assert metric_text(math.nan) == "—" and metric_text(math.inf) == "—"
