"""The class page: start a class (a code, a join link and its QR code, a teacher PIN shown
once), join one (a name), and the teacher's wall: every student's latest picture in one image,
the leaderboard, the class's loss curves, a student's run opened on the teacher's screen, the
results as CSV, and "End class".

Who may do what is the store's decision (ffnviz/store/classes.py), made from tokens: the page only
shows the view the token earns. Every name a student typed is shown as text only (st.text,
dataframes, selectbox options, escaped plotly labels).
"""

from __future__ import annotations

import io
import math
import os
import time
from datetime import datetime

import pandas as pd
import segno
import streamlit as st
from streamlit import net_util

from ffnviz import limits
from ffnviz.store.address import PUBLIC_URL_ENV, join_url, public_base
from ffnviz.store.board import challenge_ranking, ranking, wall_tiles
from ffnviz.store.challenge import Challenge
from ffnviz.store.classes import ClassError, ClassStore, Tile
from ffnviz.store.exports import class_csv
from ffnviz.store.keys import normal_code
from ffnviz.store.names import NAME_CHARS
from ffnviz.ui.charts import projector
from ffnviz.ui.class_challenge_panel import challenge_box
from ffnviz.ui.class_member import (
    CLASS_COOKIE,
    PAGE_KEY,
    Member,
    challenge_banner,
    member,
    refuse,
    remember,
    say,
    show_message,
    student_cookie,
    teacher_cookie,
)
from ffnviz.ui.cookies import read_cookie, write_cookies
from ffnviz.ui.errors import error_boundary, show_callback_error
from ffnviz.ui.i18n import tr
from ffnviz.ui.plot import plot
from ffnviz.ui.run_files import open_run
from ffnviz.ui.store_access import class_store
from ffnviz.viz.wall import compact, curves_figure, drawn_order, tile_at, wall_figure

K = PAGE_KEY
_PIN_ONCE = "ffnviz.class.pin_once"
_OPEN = "ffnviz.class.open"
_SWITCH = "ffnviz.class.switch"
WALL_EVERY_S = 3.0
COOKIE_AGE = int(limits.CLASS_HOURS * 3600)


def _cookies_of(found: Member | None) -> None:
    """Keep the browser's cookies in step with the session (a reload then finds its place); no
    class: delete them."""
    if found is None:
        if read_cookie(CLASS_COOKIE):
            write_cookies([(CLASS_COOKIE, "", 0)], f"{K}.cookies")
        return
    cookies = [(CLASS_COOKIE, found.code, COOKIE_AGE)]
    if found.teacher:
        cookies.append((teacher_cookie(found.code), found.teacher, COOKIE_AGE))
    if found.student:
        cookies.append((student_cookie(found.code), found.student, COOKIE_AGE))
    write_cookies(cookies, f"{K}.cookies")


# -- callbacks ----------------------------------------------------------------------------------


def _start(store: ClassStore) -> None:
    started = store.start()
    remember(Member(started.code, teacher=started.teacher_token))
    st.session_state[_PIN_ONCE] = started.pin
    st.query_params["class"] = started.code


def _join(store: ClassStore, code_key: str | None, code: str | None) -> None:
    code = normal_code(st.session_state.get(code_key, "") if code_key else code or "")
    previous = member()
    token = previous.student if previous is not None and previous.code == code else None
    try:
        token, name = store.join(code, st.session_state.get(f"{K}.name", ""), token)
    except ClassError as error:
        refuse(error)
        return
    remember(Member(code, student=token, name=name))
    st.query_params["class"] = code


def _claim(store: ClassStore) -> None:
    code = normal_code(st.session_state.get(f"{K}.teacher_code", "") or st.query_params.get("class", ""))
    try:
        token = store.claim_teacher(code, st.session_state.get(f"{K}.pin", ""))
    except ClassError as error:
        refuse(error)
        return
    remember(Member(code, teacher=token))
    st.query_params["class"] = code


