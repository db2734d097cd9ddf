"""Who this browser is in a class (a teacher, a student, or no one), from the session or, after
a reload, from its cookies; and the report a student's run sends to the class every few seconds,
made from the snapshot the page already reads."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st

from ffnviz import limits
from ffnviz.page_links import PAGE_OF, PLAYGROUND
from ffnviz.specs import RunSpec
from ffnviz.store.challenge import Challenge
from ffnviz.store.classes import ClassError
from ffnviz.store.keys import normal_code
from ffnviz.store.report import parameter_count, report_of
from ffnviz.store.runfile import playground_file
from ffnviz.ui.cookies import read_cookie
from ffnviz.ui.i18n import tr
from ffnviz.ui.store_access import class_store

log = logging.getLogger("ffnviz")
SESSION = "ffnviz.class"
_LAST_REPORT = "ffnviz.class.last_report"
CLASS_COOKIE = "ffnviz_class"


def student_cookie(code: str) -> str:
    return f"ffnviz_s_{code}"


def teacher_cookie(code: str) -> str:
    return f"ffnviz_t_{code}"


@dataclass(frozen=True)
class Member:
    code: str
    student: str | None = None  # the student's token
    teacher: str | None = None  # the teacher's token
    name: str = ""


def member() -> Member | None:
    """This browser's place in a class: the session's (None once it left), or what its cookies say
    (a reload)."""
    if SESSION in st.session_state:
        return st.session_state[SESSION]
    code = read_cookie(CLASS_COOKIE)
    if not code:
        return None
    code = normal_code(code)
    return Member(code, student=read_cookie(student_cookie(code)), teacher=read_cookie(teacher_cookie(code)))


def remember(found: Member | None) -> None:
    """This session's place from now on; None: no class (the cookies are then deleted by the class page)."""
    st.session_state[SESSION] = found


def _page_and_link() -> tuple[str, str]:
    url = urlsplit(st.context.url or "")
    path = "/" + url.path.lstrip("/")  # one slash: "//host/..." would lead the teacher's click to another site
    page = path.rstrip("/").rsplit("/", 1)[-1] or "home"
    return page[:32], path + (f"?{url.query}" if url.query else "")


def _steady(runner, snapshot) -> bool:
    """Whether the run kept its settings since update 0. Seen at every live refresh and every
    rerun of the page, and every change of settings is a rerun: none slips between two looks."""
    key = f"ffnviz.class.steady::{id(runner)}"
    first, last_updates, steady = st.session_state.get(key, (None, -1, True))
    if first is None or snapshot.updates < last_updates or snapshot.updates == 0:
        first, steady = snapshot.spec, True
    elif snapshot.spec != first:
        steady = False
    st.session_state[key] = (first, snapshot.updates, steady)
    return steady


def report_run(runner, snapshot) -> None:
    """Post the run's report when this browser is a student of a class and REPORT_INTERVAL_S have
    passed since the last; never raises (a class that cannot be reached costs the run nothing)."""
    found = member()
    if found is None or not found.student:
        return
    steady = _steady(runner, snapshot)
    now = time.monotonic()
    last = st.session_state.get(_LAST_REPORT)
    if last is not None and (now - last[0] < limits.REPORT_INTERVAL_S or last[1] == (id(runner), snapshot.version)):
        return
    st.session_state[_LAST_REPORT] = (now, (id(runner), snapshot.version))
    try:
        store = class_store()
        if store is None:
            return
        page, link = _page_and_link()
        # The playground's run file opens on the teacher's screen (the deep page's snapshot has weights too).
        run = playground_file(snapshot) if isinstance(snapshot.spec, RunSpec) and snapshot.weights else None
        challenge = Challenge.from_json(store.challenge(found.code))
        store.post(found.code, found.student, report_of(snapshot, page, link, parameter_count(snapshot), run,
                                                        challenge, steady))
    except Exception:  # a report is a courtesy to the class: the run goes on whatever happens to it
        log.exception("a class report failed")


def class_badge() -> None:
    """In the sidebar: which class this browser is in, and as whom."""
    found = st.session_state.get(SESSION)
    if found is not None and found.student:
        st.sidebar.text(tr("class_badge", code=found.code, name=found.name))  # st.text: the name stays literal
        challenge_banner(found.code, st.sidebar)


def challenge_banner(code: str, where=st) -> None:
    """The class's challenge, if it has one, and a button that opens it on its page."""
    store = class_store()
    challenge = Challenge.from_json(store.challenge(code)) if store is not None else None
    if challenge is None:
        return
    where.info(tr("challenge_banner", goal=goal_text(challenge)), icon=":material/flag:")
    where.link_button(tr("btn_challenge_open"), challenge.link(), icon=":material/play_arrow:", type="primary")


def page_name(form: str) -> str:
    """A challenge's page as the sidebar names it (the gated page's two races by their part)."""
    name = tr("page_" + PAGE_OF[form])
    return f"{name} · {form.split('.')[1].upper()}" if form.startswith("gated.") else name


def goal_text(challenge: Challenge) -> str:
    target = f"{challenge.target:g}" if challenge.goal != "accuracy_in_updates" else f"{int(challenge.target):,}"
    where = tr("ds_" + challenge.spec.data.dataset) if challenge.form == PLAYGROUND.name else page_name(challenge.form)
    return tr("goal_" + challenge.goal, target=target, dataset=where)


# -- messages from the class page's callbacks, shown at its next run --------------------------------

_MESSAGE = "ffnviz.class.message"
PAGE_KEY = "cls"  # the class page's widget keys start so


def say(kind: str, key: str, **args) -> None:
    """A message for the class page to show at its next run (a callback cannot draw)."""
    st.session_state[_MESSAGE] = (kind, key, args)


def show_message() -> None:
    found = st.session_state.pop(_MESSAGE, None)
    if found:
        kind, key, args = found
        getattr(st, kind)(tr(key, **args))


def refuse(error: ClassError) -> None:
    say("error", error.key, **error.args_)
