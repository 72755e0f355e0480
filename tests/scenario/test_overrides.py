"""`--set PATH=VALUE` overrides: addressing by id and index, adding keys, and the messages a
user gets for a path or a value that is wrong."""

from __future__ import annotations

import copy

import pytest
from scenario_files import FULL, MINIMAL

from acsasim.scenario import ScenarioError, load_scenario, load_text
from acsasim.scenario.load import validate
from acsasim.scenario.source import parse_text

TEXT = FULL.read_text()


def problems(overrides: list[str], text: str = TEXT) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "full.yaml", overrides)
    return [str(p) for p in caught.value.problems]


def test_a_list_item_is_addressed_by_its_id() -> None:
    before = load_scenario(FULL)
    after = load_scenario(FULL, ["holders.jgsdf-coy.stock.diesel.initial=9000"])
    assert before.holder("jgsdf-coy").stock["diesel"].initial == 8000
    assert after.holder("jgsdf-coy").stock["diesel"].initial == 9000
    # nothing else moved
    assert after.holder("jgsdf-coy").stock["diesel"].capacity == 12000
    assert after.holder("ph-subic-pol") == before.holder("ph-subic-pol")


def test_an_agreement_is_addressed_by_its_id() -> None:
    s = load_scenario(FULL, ["agreements.JP-PH-ACSA.settlement.deadline=180d"])
    assert s.agreements[0].settlement.deadline == 180 * 24


def test_a_list_without_ids_is_addressed_by_index() -> None:
    s = load_scenario(FULL, ["timeline.0.to=5d"])
    assert s.timeline[0].to == 5 * 24
    assert s.timeline[1].to == 12 * 24


def test_an_index_out_of_range_says_how_many_items_there_are() -> None:
    assert problems(["timeline.9.to=5d"]) == [
        "--set timeline.9.to=5d: 'timeline' is a list of 5 items: address one by 0..4"
    ]


def test_an_optional_key_the_file_leaves_out_is_added() -> None:
    text = TEXT.replace("      offset_after: 540d\n", "")
    assert load_text(text).agreements[0].settlement.offset_after is None
    s = load_text(text, overrides=["agreements.JP-PH-ACSA.settlement.offset_after=540d"])
    assert s.agreements[0].settlement.offset_after == 540 * 24


def test_a_whole_missing_section_is_added() -> None:
    text = MINIMAL.read_text()
    s = load_text(
        text,
        overrides=[
            "parties.PH={currency: USD}",
            "agreements=[{id: JP-PH, parties: [JP, PH]}]",
            "agreements.JP-PH.settlement.on_deadline=stay_overdue",
            "policy.acsa=never",
        ],
    )
    assert s.agreements[0].settlement.on_deadline == "stay_overdue"
    assert s.policy.acsa == "never"


def test_overrides_apply_in_order() -> None:
    assert load_scenario(FULL, ["seed=1", "seed=2"]).seed == 2


def test_the_value_is_read_as_yaml() -> None:
    s = load_scenario(
        FULL,
        [
            "routes.0.time={triangular: [1h, 2h, 3h]}",
            "agreements.JP-PH-ACSA.categories=[fuel, food]",
            "name='quoted-name'",
            "commodities.airlift.service=false",
        ],
    )
    assert s.routes[0].time.kind == "triangular"
    assert s.agreements[0].categories == ("fuel", "food")
    assert s.name == "quoted-name"
    assert s.commodities["airlift"].service is False


def test_an_unknown_id_names_the_closest_one() -> None:
    assert problems(["holders.jgsdf-cy.personnel=5"]) == [
        "--set holders.jgsdf-cy.personnel=5: unknown id 'jgsdf-cy' in 'holders'; "
        "did you mean 'jgsdf-coy'?"
    ]
    assert problems(["holders.jgsdf-coy.stock.disel.initial=5"]) == [
        "--set holders.jgsdf-coy.stock.disel.initial=5: unknown id 'disel' in "
        "'holders.jgsdf-coy.stock'; did you mean 'diesel'?"
    ]


def test_a_position_in_a_list_of_ids_names_the_item_there() -> None:
    assert problems(["holders.1.personnel=5"]) == [
        "--set holders.1.personnel=5: unknown id '1' in 'holders'; "
        "its items are addressed by id: item 1 is 'holders.ph-subic-pol'"
    ]
    assert problems(["holders.7.personnel=5"]) == [  # no item there, nor a close id
        "--set holders.7.personnel=5: unknown id '7' in 'holders'; "
        "the ids there are jgsdf-coy, ph-subic-pol"
    ]