def _leave() -> None:
    remember(None)
    st.query_params.pop("class", None)


def _end(store: ClassStore, found: Member) -> None:
    try:
        store.end(found.code, found.teacher)
    except ClassError as error:
        refuse(error)
        return
    _leave()
    say("success", "class_ended")


def _open(store: ClassStore, found: Member, tile: Tile) -> None:
    """Open a student's run on the teacher's screen: the playground from its last run file, any
    other page from its link."""
    data = store.run_of(found.code, found.teacher, tile.student_id) if tile.has_run else None
    if data is not None:
        open_run(data, tile.name)
        st.session_state[_SWITCH] = "pages/playground.py"
    st.session_state[_OPEN] = tile.student_id


# -- views --------------------------------------------------------------------------------------


def _landing(store: ClassStore) -> None:
    st.caption(tr("class_intro"))
    start, join, teach = st.columns(3, gap="large")
    with start.container(border=True):
        st.subheader(tr("class_start_title"))
        st.write(tr("class_start_text"))
        st.button(tr("btn_class_start"), key=f"{K}.start", type="primary", icon=":material/groups:",
                  on_click=_start, args=(store,))
    with join.container(border=True):
        st.subheader(tr("class_join_title"))
        st.text_input(tr("w_class_code"), key=f"{K}.code", max_chars=12)
        st.text_input(tr("w_class_name"), key=f"{K}.name", max_chars=NAME_CHARS * 2, help=tr("help_class_name"))
        st.button(tr("btn_class_join"), key=f"{K}.join", icon=":material/login:", on_click=_join,
                  args=(store, f"{K}.code", None))
    with teach.container(border=True):
        st.subheader(tr("class_teacher_title"))
        st.text_input(tr("w_class_code"), key=f"{K}.teacher_code", max_chars=12)
        st.text_input(tr("w_class_pin"), key=f"{K}.pin", type="password", max_chars=32)
        st.button(tr("btn_class_claim"), key=f"{K}.claim", icon=":material/key:", on_click=_claim, args=(store,))


def _join_form(store: ClassStore, code: str) -> None:
    refused = store.refusal(code)
    if refused:
        remember(None)
        st.warning(tr(refused))
        st.button(tr("btn_class_leave"), key=f"{K}.leave", on_click=_leave)
        return
    st.subheader(tr("class_join_code", code=code))
    st.text_input(tr("w_class_name"), key=f"{K}.name", max_chars=NAME_CHARS * 2, help=tr("help_class_name"))
    st.button(tr("btn_class_join"), key=f"{K}.join", type="primary", icon=":material/login:", on_click=_join,
              args=(store, None, code))
    with st.expander(tr("class_teacher_title")):
        st.text_input(tr("w_class_pin"), key=f"{K}.pin", type="password", max_chars=32)
        st.button(tr("btn_class_claim"), key=f"{K}.claim", icon=":material/key:", on_click=_claim, args=(store,))


def _student(store: ClassStore, found: Member) -> None:
    name = store.student(found.code, found.student)
    if name is None:  # the class ended or expired, or the cookie is of another class
        remember(None)
        st.warning(tr("class_over"))
        return
    if name != found.name:
        remember(Member(found.code, student=found.student, name=name))
    st.subheader(tr("class_you_are_in", code=found.code))
    st.text(name)
    challenge_banner(found.code)
    st.info(tr("class_student_how"), icon=":material/info:")
    cols = st.columns(3)
    for col, (file, label) in zip(cols, (("pages/playground.py", "page_playground"),
                                         ("pages/optimizers.py", "page_optimizers"),
                                         ("pages/convolution.py", "page_convolution")), strict=True):
        col.page_link(file, label=tr(label), icon=":material/arrow_forward:")
    st.button(tr("btn_class_leave"), key=f"{K}.leave", on_click=_leave)


