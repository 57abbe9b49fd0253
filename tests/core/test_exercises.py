"""The exercise library: complete, honest about what each exercise loads, usable without kit."""

from __future__ import annotations

import pytest

from core.exercises import BY_KEY, LIBRARY, PLYOMETRIC_KEYS, by_category, fits_equipment
from core.models import BodyArea, Category, Equipment, expand_equipment

LOWER_LIMB = frozenset(
    {
        BodyArea.FOOT,
        BodyArea.ACHILLES,
        BodyArea.CALF,
        BodyArea.SHIN,
        BodyArea.KNEE_FRONT,
        BodyArea.KNEE_OUTSIDE,
        BodyArea.HAMSTRING,
    }
)

# The 26 exercises every library must offer, and the library keys that cover each one.
TABLE_ROWS = {
    1: {"goblet_squat", "back_squat"},
    2: {"single_leg_box_squat"},
    3: {"split_squat", "rear_foot_elevated_split_squat"},
    4: {"reverse_lunge", "lateral_lunge"},
    5: {"step_up"},
    6: {"trap_bar_deadlift"},
    7: {"db_romanian_deadlift", "single_leg_rdl"},
    8: {"glute_bridge", "single_leg_bridge", "hip_thrust"},
    9: {"standing_calf_raise"},
    10: {"bent_knee_calf_raise"},
    11: {"towel_heel_raise"},
    12: {"eccentric_heel_drop"},
    13: {"tibialis_raise"},
    14: {"side_lying_abduction"},
    15: {"clamshell"},
    16: {"crab_walk"},
    17: {"front_plank"},
    18: {"side_plank"},
    19: {"dead_bug"},
    20: {"crunch"},
    21: {"russian_twist"},
    22: {"v_up"},
    23: {"push_up"},
    24: {"pull_up", "inverted_row"},
    25: {"reverse_fly"},
    26: {"pogo_hops"},
}


def test_library_is_large_with_unique_keys() -> None:
    assert len(LIBRARY) >= 30
    assert len(BY_KEY) == len(LIBRARY)
    assert all(BY_KEY[e.key] is e for e in LIBRARY)
    assert len({e.name for e in LIBRARY}) == len(LIBRARY)


@pytest.mark.parametrize(("row", "keys"), sorted(TABLE_ROWS.items()))
def test_every_row_of_the_evidence_table_is_in_the_library(row: int, keys: set[str]) -> None:
    assert keys <= BY_KEY.keys(), f"row {row} missing {keys - BY_KEY.keys()}"


@pytest.mark.parametrize("exercise", LIBRARY, ids=lambda e: e.key)
def test_each_exercise_is_fully_described(exercise: object) -> None:
    from core.models import Exercise

    assert isinstance(exercise, Exercise)
    assert 2 <= len(exercise.cues) <= 3
    assert all(len(cue) > 15 and cue.endswith(".") for cue in exercise.cues)
    assert len(set(exercise.cues)) == len(exercise.cues)
    assert exercise.easier and exercise.harder
    assert exercise.name not in (exercise.easier, exercise.harder)
    assert exercise.easier != exercise.harder
    # Exactly one of reps or a hold.
    assert (exercise.reps is None) != (exercise.hold_seconds is None)


def test_hip_and_calf_mobility_and_race_week_activation_are_there() -> None:
    mobility = {e.key for e in by_category(Category.MOBILITY)}
    assert {"hip_flexor_stretch", "calf_stretch", "hip_90_90", "worlds_greatest_stretch"} <= (
        mobility
    )
    assert {"ankle_rocks", "leg_swings", "glute_bridge_hold"} <= mobility
    assert not mobility & PLYOMETRIC_KEYS


@pytest.mark.parametrize(
    "category",
    [
        Category.SINGLE_LEG,
        Category.HIP_STABILITY,
        Category.POSTERIOR,
        Category.TRUNK,
        Category.UPPER,
        Category.MOBILITY,
    ],
)
def test_a_runner_with_no_kit_has_options_in_every_category(category: Category) -> None:
    bodyweight = [e for e in by_category(category) if not e.equipment]
    assert len(bodyweight) >= 2


def test_upper_back_has_bodyweight_pulls_not_only_push_ups() -> None:
    pulls = {"inverted_row", "towel_row", "prone_y_t_raise", "superman_hold"}
    assert all(not BY_KEY[k].equipment for k in pulls)
    assert all(BY_KEY[k].category is Category.UPPER for k in pulls)


def test_heavy_lifts_need_a_gym_or_dumbbells() -> None:
    compounds = by_category(Category.COMPOUND)
    assert {e.key for e in compounds} >= {"goblet_squat", "db_romanian_deadlift", "back_squat"}
    for e in compounds:
        assert e.equipment and e.equipment <= {Equipment.GYM, Equipment.DUMBBELLS}
        assert e.sets == 5 and e.reps is not None and 4 <= e.reps <= 6
        assert e.rest_seconds >= 120


@pytest.mark.parametrize(
    ("key", "areas"),
    [
        ("split_squat", {BodyArea.KNEE_FRONT, BodyArea.HIP}),
        ("standing_calf_raise", {BodyArea.CALF, BodyArea.ACHILLES, BodyArea.FOOT}),
        ("eccentric_heel_drop", {BodyArea.CALF, BodyArea.ACHILLES, BodyArea.FOOT}),
        ("pogo_hops", {BodyArea.ACHILLES, BodyArea.CALF, BodyArea.FOOT, BodyArea.SHIN}),
        ("trap_bar_deadlift", {BodyArea.HAMSTRING, BodyArea.HIP, BodyArea.LOWER_BACK}),
        ("side_lying_abduction", {BodyArea.HIP}),
        ("push_up", {BodyArea.SHOULDER}),
        ("pull_up", {BodyArea.SHOULDER}),
        ("tibialis_raise", {BodyArea.SHIN}),
        ("glute_bridge", {BodyArea.HIP, BodyArea.HAMSTRING}),
    ],
)
def test_what_an_exercise_loads_is_recorded(key: str, areas: set[BodyArea]) -> None:
    assert areas <= BY_KEY[key].loads


def test_planks_and_core_work_spare_the_legs() -> None:
    for key in ("front_plank", "side_plank", "dead_bug", "bird_dog", "pallof_press"):
        assert not BY_KEY[key].loads & LOWER_LIMB, key


def test_every_lower_body_strength_exercise_loads_something() -> None:
    lower = (Category.COMPOUND, Category.SINGLE_LEG, Category.HIP_STABILITY, Category.POSTERIOR)
    for e in LIBRARY:
        if e.category in lower:
            assert e.loads, e.key


def test_single_leg_category_is_single_leg() -> None:
    assert all(e.single_leg for e in by_category(Category.SINGLE_LEG))


def test_equipment_check() -> None:
    bodyweight = expand_equipment(frozenset({Equipment.NONE}))
    gym = expand_equipment(frozenset({Equipment.GYM}))
    band = expand_equipment(frozenset({Equipment.BAND}))
    assert fits_equipment(BY_KEY["split_squat"], bodyweight)
    assert not fits_equipment(BY_KEY["crab_walk"], bodyweight)
    assert fits_equipment(BY_KEY["crab_walk"], band)
    assert fits_equipment(BY_KEY["reverse_fly"], band)  # a band or dumbbells will do
    assert not fits_equipment(BY_KEY["back_squat"], band)
    assert fits_equipment(BY_KEY["back_squat"], gym)
    assert fits_equipment(BY_KEY["pull_up"], gym)
