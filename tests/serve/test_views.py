"""What the pages show, without a server: tables sorted and filtered as a reader expects,
KPIs with their labels, units and differences, and the form generated from the schema."""

from __future__ import annotations

from workbench_tools import DUO

from acsasim.scenario import load_scenario
from acsasim.scenario.schema import json_schema
from acsasim.serve import form
from acsasim.serve.views import PAGE_ROWS, kpi_rows, table_view

ROWS = [("O2", "diesel", "10.5", "open"), ("O10", "water", "2", "settled"),
        ("O1", "diesel", "", "open")]  # fmt: skip
COLUMNS = ("order_id", "commodity", "quantity", "status")


def test_numbers_sort_as_numbers_and_text_as_text() -> None:
    by_quantity = table_view(COLUMNS, ROWS, sort="quantity", descending=True)
    assert [r[0] for r in by_quantity.rows] == ["O2", "O10", "O1"]  # empty cells last
    assert by_quantity.numeric == frozenset({2})
    by_id = table_view(COLUMNS, ROWS, sort="order_id")
    assert [r[0] for r in by_id.rows] == ["O1", "O10", "O2"]


def test_the_filter_keeps_rows_with_every_word_or_column_value() -> None:
    assert table_view(COLUMNS, ROWS, query="DIESEL open").matched == 2
    assert [r[0] for r in table_view(COLUMNS, ROWS, query="status:settled").rows] == ["O10"]
    assert table_view(COLUMNS, ROWS, query="status:diesel").matched == 0


def test_long_tables_come_in_pages() -> None:
    many = [(f"O{i}", "x", str(i), "open") for i in range(PAGE_ROWS * 2 + 5)]
    view = table_view(COLUMNS, many, page=3)
    assert view.pages == 3 and len(view.rows) == 5 and view.page == 3
    assert table_view(COLUMNS, many, page=99).page == 3


def test_kpis_have_labels_units_and_differences() -> None:
    rows = kpi_rows(
        [{"orders": 4, "fill_rate": {"diesel": 1.0}}, {"orders": 0, "fill_rate": {"diesel": 0.3}}],
        "USD",
        {"diesel": "L"},
    )
    orders, fill = rows
    assert (orders.label, orders.values, orders.difference, orders.unit) == (
        "ACSA orders", ("4", "0"), "-4", "orders")  # fmt: skip
    assert (fill.label, fill.values, fill.difference, fill.unit) == (
        "fill rate, diesel", ("100.0", "30.0"), "-70.0", "%")  # fmt: skip
    assert kpi_rows([{"orders": 4}, {"orders": 4}], "USD", {})[0].change == ""


def test_the_form_is_the_schema_s_with_its_descriptions_and_units() -> None:
    scenario = load_scenario(DUO)
    sections = form.sections(scenario, json_schema())
    assert [s.title for s in sections] == [t for t, _ in form.SECTIONS]
    fields = {f.name: f for f in form.all_fields(sections)}
    initial = fields["set:holders.jp-coy.stock.diesel.initial"]
    assert (initial.kind, initial.value, initial.unit, initial.minimum) == (
        "number",
        "3000",
        "L",
        0,
    )
    description = json_schema()["$defs"]["Stock"]["properties"]["initial"]["description"]
    assert initial.help == description
    policy = fields["set:policy.acsa"]
    assert policy.kind == "select" and policy.options == ("never", "when_national_late", "first")
    assert fields["set:prices.PH.diesel"].unit == "PHP per L"
    assert fields["set:agreements.JP-PH.settlement.methods"].kind == "list"
    assert fields["set:agreements.JP-PH.tax_exempt"].kind == "checkbox"
    assert "set:agreements.JP-PH.id" not in fields  # names an item; not a parameter