def _numbers(t: Tile) -> str:
    m = t.metrics
    if not m:
        return tr("class_no_report")
    acc = m.get("test_acc", float("nan"))
    acc_text = f"{acc:.0%}" if isinstance(acc, float) and math.isfinite(acc) else "—"
    return tr("class_tile_numbers", acc=acc_text, updates=compact(int(m.get("updates", 0))))


def _leaderboard(tiles: list[Tile], challenge: Challenge | None) -> pd.DataFrame:
    rows = []
    for rank, t in enumerate(challenge_ranking(tiles) if challenge else ranking(tiles), start=1):
        m = t.metrics
        extra = {}
        if challenge is not None:
            why = m.get("why_not") if m else ""
            extra = {tr("col_in_challenge"): tr("challenge_in") if t.challenge_ok else tr(why or "class_no_report"),
                     tr("col_score"): abs(m["score"]) if m and m.get("score") is not None else None}
        rows.append({tr("col_rank"): rank, tr("col_name"): t.name, tr("col_page"): t.page, **extra,
                     tr("col_test_acc"): m.get("test_acc") if m else None,
                     tr("col_test_loss"): m.get("test_loss") if m else None,
                     tr("col_updates"): m.get("updates") if m else None, tr("col_params"): m.get("params") if m else None,
                     tr("col_diverged"): bool(m.get("diverged")) if m else False})
    return pd.DataFrame(rows)


def _wall_body(store: ClassStore, found: Member) -> None:
    target = st.session_state.pop(_SWITCH, None)
    if target:  # a click on a tile (a callback cannot switch pages itself)
        st.switch_page(target)
    if st.session_state.get(_OPEN) != st.session_state.get(_OPEN + ".shown"):
        st.session_state[_OPEN + ".shown"] = st.session_state.get(_OPEN)
        st.rerun()  # the opened student shows outside this fragment
    tiles = store.tiles(found.code)
    now = time.time()
    big = projector()
    st.metric(tr("class_students"), f"{len(tiles)} / {limits.CLASS_STUDENTS}")
    if not tiles:
        st.info(tr("class_no_students"))
        return
    wall, columns = wall_figure(wall_tiles(tiles, now, _numbers), title=tr("class_wall_title"), projector=big)

    def clicked(x: float, y: float, _trace: int) -> None:
        index = tile_at(x, y, columns, len(tiles))
        if index is not None:
            _open(store, found, tiles[index])

    plot(wall, f"{K}.wall", on_click=clicked)
    st.caption(tr("class_wall_caption"))
    board, curves = (st.container(), st.container()) if big else st.columns(2)
    with board:
        st.markdown(f"**{tr('class_leaderboard')}**")
        st.dataframe(_leaderboard(tiles, Challenge.from_json(store.challenge(found.code))), hide_index=True, width="stretch",
                     column_config={tr("col_test_acc"): st.column_config.NumberColumn(format="percent")})
    with curves:
        names = {t.student_id: t.name for t in tiles}
        chosen = st.session_state.get(f"{K}.highlight")
        ids = [t.student_id for t in tiles if t.curve]
        series = [(names[t.student_id], [p[0] for p in t.curve], [p[1] for p in t.curve]) for t in tiles if t.curve]
        highlight = ids.index(chosen) if chosen in ids else None
        order = drawn_order(len(ids), highlight)

        def picked(_x: float, _y: float, trace: int) -> None:  # a click on a curve highlights it
            if 0 <= trace < len(order):
                st.session_state[f"{K}.highlight"] = ids[order[trace]]

        plot(curves_figure(series, title=tr("class_curves_title"), x_title=tr("axis_updates"), y_title=tr("axis_loss_log"),
                           highlight=highlight, projector=big), f"{K}.curves", on_click=picked)


_WALL = st.fragment(_wall_body, run_every=WALL_EVERY_S)


