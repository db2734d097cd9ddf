"""A class in the store: started by a teacher (a code, a PIN shown once, a teacher token),
joined by students (a name and a token), fed by their runs' reports, read as the wall, ended.

Every method takes tokens (a browser's cookie), never trusts a name or an id from a page: a
student's token reaches only that student's row, and only a teacher token or the PIN reaches the
class's controls. Failures are ClassError with a translation key the page shows.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from sqlalchemy import Engine, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ffnviz import limits
from ffnviz.store.db import classes, now, reports, students, teachers
from ffnviz.store.keys import hash_pin, new_code, new_pin, new_token, normal_code, pin_matches, token_hash
from ffnviz.store.names import clean_name


class ClassError(Exception):
    """A refusal the page shows: `key` in the translation table, with `args`."""

    def __init__(self, key: str, **args):
        super().__init__(key)
        self.key, self.args_ = key, args


@dataclass(frozen=True)
class Started:
    code: str
    pin: str  # shown once, never stored
    teacher_token: str


@dataclass(frozen=True)
class Report:
    """What a student's run tells the class (see ffnviz.classroom.report)."""

    page: str
    link: str
    updates: int
    train_loss: float
    test_loss: float
    test_acc: float
    params: int
    diverged: bool
    picture: bytes | None = None  # TILE_PX × TILE_PX × 3 uint8, row-major
    curve: tuple[tuple[int, float], ...] = ()
    run: bytes | None = None  # a run file (ffnviz.store.runfile), where the page has one
    challenge_ok: bool = False
    score: float | None = None  # in the challenge: lower ranks first (see ffnviz.store.challenge)
    why_not: str = ""  # not in the challenge: why, as a translation key

    def metrics_json(self) -> str:
        def num(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None
        return json.dumps({"updates": int(self.updates), "train_loss": num(self.train_loss),
                           "test_loss": num(self.test_loss), "test_acc": num(self.test_acc),
                           "params": int(self.params), "diverged": bool(self.diverged),
                           "score": None if self.score is None else num(self.score), "why_not": self.why_not[:40]})


@dataclass(frozen=True)
class Tile:
    """One student on the wall: the name and the last report (None before the first)."""

    student_id: int
    name: str
    joined_at: float
    updated_at: float | None
    page: str
    link: str
    metrics: dict
    picture: bytes | None
    curve: list
    challenge_ok: bool
    has_run: bool


def _nan(value) -> float:
    return float("nan") if value is None else float(value)


class ClassStore:
    def __init__(self, engine: Engine, clock=now):
        self.engine, self._clock = engine, clock

    # -- the teacher ------------------------------------------------------------------------

    def start(self) -> Started:
        t = self._clock()
        pin, token = new_pin(), new_token()
        for _ in range(10):  # a code already taken: draw again
            code = new_code()
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(classes).values(
                        code=code, pin_hash=hash_pin(pin), created_at=t, expires_at=t + limits.CLASS_HOURS * 3600,
                        ended=False, pin_failures=0, pin_window_start=0.0))
                    conn.execute(insert(teachers).values(token_hash=token_hash(token), class_code=code, created_at=t))
                return Started(code, pin, token)
            except IntegrityError:
                continue
        raise ClassError("class_no_code")

    def _live_class(self, conn, code: str):
        row = conn.execute(select(classes).where(classes.c.code == normal_code(code))).mappings().first()
        if row is None:
            raise ClassError("class_unknown_code")
        if row["ended"] or row["expires_at"] <= self._clock():
            raise ClassError("class_over")
        return row

    def is_teacher(self, code: str, token: str | None) -> bool:
        if not token:
            return False
        with self.engine.connect() as conn:
            found = conn.execute(select(teachers.c.class_code).where(
                teachers.c.token_hash == token_hash(token))).scalar()
            if found != normal_code(code):
                return False
            try:
                self._live_class(conn, code)
            except ClassError:
                return False
            return True

    def claim_teacher(self, code: str, pin: str) -> str:
        """A teacher token for a second device (or a browser that lost its cookie), given the PIN.
        At most PIN_ATTEMPTS wrong PINs per class in PIN_WINDOW_S."""
        t = self._clock()
        with self.engine.begin() as conn:
            row = self._live_class(conn, code)
            failures, since = row["pin_failures"], row["pin_window_start"]
            if t - since >= limits.PIN_WINDOW_S:
                failures, since = 0, t
            if failures >= limits.PIN_ATTEMPTS:
                raise ClassError("class_pin_locked", minutes=math.ceil((since + limits.PIN_WINDOW_S - t) / 60))
            right = pin_matches(str(pin), row["pin_hash"])
            if not right:  # counted in this transaction, which commits; the refusal comes after it
                conn.execute(update(classes).where(classes.c.code == row["code"]).values(
                    pin_failures=failures + 1, pin_window_start=since))
            else:
                token = new_token()
                conn.execute(insert(teachers).values(token_hash=token_hash(token), class_code=row["code"], created_at=t))
        if not right:
            raise ClassError("class_wrong_pin", left=limits.PIN_ATTEMPTS - failures - 1)
        return token

    def end(self, code: str, teacher_token: str) -> None:
        """End the class: the students' names and reports go; the code then says "over"."""
        if not self.is_teacher(code, teacher_token):
            raise ClassError("class_not_teacher")
        with self.engine.begin() as conn:
            self._forget(conn, [normal_code(code)])
            conn.execute(update(classes).where(classes.c.code == normal_code(code)).values(ended=True))

    def set_challenge(self, code: str, teacher_token: str, challenge_json: str | None) -> None:
        if not self.is_teacher(code, teacher_token):
            raise ClassError("class_not_teacher")
        with self.engine.begin() as conn:
            conn.execute(update(classes).where(classes.c.code == normal_code(code)).values(challenge=challenge_json))

    def challenge(self, code: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(classes.c.challenge).where(classes.c.code == normal_code(code))).scalar()

    def _forget(self, conn, codes: list[str]) -> None:
        ids = select(students.c.id).where(students.c.class_code.in_(codes))
        conn.execute(delete(reports).where(reports.c.student_id.in_(ids)))
        conn.execute(delete(students).where(students.c.class_code.in_(codes)))
        conn.execute(delete(teachers).where(teachers.c.class_code.in_(codes)))

    def purge_expired(self) -> int:
        """Forget the students of every class past its time; returns how many classes."""
        with self.engine.begin() as conn:
            codes = list(conn.execute(select(classes.c.code).where(and_(
                classes.c.expires_at <= self._clock(), classes.c.ended.is_(False)))).scalars())
            if codes:
                self._forget(conn, codes)
                conn.execute(update(classes).where(classes.c.code.in_(codes)).values(ended=True))
            return len(codes)

    # -- students ---------------------------------------------------------------------------

    def join(self, code: str, name: str, token: str | None = None) -> tuple[str, str]:
        """Join under `name`; returns (the student's token, the name kept). A token already in
        this class rejoins as that student (a phone that reloaded) and keeps the name it had."""
        with self.engine.begin() as conn:
            row = self._live_class(conn, code)
            if token:
                kept = conn.execute(select(students.c.name, students.c.class_code).where(
                    students.c.token_hash == token_hash(token))).first()
                if kept is not None and kept.class_code == row["code"]:
                    return token, kept.name
            clean = clean_name(name)
            if not clean:
                raise ClassError("class_name_empty")
            count = conn.execute(select(func.count()).select_from(students).where(
                students.c.class_code == row["code"])).scalar()
            if count >= limits.CLASS_STUDENTS:
                raise ClassError("class_full", cap=limits.CLASS_STUDENTS)
            token = new_token()
            conn.execute(insert(students).values(class_code=row["code"], token_hash=token_hash(token), name=clean,
                                                 joined_at=self._clock(), last_post_at=0.0))
            return token, clean

    def student(self, code: str, token: str | None) -> str | None:
        """The name of the student whose token this is, in this live class; else None."""
        if not token:
            return None
        with self.engine.connect() as conn:
            try:
                row = self._live_class(conn, code)
            except ClassError:
                return None
            return conn.execute(select(students.c.name).where(and_(
                students.c.token_hash == token_hash(token), students.c.class_code == row["code"]))).scalar()

    def post(self, code: str, token: str, report: Report) -> bool:
        """Keep `report` as the student's latest. False when refused: an unknown token, a class
        that is over, or a post sooner than REPORT_MIN_INTERVAL_S after the last (throttle)."""
        if report.picture is not None and len(report.picture) != limits.TILE_PX * limits.TILE_PX * 3:
            raise ValueError(f"a report's picture is {limits.TILE_PX}×{limits.TILE_PX} RGB bytes")
        t = self._clock()
        with self.engine.begin() as conn:
            try:
                klass = self._live_class(conn, code)
            except ClassError:
                return False
            # The throttle and the claim in one statement: two posts at once cannot both pass.
            claimed = conn.execute(update(students).where(and_(
                students.c.token_hash == token_hash(token), students.c.class_code == klass["code"],
                students.c.last_post_at <= t - limits.REPORT_MIN_INTERVAL_S)).values(last_post_at=t)
                .returning(students.c.id)).scalar()
            if claimed is None:
                return False
            values = dict(updated_at=t, page=report.page[:32], link=report.link[:4000],
                          metrics=report.metrics_json(), picture=report.picture,
                          curve=json.dumps([[int(u), float(v)] for u, v in report.curve if math.isfinite(v)]),
                          run=report.run, challenge_ok=report.challenge_ok)
            done = conn.execute(update(reports).where(reports.c.student_id == claimed).values(**values)).rowcount
            if not done:
                conn.execute(insert(reports).values(student_id=claimed, **values))
            return True

    # -- the wall ---------------------------------------------------------------------------

    def tiles(self, code: str) -> list[Tile]:
        """Every student of the class with the last report, in the order they joined."""
        query = (select(students.c.id, students.c.name, students.c.joined_at, reports.c.updated_at, reports.c.page,
                        reports.c.link, reports.c.metrics, reports.c.picture, reports.c.curve,
                        reports.c.challenge_ok, (reports.c.run.is_not(None)).label("has_run"))
                 .select_from(students.outerjoin(reports, reports.c.student_id == students.c.id))
                 .where(students.c.class_code == normal_code(code)).order_by(students.c.joined_at, students.c.id))
        with self.engine.connect() as conn:
            return [Tile(r.id, r.name, r.joined_at, r.updated_at, r.page or "", r.link or "",
                         {k: _nan(v) if k in ("train_loss", "test_loss", "test_acc") else v
                          for k, v in json.loads(r.metrics).items()} if r.metrics else {},
                         r.picture, json.loads(r.curve) if r.curve else [], bool(r.challenge_ok), bool(r.has_run))
                    for r in conn.execute(query)]

    def run_of(self, code: str, teacher_token: str, student_id: int) -> bytes | None:
        """A student's last run file, for the teacher to open."""
        if not self.is_teacher(code, teacher_token):
            raise ClassError("class_not_teacher")
        with self.engine.connect() as conn:
            return conn.execute(select(reports.c.run).select_from(reports.join(students)).where(and_(
                reports.c.student_id == student_id, students.c.class_code == normal_code(code)))).scalar()

    def refusal(self, code: str) -> str | None:
        """Why this code cannot be joined now (a translation key), or None when it can."""
        with self.engine.connect() as conn:
            try:
                self._live_class(conn, code)
            except ClassError as error:
                return error.key
        return None

    def expires_at(self, code: str) -> float | None:
        with self.engine.connect() as conn:
            return conn.execute(select(classes.c.expires_at).where(classes.c.code == normal_code(code))).scalar()
