"""A small table as HTML: the self-attention page's example (input, target, output, confidence by
position), redrawn at every live refresh. A pandas Styler in st.dataframe cost the server ~20 ms a
refresh (its templating), more than every chart of the page together; this costs well under 1 ms."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

RIGHT, WRONG = "#CDE8DA", "#F4C7B8"  # the output cells: right / wrong (dark text on both)


def example_table(columns: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]],
                  marked: str | None = None, wrong: Sequence[bool] = ()) -> str:
    """`rows` as (label, cells); the cells of the row labelled `marked` coloured by `wrong`."""
    def cell(text: str, colour: str | None = None) -> str:
        style = f' style="background:{colour};color:#1f2328"' if colour else ""
        return f"<td{style}>{escape(text)}</td>"

    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for label, cells in rows:
        colours = [WRONG if w else RIGHT for w in wrong] if label == marked else [None] * len(cells)
        body.append(f"<tr><th>{escape(label)}</th>{''.join(cell(t, c) for t, c in zip(cells, colours, strict=True))}</tr>")
    return (f'<table class="ffnviz-example"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")
