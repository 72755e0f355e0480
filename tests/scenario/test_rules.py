"""Every rule of the scenario format, one valid and one invalid case at least.

Each row changes the valid full scenario with `--set PATH=VALUE` overrides (the command
line's mechanism) and states what must come of it: for a valid case a check of the loaded
value, for an invalid one a fragment of the problem the user must see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from scenario_files import FULL

from acsasim.scenario import Scenario, ScenarioError, load_scenario, load_text
from acsasim.scenario.load import validate
from acsasim.scenario.model import Event, Phase
from acsasim.scenario.source import parse_text

TEXT = FULL.read_text()
# Read once: each row then runs what `load_text(TEXT, overrides=...)` runs after the YAML parse.
PARSED = parse_text(TEXT, "full.yaml")


def load(overrides: list[str]) -> Scenario:
    return validate(*PARSED, "full.yaml", overrides)


H = 1.0
D = 24.0

Check = Callable[[Scenario], bool]


def holder(s: Scenario, hid: str = "jgsdf-coy") -> Any:
    return s.holder(hid)


def agreement(s: Scenario) -> Any:
    return s.agreements[0]


def line(s: Scenario) -> Any:
    return s.supply_lines[0]


def event(s: Scenario) -> Event:
    return s.events[0]


def phase(s: Scenario, i: int = 1) -> Phase:
    item = s.timeline[i]
    assert isinstance(item, Phase)
    return item


AG = "agreements.JP-PH-ACSA"
SL = "supply_lines.jp-sealift"
COY = "holders.jgsdf-coy"
POL = "holders.ph-subic-pol"

# (rule, overrides, expected): a Check for a valid case, a message fragment for an invalid one.
RULES: list[tuple[str, list[str], Check | str]] = [
    # --- top level ----------------------------------------------------------------------------
    ("version", ["acsasim=1"], lambda s: s.acsasim == 1),
    ("version", ["acsasim=2"], "2 is not one of: 1"),
    ("name", ["name=drill_2.b-x"], lambda s: s.name == "drill_2.b-x"),
    ("name", ["name=my drill"], "should match pattern"),
    ("description", ["description='Anything at all: 1, 2'"], lambda s: "1, 2" in s.description),
    ("description", ["description=[1, 2]"], "valid string"),
    ("seed", ["seed=7"], lambda s: s.seed == 7),
    ("seed", ["seed=-1"], "must be at least 0"),
    ("seed", ["seed=many"], "valid integer"),
    # durations: every unit, decimals; a unit is required, never negative
    ("duration unit s", ["duration=1814400s"], lambda s: s.duration == 21 * D),
    ("duration unit s", ["duration=1814400 sec"], "not a duration: '1814400 sec'"),
    ("duration unit min", ["duration=30240min"], lambda s: s.duration == 21 * D),
    ("duration unit min", ["duration=30240mins"], "write a number and a unit (s, min, h, d, w)"),
    ("duration unit h", ["duration=504h"], lambda s: s.duration == 21 * D),
    ("duration unit h", ["duration=504"], "give a unit, e.g. 504h or 504d"),
    ("duration unit d", ["duration=21.5d"], lambda s: s.duration == 21.5 * D),
    ("duration unit d", ["duration=21days"], "not a duration: '21days'"),
    ("duration unit w", ["duration=3w"], lambda s: s.duration == 21 * D),
    ("duration unit w", ["duration=-3w"], "a duration cannot be negative: '-3w'"),
    ("duration decimal", ["duration=.5w", "timeline=[]"], lambda s: s.duration == 84 * H),
    ("duration decimal", ["duration=1e3h"], "not a duration: '1e3h'"),
    ("duration above 0", ["duration=1d", "timeline=[]"], lambda s: s.duration == D),
    ("duration above 0", ["duration=0d", "timeline=[]"], "the scenario must last longer than 0h"),
    ("tick", ["tick=90min"], lambda s: s.tick == 1.5),
    ("tick", ["tick=0h"], "tick must be above 0 and at most the duration"),
    ("tick", ["tick=22d"], "tick must be above 0 and at most the duration"),
    ("handling", ["handling=30min"], lambda s: s.handling == 0.5),
    ("handling", ["handling=1"], "give a unit"),
    # dates and date-times
    ("date", ["start=2026-06-01"], lambda s: s.start == datetime(2026, 6, 1)),
    ("date", ["start=2026-02-30"], "cannot read '2026-02-30'"),
    ("datetime", ["start=2026-06-01T06:30"], lambda s: s.start == datetime(2026, 6, 1, 6, 30)),
    ("datetime", ["start=soon"], "valid datetime"),
    (
        "datetime with zone",
        ["start=2026-06-01T06:00:00+09:00"],
        lambda s: s.start == datetime(2026, 5, 31, 21, 0),
    ),
    ("datetime with zone", ["start=2026-06-01T25:00"], "valid datetime"),
    # currencies
    (
        "reporting currency",
        ["reporting_currency=JPY", "currencies={USD: 0.00645, JPY: 1, PHP: 0.374}"],
        lambda s: s.rate("JPY") == 1 and s.rate("USD") == 0.00645,
    ),
    ("reporting currency", ["reporting_currency=yen"], "should match pattern '^[A-Z]{3}$'"),
    ("reporting currency rate is 1", ["currencies.USD=1.0"], lambda s: s.rate("USD") == 1),
    (
        "reporting currency rate is 1",
        ["currencies.USD=2"],
        "the reporting currency's rate must be 1",
    ),
    ("currency rates", ["currencies.JPY=150.5"], lambda s: s.rate("JPY") == 150.5),
    ("currency rates", ["currencies.JPY=0"], "must be above 0"),
    ("party currency", ["parties.JP.currency=USD"], lambda s: s.parties["JP"].currency == "USD"),
    ("party currency", ["parties.JP.currency=EUR"], "currency 'EUR' has no rate in 'currencies'"),
    # policy
    ("policy", ["policy.acsa=never"], lambda s: s.policy.acsa == "never"),
    ("policy", ["policy.acsa=first"], lambda s: s.policy.acsa == "first"),
    ("policy", ["policy.acsa=when_national_late"], lambda s: s.policy.acsa == "when_national_late"),
    ("policy", ["policy.acsa=sometimes"], "'sometimes' is not one of: never, when_national_late"),
    ("policy", ["policy.acsa=nevr"], "did you mean 'never'?"),
    # --- parties, commodities, prices --------------------------------------------------------
    ("tax vat", ["parties.PH.tax.vat=0"], lambda s: s.parties["PH"].tax.vat == 0),
    ("tax vat", ["parties.PH.tax.vat=1.5"], "must be at most 1"),
    ("tax excise", ["parties.PH.tax.excise={jp5: 4.5}"], lambda s: s.parties["PH"].tax.excise),
    ("tax excise", ["parties.PH.tax.excise={dissel: 3}"], "unknown commodity 'dissel'"),
    ("tax excise", ["parties.PH.tax.excise.diesel=-6"], "must be at least 0"),
    ("ids", ["agreements.JP-PH-ACSA.id=JP_PH-2"], lambda s: agreement(s).id == "JP_PH-2"),
    ("ids", ["agreements.JP-PH-ACSA.id=2nd-acsa"], "invalid id '2nd-acsa'"),
    ("ids", ["agreements.JP-PH-ACSA.id=JP PH"], "invalid id 'JP PH'"),
    ("ids", ["sites={subic: {party: PH}, _camp: {party: PH}}"], "invalid id '_camp'"),
    ("ids unique", ["supply_lines.jp-sealift.id=jp-sealift"], lambda s: len(s.supply_lines) == 1),
    ("ids unique", [f"{POL}.id=jgsdf-coy"], "duplicate id 'jgsdf-coy' in holders"),
    ("category", ["commodities.jp5.category=port_services"], lambda s: True),
    ("category", ["commodities.jp5.category=fual"], "'fual' is not one of"),
    ("category", ["commodities.jp5.category=fual"], "did you mean 'fuel'?"),
    ("unit", ["commodities.jp5.unit=m3"], lambda s: s.commodities["jp5"].unit == "m3"),
    ("unit", ["commodities.jp5={category: fuel}"], "missing required key 'unit'"),
    ("service flag", ["commodities.airlift.service=false"], lambda s: True),
    ("service flag", ["commodities.ration.service=true"], lambda s: True),
    ("service flag", ["commodities.airlift.service=maybe"], "valid boolean"),
    ("prices", ["prices.PH.airlift=500000"], lambda s: s.prices["PH"]["airlift"] == 500000),
    ("prices", ["prices.PH.diesel=-1"], "must be at least 0"),
    ("prices", ["prices.PH.diesel=cheap"], "valid number"),
    ("prices", ["prices={US: {diesel: 1}}"], "unknown party 'US'"),
    ("prices", ["prices.JP={diesle: 1}"], "unknown commodity 'diesle'; did you mean 'diesel'?"),
    # --- sites and routes ---------------------------------------------------------------------
    ("sites", ["sites.clark.party=JP"], lambda s: s.sites["clark"].party == "JP"),
    ("sites", ["sites.clark.party=PHL"], "unknown party 'PHL'; did you mean 'PH'?"),
    ("sites", ["sites.clark.party=ph"], "unknown party 'ph'; did you mean 'PH'?"),
    ("sites", ["sites.clark.party=Jp"], "unknown party 'Jp'; did you mean 'JP'?"),
    ("routes", ["routes.0.time=2h"], lambda s: s.routes[0].time.params == (2.0,)),
    ("routes", ["routes.0.time=3"], "give a unit"),
    ("routes", ["routes.0.between=[clark, subic]"], lambda s: s.routes[0].between[0] == "clark"),
    ("routes", ["routes.0.between=[subic, subic]"], "a route joins two different sites"),
    (
        "routes",
        ["routes.0.between=[subic, clarke]"],
        "unknown site 'clarke'; did you mean 'clark'?",
    ),
    ("routes", ["routes.0.between=[subic]"], "missing required key '1'"),
    ("routes connect", ["routes.1.between=[fort-magsaysay, clark]"], lambda s: True),
    (
        "routes connect",
        ["routes.1.between=[subic, clark]"],
        "delivers to 'subic', which no route connects to 'fort-magsaysay'; add a route",
    ),
    # --- distributions (of durations) ---------------------------------------------------------
    (
        "triangular",
        [f"{SL}.lead_time={{triangular: [1d, 1d, 1d]}}"],
        lambda s: line(s).lead_time.params == (24.0, 24.0, 24.0),
    ),
    ("triangular", [f"{SL}.lead_time={{triangular: [3d, 2d, 4d]}}"], "low <= mode <= high"),
    ("triangular", [f"{SL}.lead_time={{triangular: [2d, 4d]}}"], "[low, mode, high]"),
    ("triangular", [f"{SL}.lead_time={{triangular: [4, 6, 10]}}"], "give a unit"),
    ("uniform", [f"{SL}.lead_time={{uniform: [2d, 90h]}}"], lambda s: line(s).lead_time.mean == 69),
    ("uniform", [f"{SL}.lead_time={{uniform: [5d, 2d]}}"], "uniform needs low <= high"),
    ("normal", [f"{SL}.lead_time={{normal: [5d, 1d]}}"], lambda s: line(s).lead_time.mean == 120),
    ("normal", [f"{SL}.lead_time={{normal: [5d]}}"], "normal takes [mean, sd]"),
    (
        "lognormal",
        [f"{SL}.lead_time={{lognormal: {{mean: 5d, cv: 0.3}}}}"],
        lambda s: line(s).lead_time.params == (120.0, 0.3),
    ),
    ("lognormal", [f"{SL}.lead_time={{lognormal: {{mean: 5d, cv: -0.3}}}}"], "cannot be negative"),
    ("lognormal", [f"{SL}.lead_time={{lognormal: {{mean: 5d}}}}"], "lognormal takes {mean: m"),
    (
        "exponential",
        [f"{SL}.lead_time={{exponential: 5d}}"],
        lambda s: line(s).lead_time.mean == 120,
    ),
    ("exponential", [f"{SL}.lead_time={{exponential: 0d}}"], "exponential needs a mean above 0"),
    ("distribution kind", [f"{SL}.lead_time=6d"], lambda s: line(s).lead_time.kind == "fixed"),
    ("distribution kind", [f"{SL}.lead_time={{poisson: 5d}}"], "unknown distribution 'poisson'"),
    (
        "distribution kind",
        [f"{SL}.lead_time={{uniform: [1d, 2d], normal: [1d, 1d]}}"],
        "a distribution is a mapping with one key",
    ),
    # --- agreements ---------------------------------------------------------------------------
    ("agreement parties", [f"{AG}.parties=[PH, JP]"], lambda s: agreement(s).parties[0] == "PH"),
    ("agreement parties", [f"{AG}.parties=[JP, JP]"], "an agreement binds two different parties"),
    ("agreement parties", [f"{AG}.parties=[JP, US]"], "unknown party 'US'"),
    ("agreement parties", [f"{AG}.parties=[JP, PH, US]"], "Tuple should have at most 2 items"),
    (
        "agreement pair is unique",
        ["agreements=[{id: A, parties: [JP, PH]}]"],
        lambda s: agreement(s).id == "A",
    ),
    (
        "agreement pair is unique",
        ["agreements=[{id: A, parties: [JP, PH]}, {id: B, parties: [PH, JP]}]"],
        "these parties already have agreement 'A'",
    ),
    (
        "agreement ids are unique",
        ["agreements=[{id: A, parties: [JP, PH]}, {id: A, parties: [JP, PH]}]"],
        "duplicate id 'A' in agreements",
    ),
    (
        "agreement ids are unique",
        ["agreements=[{id: A, parties: [JP, PH]}]", "parties.US={currency: USD}"],
        lambda s: len(s.parties) == 3,
    ),
    (
        "in_force",
        [f"{AG}.in_force=2026-06-01T12:00:00"],
        lambda s: agreement(s).in_force == datetime(2026, 6, 1, 12),
    ),
    ("in_force", [f"{AG}.in_force=null"], lambda s: agreement(s).in_force is None),
    ("in_force", [f"{AG}.in_force=2026-07-01"], "in force 2026-07-01, after the scenario ends"),
    ("in_force", [f"{AG}.in_force=next week"], "valid datetime"),
    # activities are declared ids: an agreement or a phase naming another is an error
    (
        "activities",
        [
            "activities=[exercise, stabilisation]",
            f"{AG}.activities=[exercise, stabilisation]",
            "timeline.1.activity=stabilisation",
            "timeline.4.activity=exercise",
        ],
        lambda s: agreement(s).activities == ("exercise", "stabilisation"),
    ),
    (
        "activities",
        [f"{AG}.activities=[exercise, stabilisation]"],
        "unknown activity 'stabilisation'",
    ),
    ("activities", [f"{AG}.activities=[exercize]"], "did you mean 'exercise'?"),
    ("activities", ["timeline.1.activity=disaster-relief"], "did you mean 'disaster_relief'?"),
    ("activities", [f"{AG}.activities=[routine]"], lambda s: "routine" in agreement(s).activities),
    ("activities", ["activities=[exercise, exercise]"], "activity 'exercise' is declared twice"),
    ("activities", ["activities=[Exercise 1]"], "invalid id 'Exercise 1'"),
    (
        "activities",
        [f"{AG}.activities=[exercise, disaster relief]"],
        "invalid id 'disaster relief'",
    ),
    ("categories", [f"{AG}.categories=[fuel]"], lambda s: agreement(s).categories == ("fuel",)),
    ("categories", [f"{AG}.categories=[fuel, gas]"], "'gas' is not one of"),
    ("excluded", [f"{AG}.excluded=[rifle, jp5]"], lambda s: "jp5" in agreement(s).excluded),
    ("excluded", [f"{AG}.excluded=[rilfe]"], "unknown commodity 'rilfe'; did you mean 'rifle'?"),
    ("tax_exempt", [f"{AG}.tax_exempt=false"], lambda s: agreement(s).tax_exempt is False),
    ("tax_exempt", [f"{AG}.tax_exempt=perhaps"], "valid boolean"),
    (
        "agreement keys",
        [f"{AG}.settlement={{}}"],
        lambda s: agreement(s).settlement.deadline == 8760,
    ),
    ("agreement keys", [f"{AG}.tax_exemt=true"], f"did you mean '{AG}.tax_exempt'?"),
    # settlement
    ("methods", [f"{AG}.settlement.methods=[cash]"], lambda s: True),
    ("methods", [f"{AG}.settlement.methods=[]"], "Tuple should have at least 1 item"),
    ("methods", [f"{AG}.settlement.methods=[cash, barter]"], "'barter' is not one of"),
    ("deadline", [f"{AG}.settlement.deadline=180d"], lambda s: True),
    ("deadline", [f"{AG}.settlement.deadline=180"], "give a unit"),
    ("on_deadline", [f"{AG}.settlement.on_deadline=stay_overdue"], lambda s: True),
    ("on_deadline", [f"{AG}.settlement.on_deadline=forgive"], "'forgive' is not one of"),
    (
        "invoice_after",
        [f"{AG}.settlement.invoice_after={{uniform: [20d, 40d]}}"],
        lambda s: agreement(s).settlement.invoice_after.kind == "uniform",
    ),
    ("invoice_after", [f"{AG}.settlement.invoice_after=-1d"], "cannot be negative"),
    ("payment_terms", [f"{AG}.settlement.payment_terms={{exponential: 30d}}"], lambda s: True),
    ("payment_terms", [f"{AG}.settlement.payment_terms={{exponential: -30d}}"], "negative"),
    ("offset_after", [f"{AG}.settlement.offset_after=600d"], lambda s: True),
    ("offset_after", [f"{AG}.settlement.offset_after=null"], lambda s: True),
    ("offset_after", [f"{AG}.settlement.offset_after=soon"], "not a duration: 'soon'"),
    ("settlement keys", [f"{AG}.settlement.deadline=1w"], lambda s: True),
    ("settlement keys", [f"{AG}.settlement.deadlines=1w"], "did you mean"),
    # ceilings
    ("ceilings", [f"{AG}.ceilings.value=1000"], lambda s: agreement(s).ceilings.value == 1000),
    ("ceilings", [f"{AG}.ceilings={{}}"], lambda s: agreement(s).ceilings.value is None),
    ("ceilings", [f"{AG}.ceilings.value=-5"], "must be at least 0"),
    ("ceilings", [f"{AG}.ceilings.supplies_value=0"], lambda s: True),
    ("ceilings", [f"{AG}.ceilings.supplies_value=lots"], "valid number"),
    ("ceilings", [f"{AG}.ceilings.total=5"], "the format has no key 'total' in '"),
    # --- supply lines -------------------------------------------------------------------------
    ("supply every", [f"{SL}.every=null"], lambda s: line(s).every is None),  # on demand
    ("supply every", [f"{SL}.every=3d"], lambda s: line(s).every == 72),
    ("supply every", [f"{SL}.every=0d"], "departures must be more than 0h apart"),
    ("supply every", [f"{SL}.every=7"], "give a unit"),
    (
        "supply every omitted",
        [
            "supply_lines=[{id: jp-sealift, party: JP, deliver_to: subic, commodities: [diesel], "
            "lead_time: 5d}]"
        ],
        lambda s: line(s).every is None and line(s).first_departure == 0 and not line(s).capacity,
    ),
    (
        "supply every omitted",
        ["supply_lines=[{id: jp-sealift, party: JP, deliver_to: subic, commodities: [diesel]}]"],
        "missing required key 'lead_time'",
    ),
    ("first_departure", [f"{SL}.first_departure=0h"], lambda s: line(s).first_departure == 0),
    ("first_departure", [f"{SL}.first_departure=-2d"], "cannot be negative"),
    ("supply commodities", [f"{SL}.commodities=[diesel]", f"{SL}.capacity={{}}"], lambda s: True),
    ("supply commodities", [f"{SL}.commodities=[]"], "Tuple should have at least 1 item"),
    ("supply commodities", [f"{SL}.commodities=[diesel, petrol]"], "unknown commodity 'petrol'"),
    ("supply capacity", [f"{SL}.capacity.diesel=0"], lambda s: line(s).capacity["diesel"] == 0),
    ("supply capacity", [f"{SL}.capacity.diesel=-1"], "must be at least 0"),
    (
        "supply capacity",
        [f"{SL}.capacity={{jp5: 5}}"],
        "'jp5' is not among this line's commodities",
    ),
    ("supply deliver_to", [f"{SL}.deliver_to=clark"], lambda s: line(s).deliver_to == "clark"),
    (
        "supply deliver_to",
        [f"{SL}.deliver_to=subik"],
        "unknown site 'subik'; did you mean 'subic'?",
    ),
    ("supply party", [f"{SL}.party=PH"], lambda s: line(s).party == "PH"),
    ("supply party", [f"{SL}.party=JPN"], "unknown party 'JPN'; did you mean 'JP'?"),
    # --- holders ------------------------------------------------------------------------------
    ("holder party", [f"{COY}.party=PH"], lambda s: holder(s).party == "PH"),
    ("holder party", [f"{COY}.party=JAP"], "unknown party 'JAP'"),
    ("holder site", [f"{COY}.site=clark"], lambda s: holder(s).site == "clark"),
    ("holder site", [f"{COY}.site=fort-magsaysai"], "did you mean 'fort-magsaysay'?"),
    ("supplied_by", [f"{COY}.supplied_by=null"], lambda s: holder(s).supplied_by is None),
    ("supplied_by", [f"{COY}.supplied_by=jp-sealfit"], "unknown supply line 'jp-sealfit'"),
    ("kind", [f"{POL}.kind=unit"], lambda s: holder(s, "ph-subic-pol").kind == "unit"),
    ("kind", [f"{POL}.kind=warehouse"], "'warehouse' is not one of: unit, depot"),
    (
        "depot consumes nothing",
        [f"{COY}.kind=depot", f"{COY}.consumption={{}}", "timeline=[]"],
        lambda s: holder(s).kind == "depot",
    ),
    ("depot consumes nothing", [f"{COY}.kind=depot"], "a depot only provides"),
    (
        "kind defaults to unit",
        [f"{POL}={{id: ph-subic-pol, party: PH, site: subic}}"],
        lambda s: holder(s, "ph-subic-pol").kind == "unit" and not holder(s, "ph-subic-pol").stock,
    ),
    ("kind defaults to unit", [f"{POL}={{id: ph-subic-pol, party: PH}}"], "missing required key"),
    (
        "capacity defaults to initial",
        [f"{POL}.stock.diesel={{initial: 500}}"],
        lambda s: holder(s, "ph-subic-pol").stock["diesel"].capacity == 500,
    ),
    ("capacity defaults to initial", [f"{POL}.stock.diesel={{capacity: 500}}"], "'initial'"),
    (
        "reorder defaults to reserve",
        [f"{POL}.stock.diesel={{initial: 500, reserve: 100}}"],
        lambda s: holder(s, "ph-subic-pol").stock["diesel"].reorder == 100,
    ),
    (
        "reorder defaults to reserve",
        [f"{POL}.stock.diesel={{initial: 500, reserve: 600}}"],
        "reorder 600 is above capacity 500",
    ),
    (
        "reserve defaults to 0",
        [f"{POL}.stock.diesel={{initial: 500}}"],
        lambda s: holder(s, "ph-subic-pol").stock["diesel"].reserve == 0,
    ),
    ("reserve defaults to 0", [f"{POL}.stock.diesel={{initial: -500}}"], "must be at least 0"),
    ("reserve <= reorder", [f"{COY}.stock.diesel.reserve=4000"], lambda s: True),
    ("reserve <= reorder", [f"{COY}.stock.diesel.reserve=4001"], "reserve 4001 is above reorder"),
    ("reorder <= capacity", [f"{COY}.stock.diesel.reorder=12000"], lambda s: True),
    ("reorder <= capacity", [f"{COY}.stock.diesel.reorder=12001"], "reorder 12001 is above"),
    ("initial <= capacity", [f"{COY}.stock.diesel.initial=12000"], lambda s: True),
    ("initial <= capacity", [f"{COY}.stock.diesel.initial=12001"], "initial 12001 is above"),
    ("stock of known commodity", [f"{COY}.stock.jp5={{initial: 0}}"], lambda s: True),
    ("stock of known commodity", [f"{COY}.stock.jp-5={{initial: 0}}"], "unknown commodity 'jp-5'"),
    ("consumed is stocked", [f"{COY}.consumption.garrison.diesel=0"], lambda s: True),
    (
        "consumed is stocked",
        [f"{COY}.consumption.garrison.jp5=10"],
        "no stock of it; add stock.jp5",
    ),
    ("consumption", [f"{COY}.consumption.garrison.diesel=2.5"], lambda s: True),
    ("consumption", [f"{COY}.consumption.garrison.diesel=-1"], "must be at least 0"),
    ("personnel", [f"{COY}.personnel=0"], lambda s: holder(s).personnel == 0),
    ("personnel", [f"{COY}.personnel=-1"], "must be at least 0"),
    ("personnel", [f"{COY}.personnel=1.5"], "valid integer"),
    ("per_person", [f"{COY}.per_person=true"], lambda s: holder(s).per_person is True),
    ("per_person", [f"{COY}.per_person=true", f"{COY}.personnel=null"], "per_person rates need"),
    ("variability", [f"{COY}.variability=0.5"], lambda s: holder(s).variability == 0.5),
    ("variability", [f"{COY}.variability=-0.1"], "must be at least 0"),
    (
        "transport",
        [f"{POL}.transport={{vehicles: 2}}"],
        lambda s: holder(s, "ph-subic-pol").transport.load == {},
    ),
    ("transport", [f"{POL}.transport.vehicles=0"], "must be at least 1"),
    ("transport", [f"{POL}.transport.load={{water: 100}}"], "'ph-subic-pol' holds no 'water'"),
    ("transport", [f"{POL}.transport.load.diesel=0"], "must be above 0"),
    ("holder keys", [f"{COY}.variability=0"], lambda s: True),
    ("holder keys", [f"{COY}.variabilty=0"], f"did you mean '{COY}.variability'?"),
    # --- timeline -----------------------------------------------------------------------------
    ("phase window", ["timeline.1.to=21d"], lambda s: phase(s).to == 21 * D),
    ("phase window", ["timeline.1.to=22d"], "22d is after the scenario ends (3w)"),
    ("phase window", ["timeline.1.from=22d", "timeline.1.to=null"], "is after the scenario ends"),
    ("phase order", ["timeline.1.to=null"], lambda s: phase(s).to is None),
    ("phase order", ["timeline.1.to=2d"], "a phase ends after it starts"),
    ("phase profile", ["timeline.1.profile=null"], lambda s: phase(s).profile is None),
    ("phase profile", ["timeline.1.profile=feld_training"], "did you mean 'field_training'?"),
    ("phase activity", ["timeline.1.activity=peacekeeping"], lambda s: True),
    ("phase activity", ["timeline.1.activity=peace keeping"], "invalid id 'peace keeping'"),
    ("demand_factor", ["timeline.1.demand_factor=0"], lambda s: phase(s).demand_factor == 0),
    ("demand_factor", ["timeline.1.demand_factor=-1"], "must be at least 0"),
    ("holders all", ["timeline.1.holders=all"], lambda s: phase(s).holders.ids is None),
    ("holders all", ["timeline.1.holders=everyone"], "holders is `all`, a list of holder ids"),
    ("holders list", ["timeline.1.holders=[jgsdf-coy, ph-subic-pol]"], lambda s: True),
    ("holders list", ["timeline.1.holders=[jgsdf-coy, ph-subic]"], "unknown holder 'ph-subic'"),
    (
        "holders party",
        ["timeline.1.holders={party: JP}"],
        lambda s: phase(s).holders.party == "JP",
    ),
    ("holders party", ["timeline.1.holders={party: US}"], "unknown party 'US'"),
    ("holders party", ["timeline.1.holders={parties: JP}"], "holders is `all`, a list"),
    (
        "holders party",
        ["timeline.1.holders={party: PH}"],
        "no holder of this phase has profile 'field_training'",
    ),
    ("event at", ["timeline.3.at=21d"], lambda s: event(s).at == 21 * D),
    ("event at", ["timeline.3.at=30d"], "30d is after the scenario ends (3w)"),
    ("event at", ["timeline.3.at=13"], "give a unit"),
    ("event name", ["timeline.3.event=earthquake"], lambda s: event(s).event == "earthquake"),
    ("event name", ["timeline.3.event=[1]"], "valid string"),
    ("delay_supply_lines", ["timeline.3.delay_supply_lines.by=1w"], lambda s: True),
    ("delay_supply_lines", ["timeline.3.delay_supply_lines.lines=[jp-sealfit]"], "did you mean"),
    ("delay_supply_lines", ["timeline.3.delay_supply_lines.lines=[]"], "at least 1 item"),
    ("close_routes", ["timeline.3.close_routes.routes=[[fort-magsaysay, clark]]"], lambda s: True),
    ("close_routes", ["timeline.3.close_routes.for=null"], lambda s: True),
    (
        "close_routes",
        ["timeline.3.close_routes.routes=[[subic, fort-magsaysay]]"],
        "no route between 'subic' and 'fort-magsaysay' in 'routes'",
    ),
    (
        "destroy_stock",
        [
            "timeline.3.destroy_stock=[{holder: jgsdf-coy, commodity: diesel, fraction: 0.1}, "
            "{holder: ph-subic-pol, commodity: diesel, fraction: 1}]"
        ],
        lambda s: len(event(s).destroy_stock) == 2,
    ),
    ("destroy_stock", ["timeline.3.destroy_stock.fraction=1.5"], "must be at most 1"),
    ("destroy_stock", ["timeline.3.destroy_stock.holder=jgsdf-cy"], "unknown holder 'jgsdf-cy'"),
    ("destroy_stock", ["timeline.3.destroy_stock.commodity=jp5"], "no stock of 'jp5'"),
    ("event keys", ["timeline.3.close_routes.for=1d"], lambda s: True),
    ("event keys", ["timeline.3.close_route={routes: [[subic, clark]]}"], "did you mean"),
    ("events and phases", ["timeline=[]"], lambda s: s.timeline == ()),
    ("events and phases", ["timeline=[{at: 1d, from: 1d}]"], "unknown key 'from'"),
]


def _id(row: tuple[str, list[str], Check | str]) -> str:
    rule, overrides, expected = row
    kind = "ok" if callable(expected) else "bad"
    return f"{rule}-{kind}-{'|'.join(overrides)}"[:90]


def test_the_shortcut_loads_as_load_text_and_load_scenario_do() -> None:
    overrides = ["seed=5", "holders.jgsdf-coy.personnel=10"]
    assert load(overrides) == load_text(TEXT, "full.yaml", overrides)
    assert load(overrides) == load_scenario(FULL, overrides)
    with pytest.raises(ScenarioError) as shortcut:
        load(["seed=-5", "tick=1"])
    with pytest.raises(ScenarioError) as public:
        load_text(TEXT, "full.yaml", ["seed=-5", "tick=1"])
    assert shortcut.value.problems == public.value.problems
    assert len(public.value.problems) == 2


def test_every_rule_has_a_valid_and_an_invalid_case() -> None:
    valid = {rule for rule, _, expected in RULES if callable(expected)}
    invalid = {rule for rule, _, expected in RULES if isinstance(expected, str)}
    assert valid == invalid, valid ^ invalid


@pytest.mark.parametrize(("rule", "overrides", "expected"), RULES, ids=[_id(r) for r in RULES])
def test_rule(rule: str, overrides: list[str], expected: Check | str) -> None:
    if callable(expected):
        scenario = load(overrides)
        assert expected(scenario), f"{rule}: {overrides} loaded to an unexpected value"
        return
    with pytest.raises(ScenarioError) as caught:
        load(overrides)
    problems = caught.value.problems
    lines = [str(p) for p in problems]
    assert any(expected in p.message for p in problems), f"{expected!r} not in {lines}"
    for p in problems:  # every problem is located: in the file, or in the override at fault
        if p.source == "full.yaml":
            assert re.match(r"^full\.yaml:\d+:\d+: .+", str(p)) and p.line > 0
        else:
            assert p.source.removeprefix("--set ") in overrides and p.line == 0
            assert str(p) == f"{p.source}: {p.message}"


def test_every_category_is_accepted() -> None:
    from acsasim.scenario.types import CATEGORIES

    assert len(CATEGORIES) == 17
    for category in CATEGORIES:
        scenario = load([f"commodities.jp5.category={category}"])
        assert scenario.commodities["jp5"].category == category


def test_defaults_of_the_minimal_file() -> None:
    from scenario_files import MINIMAL

    from acsasim.scenario.model import DEFAULT_ACTIVITIES

    s = load_scenario(MINIMAL)
    assert (s.tick, s.handling, s.seed, s.reporting_currency) == (6.0, 1.0, 0, "USD")
    assert s.policy.acsa == "when_national_late"
    assert s.description == "" and s.routes == () and s.agreements == () and s.timeline == ()
    coy = s.holder("coy")
    assert (coy.kind, coy.per_person, coy.variability, coy.personnel) == ("unit", False, 0, None)
    assert coy.supplied_by is None and coy.transport is None and coy.stock == {}
    agreement = load_text(
        MINIMAL.read_text(),
        overrides=["parties.PH={currency: USD}", "agreements=[{id: A, parties: [JP, PH]}]"],
    ).agreements[0]
    assert agreement.in_force is None and agreement.tax_exempt is True
    assert agreement.activities == DEFAULT_ACTIVITIES
    assert "weapons" not in agreement.categories and len(agreement.categories) == 16
    assert agreement.settlement.methods == ("replacement_in_kind", "equal_value_exchange", "cash")
    assert agreement.settlement.deadline == 365 * 24
    assert agreement.settlement.on_deadline == "convert_to_cash"
    assert agreement.settlement.invoice_after.params == (30 * 24.0,)
    assert agreement.settlement.offset_after is None
    assert agreement.ceilings.value is None and agreement.ceilings.supplies_value is None


def test_declared_activities_default_and_what_a_silent_agreement_covers() -> None:
    """Without `activities`, the standard ACSA situations are declared; an agreement that lists
    none covers the version-1 defaults that are declared, so its default never names an
    undeclared activity and the resolved scenario loads again."""
    from scenario_files import MINIMAL

    from acsasim.scenario import dump_scenario
    from acsasim.scenario.model import STANDARD_ACTIVITIES

    assert load_scenario(MINIMAL).activities == STANDARD_ACTIVITIES
    assert "training_support" in STANDARD_ACTIVITIES
    pair = ["parties.PH={currency: USD}", "agreements=[{id: A, parties: [JP, PH]}]"]
    own = load_text(MINIMAL.read_text(), overrides=[*pair, "activities=[drill, evacuation]"])
    assert own.agreements[0].activities == ("evacuation",)
    again = load_text(dump_scenario(own))
    assert again == own


def test_yaml_anchors_and_merge_keys_are_plain_data() -> None:
    text = TEXT.replace(
        "  - id: ph-subic-pol\n",
        "  - &pol\n    id: ph-subic-pol\n",
    ).replace(
        "    transport: {vehicles: 6, load: {diesel: 20000}}\n",
        "    transport: {vehicles: 6, load: {diesel: 20000}}\n"
        "  - <<: *pol\n    id: ph-clark-pol\n    site: clark\n",
    )
    s = load_text(text)
    assert s.holder("ph-clark-pol").stock == s.holder("ph-subic-pol").stock
    assert s.holder("ph-clark-pol").site == "clark"


def test_yes_and_no_stay_words() -> None:
    # YAML 1.1 would read NO (Norway) as false: the format keeps it a word.
    text = TEXT.replace(
        "  PH:\n    name: Armed",
        "  NO:\n    name: Norway\n    currency: USD\n  PH:\n    name: Armed",
    ).replace("  clark:          {party: PH}", "  clark:          {party: NO}")
    s = load_text(text)
    assert s.sites["clark"].party == "NO"
    assert s.parties["NO"].name == "Norway"
    with pytest.raises(ScenarioError) as caught:  # a word, so an unknown id, not `false`
        load_text(text, overrides=["sites.subic.party=no"])
    assert [str(p) for p in caught.value.problems] == [
        "--set sites.subic.party=no: unknown party 'no'; did you mean 'NO'?"
    ]
