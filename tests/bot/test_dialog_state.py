"""The stored dialog: typed in the code, in the shape it has always had in the kv table."""

from __future__ import annotations

import copy

import pytest

from bot import texts
from bot.dialog.state import Dialog, Flow, load_dialog
from storage import repo
from tests.bot.conftest import SETUP_ANSWERS, Coach

SETUP = {
    "flow": "onboarding",
    "answers": {"goal": "none", "race_date": None, "_edit": True, "niggles_pending": ["hip"]},
}
SETTINGS = {"flow": "settings", "answers": {"sessions": 2, "_pick": "week"}}
PAIN = {
    "flow": "pain",
    "answers": {"flags": [], "pf_now": []},
    "resume": {**SETUP, "paused": True},
}


@pytest.mark.parametrize("stored", [SETUP, SETTINGS, PAIN, {"flow": "restart", "answers": {}}])
def test_a_stored_dialog_reads_and_writes_back_unchanged(stored):
    dialog = Dialog.from_stored(copy.deepcopy(stored))
    assert dialog.stored() == stored


def test_the_engines_marks_are_kept_apart_from_the_answers():
    dialog = Dialog.from_stored(copy.deepcopy(SETUP))
    assert dialog.answers == {"goal": "none", "race_date": None}
    assert dialog.edit and dialog.pending == {"niggles": ["hip"]}
    pain = Dialog.from_stored(copy.deepcopy(PAIN))
    assert pain.flow is Flow.PAIN and pain.resume is not None and pain.resume.paused
    assert Dialog.from_stored(copy.deepcopy(SETTINGS)).pick == "week"


@pytest.mark.parametrize(
    "stored", [{"flow": "quiz", "answers": {}}, {"answers": {}}, {"flow": "pain"}, ["x"]]
)
def test_a_stored_dialog_that_does_not_read_is_dropped(stored):
    assert load_dialog(stored, user_id=42) is None


async def _stored(coach: Coach) -> dict:
    async with coach.app.bot_data["runtime"].sessions() as db:
        return await repo.get_kv(db, namespace="dialog", key="42")


async def _store(coach: Coach, value: object) -> None:
    async with coach.app.bot_data["runtime"].sessions() as db, db.begin():
        await repo.set_kv(db, namespace="dialog", key="42", value=value)


async def test_a_setup_stored_by_the_previous_version_carries_on(coach: Coach):
    for answer in SETUP_ANSWERS[:6]:  # up to "after runs": equipment is asked next
        await coach.send(answer)
    assert coach.last() == texts.ASK_EQUIPMENT
    # As the version before the typed dialog wrote it: ticks inside the answers.
    old = await _stored(coach)
    old["answers"]["equipment_pending"] = [
        "band",
        "pullup-bar",
    ]  # no heavy kit: no lifting question
    await _store(coach, old)
    await coach.send("done")
    assert coach.last() == texts.ASK_TIMEZONE
    for answer in ("Europe/London", "none"):
        await coach.send(answer)
    assert "Resistance band, Pull-up bar" in coach.last()
    await coach.send("yes")
    assert texts.SETUP_DONE in coach.texts()


async def test_a_dialog_that_does_not_read_fails_safe(coach: Coach):
    await coach.send("/start")
    await _store(coach, {"flow": "quiz", "answers": {"goal": "none"}})
    await coach.send("hello")
    assert coach.last() == texts.NO_PLAN_YET  # no dialog: as for a runner who never started
    await coach.send("/start")
    assert coach.last() == texts.ASK_GOAL