def _join_box(found: Member) -> None:
    base = public_base(os.environ.get(PUBLIC_URL_ENV), net_util.get_internal_ip(), int(st.get_option("server.port")),
                       st.get_option("server.baseUrlPath") or "")
    with st.container(border=True):
        code, qr = st.columns([2, 1])
        code.markdown(f"## {tr('class_code_is')} `{found.code}`")
        if base is None:
            code.warning(tr("class_no_public_address", env=PUBLIC_URL_ENV))
            return
        url = join_url(base, found.code)
        code.code(url, language=None)
        code.caption(tr("class_join_caption", env=PUBLIC_URL_ENV))
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
        qr.image(buffer.getvalue(), caption=tr("class_qr_caption"), width=200)


def _pin_once() -> None:
    pin = st.session_state.get(_PIN_ONCE)
    if not pin:
        return
    with st.popover(tr("class_pin_show"), icon=":material/key:"):
        st.code(pin, language=None)
        st.caption(tr("class_pin_caption"))
    st.button(tr("btn_class_pin_noted"), key=f"{K}.pin_noted", on_click=lambda: st.session_state.pop(_PIN_ONCE, None))


def _teacher(store: ClassStore, found: Member) -> None:
    _pin_once()
    # The wall first, on the projector's first screen (before anyone joins it is one line, and the
    # join box with its QR code shows under it); the teacher's controls below.
    _WALL(store, found)
    _join_box(found)
    challenge_box(store, found)
    expires = store.expires_at(found.code)
    if expires:
        # the server's clock, with its zone: a server in another zone than the class said a time an hour or more off
        st.caption(tr("class_expires", time=datetime.fromtimestamp(expires).astimezone().strftime("%H:%M %Z")))
    opened = st.session_state.get(_OPEN)
    tiles = {t.student_id: t for t in store.tiles(found.code)}
    if opened in tiles:
        t = tiles[opened]
        st.markdown(f"**{tr('class_opened')}**")
        st.text(t.name)
        st.link_button(tr("btn_class_open_link"), t.link or "/", icon=":material/open_in_new:")
    names = {t.student_id: t.name for t in tiles.values() if t.curve}
    st.selectbox(tr("w_class_highlight"), [None, *names], key=f"{K}.highlight",
                 format_func=lambda i: tr("class_none") if i is None else names.get(i, ""))
    order = challenge_ranking if store.challenge(found.code) else ranking
    ranks = {t.student_id: r for r, t in enumerate(order(list(tiles.values())), start=1)}
    left, right = st.columns(2)
    left.download_button(tr("btn_class_csv"), data=lambda: class_csv(store.tiles(found.code), ranks),
                         file_name=f"ffnviz-class-{found.code}.csv", mime="text/csv", key=f"{K}.csv",
                         on_click="ignore", icon=":material/download:")
    with right.popover(tr("btn_class_end"), icon=":material/logout:"):
        st.write(tr("class_end_confirm"))
        st.button(tr("btn_class_end_yes"), key=f"{K}.end", type="primary", on_click=_end, args=(store, found))


def render() -> None:
    st.title(tr("class_title"))
    show_callback_error()
    store = class_store()
    if store is None:
        return
    show_message()
    wanted = normal_code(st.query_params.get("class", ""))
    found = member()
    with error_boundary("class"):
        if found is not None and wanted and found.code != wanted:
            found = None  # a link to another class: this browser is no one there yet
        if found is not None and found.teacher and store.is_teacher(found.code, found.teacher):
            remember(found)
            _cookies_of(found)
            _teacher(store, found)
        elif found is not None and found.student and store.student(found.code, found.student) is not None:
            remember(found)
            _cookies_of(found)
            _student(store, found)
        elif wanted:
            _cookies_of(None)  # no class here: a stale class cookie goes
            _join_form(store, wanted)
        else:
            _cookies_of(None)  # no class here: a stale class cookie goes
            _landing(store)
