"""The self-attention page's example table as HTML (viz/html_table.py)."""

from __future__ import annotations

from ffnviz.viz.html_table import RIGHT, WRONG, example_table


def test_the_marked_row_is_coloured_by_right_and_wrong_and_text_is_escaped():
    html = example_table(["1", "2"], [("Input", ["A", "<b>"]), ("Output", ["A", "C"])], "Output", [False, True])
    assert "&lt;b&gt;" in html and "<b>" not in html
    output_row = html.split("<th>Output</th>")[1].split("</tr>")[0]
    assert output_row.index(RIGHT) < output_row.index(WRONG)  # position 1 right, position 2 wrong
    input_row = html.split("<th>Input</th>")[1].split("</tr>")[0]
    assert "background" not in input_row
    assert html.count("<tr>") == 3  # the positions' header and two rows