def test_an_unknown_key_names_the_closest_valid_path() -> None:
    assert problems(["holders.jgsdf-coy.stock.diesel.intial=5"]) == [
        "--set holders.jgsdf-coy.stock.diesel.intial=5: the format has no key 'intial' in "
        "'holders.jgsdf-coy.stock.diesel'; did you mean 'holders.jgsdf-coy.stock.diesel.initial'?"
    ]
    assert problems(["sed=5"]) == [
        "--set sed=5: the format has no key 'sed' in the top level; did you mean 'seed'?"
    ]
    assert problems(["agreements.JP-PH-ACSA.setlement.deadline=3d"]) == [
        "--set agreements.JP-PH-ACSA.setlement.deadline=3d: the format has no key 'setlement' "
        "in 'agreements.JP-PH-ACSA'; did you mean 'agreements.JP-PH-ACSA.settlement'?"
    ]


def test_a_bad_value_is_reported_against_the_override() -> None:
    assert problems(["duration=21"]) == [
        "--set duration=21: give a unit, e.g. 21h or 21d (a bare number is ambiguous)"
    ]
    # a problem deep inside the value still points at the override, and only once
    assert problems(["holders.jgsdf-coy.stock={diesel: {initial: -1}}"]) == [
        "--set holders.jgsdf-coy.stock={diesel: {initial: -1}}: must be at least 0.0, got -1"
    ]


def test_a_cross_check_is_reported_against_the_override_that_caused_it() -> None:
    assert problems(["holders.jgsdf-coy.supplied_by=jp-sealfit"]) == [
        "--set holders.jgsdf-coy.supplied_by=jp-sealfit: unknown supply line 'jp-sealfit'; "
        "did you mean 'jp-sealift'?"
    ]
    assert problems(["timeline.3.destroy_stock.commodity=jp5"]) == [
        "--set timeline.3.destroy_stock.commodity=jp5: 'jgsdf-coy' has no stock of 'jp5'"
    ]


def test_a_problem_under_a_section_the_override_added_is_the_overrides() -> None:
    # the file has no `transport` for this holder: the override adds it, without `vehicles`
    assert problems(["holders.jgsdf-coy.transport.load.diesel=5"]) == [
        "--set holders.jgsdf-coy.transport.load.diesel=5: missing required key 'vehicles'"
    ]
    s = load_scenario(FULL, ["holders.jgsdf-coy.transport.vehicles=2"])
    assert s.holder("jgsdf-coy").transport.vehicles == 2


def test_a_problem_the_override_did_not_touch_stays_in_the_file() -> None:
    found = problems(["holders.jgsdf-coy.stock.diesel.capacity=100"])
    assert found == [
        "full.yaml:79:27: initial 8000 is above capacity 100",
        "full.yaml:79:59: reorder 4000 is above capacity 100",
    ]


def test_every_bad_override_is_reported_at_once() -> None:
    found = problems(["seed=-1", "tick=1", "nope=1"])
    assert len(found) == 1  # a path error stops before validation...
    assert found[0].startswith("--set nope=1: the format has no key 'nope'")
    found = problems(["seed=-1", "tick=1"])  # ...values are all checked together
    assert found == [
        "--set seed=-1: must be at least 0, got -1",
        "--set tick=1: give a unit, e.g. 1h or 1d (a bare number is ambiguous)",
    ]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("seed", "write PATH=VALUE, e.g. seed=7 or duration=30d"),
        ("=7", "write PATH=VALUE"),
        ("holders..id=x", "empty key in path 'holders..id'"),
        ("seed.x=1", "'seed' holds a single value, not keys"),
        ("seed=[1", "YAML syntax: expected ',' or ']'"),
        ("seed=!!python/object:os.system x", "YAML tag"),
        ("seed=", "Input should be a valid integer, got None"),
    ],
)
def test_a_malformed_override_is_explained(override: str, message: str) -> None:
    (found,) = problems([override])
    assert found.startswith(f"--set {override}: ")
    assert message in found


def test_a_path_into_a_list_the_file_does_not_have() -> None:
    (found,) = problems(["timeline.0.to=5d"], MINIMAL.read_text())
    assert found == (
        "--set timeline.0.to=5d: the file has no 'timeline' list: set it whole, e.g. timeline=[...]"
    )


def test_an_entry_of_an_id_keyed_mapping_must_exist() -> None:
    (found,) = problems(["prices.US.diesel=1"])
    assert (
        found == "--set prices.US.diesel=1: unknown id 'US' in 'prices'; the ids there are JP, PH"
    )


def test_the_callers_data_is_not_mutated() -> None:
    data, positions = parse_text(TEXT, "full.yaml")
    pristine = copy.deepcopy(data)
    s = validate(
        data,
        positions,
        "full.yaml",
        ["holders.jgsdf-coy.stock.diesel.initial=9000", "timeline.0.to=5d", "seed=3"],
    )
    assert s.seed == 3
    assert data == pristine
    with pytest.raises(ScenarioError):
        validate(data, positions, "full.yaml", ["holders.jgsdf-coy.stock.diesel.initial=-1"])
    assert data == pristine
    assert validate(data, positions, "full.yaml") == load_scenario(FULL)
