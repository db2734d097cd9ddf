"""A challenge set on each page that trains a run or a race: its link opens that page with the
locked sections hidden and the challenge's settings in force; in a class, a student's run on a
non-playground page is entered and ranked by the server."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import pytest

from ffnviz import limits
from ffnviz.page_links import FORMS, PAGE_OF
from ffnviz.store.challenge import Challenge
from tests.app.test_classroom import join, start_class
from tests.app.test_pages import no_errors

# form: (widgets of the hidden data and optimizer sections, a widget of the network section that stays)
WIDGETS = {
    "optimizers.race": (("op.race.dataset", "op.race.noise", "op.race.table", "op.race.load_file"), "op.race.units"),
    "deep": (("dp.dataset", "dp.optimizer", "dp.lr", "dp.schedule"), "dp.depth"),
    "convolution": (("cv.dataset", "cv.optimizer", "cv.lr"), "cv.layers"),
    "text": (("tx.source", "tx.optimizer", "tx.lr"), "tx.kind"),
    "attention": (("at.task", "at.optimizer", "at.lr"), "at.layers"),
    "gated.ffn": (("gl.ffn.task", "gl.ffn.lr", "gl.rnn.task"), "gl.ffn.d"),
}


def widget_keys(at) -> set[str]:
    found = set()

    def walk(node) -> None:
        children = getattr(node, "children", None) or {}
        for child in children.values() if isinstance(children, dict) else children:
            if getattr(child, "key", None):
                found.add(child.key)
            walk(child)

    walk(at._tree)
    return found


def opened(app, link: str):
    url = urlsplit(link)
    return app(f"pages{url.path}.py", query=dict(parse_qsl(url.query)))


@pytest.mark.parametrize("form", list(WIDGETS))
def test_the_challenges_link_hides_the_locked_sections(app, form):
    f = FORMS[form]
    challenge = Challenge("updates_to_loss", 0.5, f.to_flat(f.default), ("data", "optimizer"), form)
    at = opened(app, challenge.link())
    no_errors(at)
    keys = widget_keys(at)
    hidden, shown = WIDGETS[form]
    assert not set(hidden) & keys, set(hidden) & keys
    assert shown in keys  # the network is not locked: the student changes it
    assert at.session_state[f"ffnviz.spec::{form}"] == challenge.spec


def test_a_challenge_on_the_deep_page_ranks_a_students_run(app):
    teacher, found = start_class(app)
    teacher.selectbox(key="cls.ch_page").set_value("deep").run()
    teacher.selectbox(key="cls.ch_goal").set_value("updates_to_loss").run()
    teacher.number_input(key="cls.ch_target").set_value(5.0).run()
    teacher.button(key="cls.ch_set").click().run()
    no_errors(teacher)
    student = join(app, found.code, "Ann")
    assert any("Deep networks" in i.value for i in student.info)  # the banner names the page
    link = next(b for b in student.get("link_button") if "Open the challenge" in b.proto.label).proto.url
    url = urlsplit(link)
    assert url.path == "/" + PAGE_OF["deep"] and dict(parse_qsl(url.query))["data_hide"] == "1"
    for key, value in parse_qsl(url.query):
        student.query_params[key] = value
    student.switch_page("pages/deep.py").run()
    assert "dp.dataset" not in widget_keys(student)
    student.button(key="dp.step").click().run()
    time.sleep(limits.REPORT_INTERVAL_S)
    student.run()
    no_errors(student)
    teacher.run()
    board = teacher.dataframe[0].value
    assert list(board["name"]) == ["Ann"] and board["in the challenge"][0] == "yes", board.to_dict()
