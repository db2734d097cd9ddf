"""The class page as a teacher and students use it: start, join by link or code, hostile names
shown literally, a student's run on the wall, a student never in control, wrong codes, the PIN,
the CSV export and the end of the class."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl, urlsplit

import pytest

from ffnviz import limits
from ffnviz.store.classes import ClassStore
from ffnviz.store.db import open_database
from ffnviz.ui.class_member import SESSION
from tests.app.conftest import charts_of
from tests.app.test_pages import no_errors

PAGE = "pages/classroom.py"


def start_class(app):
    at = app(PAGE)
    no_errors(at)
    at.button(key="cls.start").click().run()
    no_errors(at)
    found = at.session_state[SESSION]
    assert found.teacher and len(found.code) == 6
    return at, found


def join(app, code: str, name: str):
    at = app(PAGE, query={"class": code})
    at.text_input(key="cls.name").set_value(name).run()
    at.button(key="cls.join").click().run()
    return at


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_a_teacher_starts_a_class_and_sees_the_code_link_qr_and_pin(app):
    at, found = start_class(app)
    assert any(found.code in m.value for m in at.markdown)
    assert any(f"/classroom?class={found.code}" in c.value for c in at.code)
    assert "localhost" not in " ".join(c.value for c in at.code)
    assert at.get("imgs") or at.get("image")  # the QR code
    pin = [c.value for c in at.code if "classroom" not in c.value]
    assert len(pin) == 1 and len(pin[0]) >= 10
    at.button(key="cls.pin_noted").click().run()
    assert not [c.value for c in at.code if "classroom" not in c.value]  # shown once
    assert any("No student" in i.value for i in at.info)
    # the server's clock with its zone: found in a browser QA pass, a bare "20:01" read as the class's own time
    assert any(re.search(r"expires at \d\d:\d\d \S+;", c.value) for c in at.caption), [c.value for c in at.caption]


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "<b>big</b>", "**big**"])
def test_a_student_joins_and_their_name_shows_literally(app, name):
    _, found = start_class(app)
    student = join(app, found.code, name)
    no_errors(student)
    assert name[:24] in texts(student)
    assert not any(name in m.value for m in student.markdown)  # never rendered as markdown/HTML
    assert student.session_state[SESSION].student and not student.session_state[SESSION].teacher
    assert "cls.end" not in [b.key for b in student.button]


def test_a_students_run_reaches_the_wall_and_the_leaderboard(app):
    teacher, found = start_class(app)
    student = join(app, found.code, "**Ann**")
    student.switch_page("pages/playground.py").run()
    student.button(key="pg.step").click().run()
    time.sleep(limits.REPORT_INTERVAL_S)  # reports go every few seconds: the next one carries the step
    student.run()
    no_errors(student)
    assert any("Class" in t and "**Ann**" in t for t in texts(student))  # the sidebar badge, literal
    teacher.run()
    no_errors(teacher)
    wall = charts_of(teacher)["cls.wall"]
    labels = [a["text"] for a in wall["layout"]["annotations"]]
    assert "<b>**Ann**</b>" in labels and any("upd" in t for t in labels)
    assert len(wall["data"]) == 1 and wall["data"][0]["type"] == "image"  # one composed image
    board = teacher.dataframe[0].value
    assert list(board["name"]) == ["**Ann**"] and board["updates"][0] > 0
    assert "cls.csv" in [b.key for b in teacher.get("download_button")]


def test_hostile_names_are_escaped_in_the_wall(app):
    teacher, found = start_class(app)
    evil = join(app, found.code, "<img src=x onerror=alert(1)>")
    evil.switch_page("pages/playground.py").run()
    evil.button(key="pg.step").click().run()
    teacher.run()
    labels = [a["text"] for a in charts_of(teacher)["cls.wall"]["layout"]["annotations"]]
    assert "<b>&lt;img src=x …</b>" in labels, labels
    assert not any("<img" in text for text in labels)


def test_a_wrong_code_is_a_message(app):
    linked = app(PAGE, query={"class": "NOPE99"})  # a link with a wrong code
    assert not linked.exception
    assert any("no class with this code" in w.value for w in linked.warning)
    typed = app(PAGE)  # a code typed on the class page
    typed.text_input(key="cls.code").set_value("nope-99").run()
    typed.text_input(key="cls.name").set_value("Ann").run()
    typed.button(key="cls.join").click().run()
    assert not typed.exception
    assert any("no class with this code" in e.value for e in typed.error)
    assert SESSION not in typed.session_state


def test_a_students_link_never_gives_control(app):
    _, found = start_class(app)
    student = join(app, found.code, "Bob")
    student.run()  # the same link again, as a reload would
    assert "cls.end" not in [b.key for b in student.button] and "cls.wall" not in charts_of(student)
    store = ClassStore(open_database())
    assert not store.is_teacher(found.code, student.session_state[SESSION].student)


def test_the_pin_gives_another_device_control_and_wrong_pins_are_counted(app):
    teacher, found = start_class(app)
    pin = [c.value for c in teacher.code if "classroom" not in c.value][0]
    other = app(PAGE, query={"class": found.code})
    other.text_input(key="cls.pin").set_value("WRONGWRONG").run()
    other.button(key="cls.claim").click().run()
    assert any("Wrong PIN" in e.value for e in other.error)
    other.text_input(key="cls.pin").set_value(pin).run()
    other.button(key="cls.claim").click().run()
    no_errors(other)
    assert other.session_state[SESSION].teacher and "cls.end" in [b.key for b in other.button]


def test_end_class_deletes_the_names(app):
    teacher, found = start_class(app)
    student = join(app, found.code, "Cy")
    teacher.button(key="cls.end").click().run()
    no_errors(teacher)
    assert any("names are deleted" in s.value for s in teacher.success)
    assert ClassStore(open_database()).tiles(found.code) == []
    student.run()
    assert any("ended" in w.value for w in student.warning)


def test_a_challenge_is_set_shown_and_checked_on_the_server(app):
    teacher, found = start_class(app)
    teacher.selectbox(key="cls.ch_goal").set_value("accuracy_params").run()
    teacher.number_input(key="cls.ch_target").set_value(0.5).run()
    teacher.button(key="cls.ch_set").click().run()
    no_errors(teacher)
    student = join(app, found.code, "Ann")
    assert any("Challenge" in i.value for i in student.info)
    link = next(b for b in student.get("link_button") if "Open the challenge" in b.proto.label).proto.url
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["dataset_hide"] == "1" and query["files_hide"] == "1"
    # Ann opens the challenge (the same session, the link's page and query) and trains.
    for key, value in query.items():
        student.query_params[key] = value
    student.switch_page("pages/playground.py").run()
    assert "pg.dataset" not in [s.key for s in student.selectbox]  # hidden
    student.button(key="pg.step").click().run()
    time.sleep(limits.REPORT_INTERVAL_S)
    student.run()
    # Bob changes a locked setting behind the page's back (as a hand-made request would).
    bob = join(app, found.code, "Bob")
    bob.switch_page("pages/playground.py").run()
    bob.slider(key="pg.noise").set_value(20).run()
    bob.button(key="pg.step").click().run()
    time.sleep(limits.REPORT_INTERVAL_S)
    bob.run()
    teacher.run()
    board = teacher.dataframe[0].value
    entered = dict(zip(board["name"], board["in the challenge"], strict=True))
    assert entered == {"Ann": "yes", "Bob": "a locked setting changed"}
    assert list(board["name"]) == ["Ann", "Bob"]


def test_a_student_who_leaves_is_in_no_class_and_posts_nothing(app):
    _, found = start_class(app)
    student = join(app, found.code, "Dee")
    student.button(key="cls.leave").click().run()
    no_errors(student)
    assert student.session_state[SESSION] is None
    assert "cls.start" in [b.key for b in student.button]  # the class page's start, not the student's view
    student.switch_page("pages/playground.py").run()
    student.button(key="pg.step").click().run()
    assert ClassStore(open_database()).tiles(found.code)[0].updated_at is None  # no report reached the class
