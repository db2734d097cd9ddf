"""The teacher's challenge panel on the class page: a goal, its target, the locked settings and
the page's run it is set from (the teacher's own settings on that page, or a link of it); shown
to the class as a banner."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import streamlit as st

from ffnviz.page_links import FORMS, PAGE_OF
from ffnviz.specs.links import read_link
from ffnviz.store.challenge import CHALLENGE_FORMS, GOALS, LOCK_NAMES, TARGETS, Challenge
from ffnviz.store.classes import ClassError, ClassStore
from ffnviz.ui.class_member import PAGE_KEY, Member, goal_text, page_name, refuse, say
from ffnviz.ui.i18n import tr

K = PAGE_KEY


def _settings(name: str):
    """The chosen page's settings: from the pasted link, or the teacher's own on that page; None
    (with a message) for a link that cannot be read."""
    form = FORMS[name]
    link = str(st.session_state.get(f"{K}.ch_link", "")).strip()
    if not link:
        return st.session_state.get(f"ffnviz.spec::{name}", form.default)
    url = urlsplit(link)
    page = url.path.rstrip("/").rsplit("/", 1)[-1]
    if page and page != PAGE_OF[name]:
        say("error", "challenge_link_other_page", page=page[:32])
        return None
    spec, messages = read_link(form, dict(parse_qsl(url.query)))
    if messages:
        say("error", "challenge_bad_link", detail="; ".join(messages[:3]))
        return None
    return spec


def _set_challenge(store: ClassStore, found: Member) -> None:
    name = st.session_state.get(f"{K}.ch_page", CHALLENGE_FORMS[0])
    spec = _settings(name)
    if spec is None:
        return
    challenge = Challenge(st.session_state[f"{K}.ch_goal"], float(st.session_state[f"{K}.ch_target"]),
                          FORMS[name].to_flat(spec), tuple(st.session_state.get(f"{K}.ch_locks") or ()), name)
    problems = challenge.problems()
    if problems:
        say("error", "challenge_bad_link", detail="; ".join(problems[:3]))
        return
    try:
        store.set_challenge(found.code, found.teacher, challenge.to_json())
    except ClassError as error:
        refuse(error)


def _clear_challenge(store: ClassStore, found: Member) -> None:
    store.set_challenge(found.code, found.teacher, None)


TARGET_DEFAULTS = {"accuracy_params": 0.95, "updates_to_loss": 0.1, "accuracy_in_updates": 2000.0}


def challenge_box(store: ClassStore, found: Member) -> None:
    current = Challenge.from_json(store.challenge(found.code))
    with st.expander(tr("sec_challenge"), expanded=False, icon=":material/flag:"):
        if current is not None:
            st.info(tr("challenge_banner", goal=goal_text(current)), icon=":material/flag:")
            st.code(current.link(), language=None, wrap_lines=True)
            st.button(tr("btn_challenge_clear"), key=f"{K}.ch_clear", on_click=_clear_challenge, args=(store, found))
        st.selectbox(tr("w_challenge_page"), CHALLENGE_FORMS, key=f"{K}.ch_page", format_func=page_name,
                     help=tr("help_challenge_page"))
        goal = st.selectbox(tr("w_challenge_goal"), GOALS, key=f"{K}.ch_goal",
                            format_func=lambda g: tr("goal_name_" + g))
        lo, hi = TARGETS[goal]
        if st.session_state.get(f"{K}.ch_target_for") != goal:  # another goal: its own default target
            st.session_state[f"{K}.ch_target"] = TARGET_DEFAULTS[goal]
            st.session_state[f"{K}.ch_target_for"] = goal
        st.number_input(tr("w_challenge_target_" + goal), float(lo), float(hi), key=f"{K}.ch_target")
        st.multiselect(tr("w_challenge_locks"), list(LOCK_NAMES), default=["data"], key=f"{K}.ch_locks",
                       format_func=lambda k: tr("lock_" + k), help=tr("help_challenge_locks"))
        st.text_input(tr("w_challenge_link"), key=f"{K}.ch_link", help=tr("help_challenge_link"))
        st.button(tr("btn_challenge_set"), key=f"{K}.ch_set", type="primary", icon=":material/flag:",
                  on_click=_set_challenge, args=(store, found))
