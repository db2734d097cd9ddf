"""The teacher's challenge panel on the class page: a goal, its target, the locked settings and
the playground run it is set from (the teacher's own, or a link); shown to the class as a banner.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import streamlit as st

from ffnviz.page_links import PLAYGROUND
from ffnviz.specs.links import read_link
from ffnviz.store.challenge import GOALS, LOCKS, TARGETS, Challenge
from ffnviz.store.classes import ClassError, ClassStore
from ffnviz.ui.class_member import PAGE_KEY, Member, goal_text, refuse, say
from ffnviz.ui.i18n import tr

K = PAGE_KEY


def _set_challenge(store: ClassStore, found: Member) -> None:
    link = str(st.session_state.get(f"{K}.ch_link", "")).strip()
    if link:
        flat = dict(parse_qsl(urlsplit(link).query))
        spec, messages = read_link(PLAYGROUND, flat)
        if messages:
            say("error", "challenge_bad_link", detail="; ".join(messages[:3]))
            return
    else:  # the teacher's own playground, as it is now
        spec = st.session_state.get(f"ffnviz.spec::{PLAYGROUND.name}", PLAYGROUND.default)
    goal = st.session_state[f"{K}.ch_goal"]
    challenge = Challenge(goal, float(st.session_state[f"{K}.ch_target"]), PLAYGROUND.to_flat(spec),
                          tuple(st.session_state.get(f"{K}.ch_locks") or ()))
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
        goal = st.selectbox(tr("w_challenge_goal"), GOALS, key=f"{K}.ch_goal",
                            format_func=lambda g: tr("goal_name_" + g))
        lo, hi = TARGETS[goal]
        if st.session_state.get(f"{K}.ch_target_for") != goal:  # another goal: its own default target
            st.session_state[f"{K}.ch_target"] = TARGET_DEFAULTS[goal]
            st.session_state[f"{K}.ch_target_for"] = goal
        st.number_input(tr("w_challenge_target_" + goal), float(lo), float(hi), key=f"{K}.ch_target")
        st.multiselect(tr("w_challenge_locks"), list(LOCKS), default=["data"], key=f"{K}.ch_locks",
                       format_func=lambda k: tr("lock_" + k), help=tr("help_challenge_locks"))
        st.text_input(tr("w_challenge_link"), key=f"{K}.ch_link", help=tr("help_challenge_link"))
        st.button(tr("btn_challenge_set"), key=f"{K}.ch_set", type="primary", icon=":material/flag:",
                  on_click=_set_challenge, args=(store, found))
